-- Direct mode: the service's certificate authority and where each direct source listens.

create table direct_ca (
    id               text        primary key,             -- always 'direct': one CA per installation
    certificate_pem  text        not null,
    private_key_pem  text        not null,                -- PKCS#8; only this schema's role can read it, never sent
    created_at       timestamptz not null
);

alter table clone_session add column direct_address text;   -- the source's address, as in its certificate
alter table clone_session add column direct_port    integer; -- set when the source listens
