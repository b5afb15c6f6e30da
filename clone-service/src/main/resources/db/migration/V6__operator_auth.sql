-- Operator authentication (docs/security.md): API keys get an id (the key-id claim of the JWTs issued for
-- them) and the roles viewer < operator < admin; clone-service signs those JWTs with keys kept here.
alter table api_key add column id uuid not null default gen_random_uuid();
alter table api_key add constraint api_key_id_unique unique (id);
alter table api_key add constraint api_key_role_known check (role in ('viewer', 'operator', 'admin'));

create table signing_key (
    kid                 text primary key,
    -- the public half as a JWK (JSON), published at GET /api/v1/auth/jwks
    public_jwk          text not null,
    -- the whole JWK with its private half, sealed by SecretCipher (v1:<key id>:<nonce+ciphertext>)
    private_jwk_sealed  text not null,
    created_at          timestamptz not null,
    -- from then on new tokens are signed with it, until a later key activates
    activates_at        timestamptz not null
);
create index signing_key_activates_at on signing_key (activates_at);

-- Who caused each audited event (the CloudEvents extension attributes actorsubject, actorkeyid, actorrole).
alter table audit_entry add column actor_subject text;
alter table audit_entry add column actor_key_id text;
alter table audit_entry add column actor_role text;
create index audit_entry_actor on audit_entry (actor_subject, event_time);
