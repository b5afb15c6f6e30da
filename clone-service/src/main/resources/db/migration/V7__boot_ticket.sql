-- Boot tickets: what the kernel command line carries instead of a node token (issue 12). A ticket is traded once,
-- within minutes, for the node's working token; used_at stays set so that a second use is recognised and audited.
create table boot_ticket (
    ticket_hash  text        primary key,                  -- SHA-256 of the ticket; the ticket itself is never stored
    session_id   uuid        references clone_session (id) on delete cascade,  -- null for inventory
    node_id      uuid        not null references node (id) on delete cascade,
    role         text        not null,                     -- source | target | inventory
    expires_at   timestamptz not null,
    used_at      timestamptz
);
create index boot_ticket_expires_at on boot_ticket (expires_at);
