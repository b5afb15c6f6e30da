-- Clone sessions, their targets, the credentials that may act on them, and the audit trail.

alter table node add column last_inventory text;          -- the disks last reported, as JSON
alter table node add column inventory_requested boolean not null default false;

create table clone_session (
    id                  uuid        primary key,
    name                text        not null,
    mode                text        not null,             -- staged | direct
    state               text        not null,
    source_node_id      uuid        not null references node (id),
    source_disk_id      text        not null,
    resize_mode         text        not null,             -- none | shrink_source | grow_target
    targets_run         text        not null,             -- after_upload | on_request
    staging_backend_id  text,
    staging_path        text,
    staging_size_bytes  bigint,
    staging_status      text,
    image_size_bytes    bigint,
    manifest_sha256     text,
    source_phase        text,
    source_bytes_done   bigint      not null default 0,
    source_bytes_total  bigint      not null default 0,
    source_rate         bigint      not null default 0,
    source_last_seen_at timestamptz,
    failure_reason      text,
    created_at          timestamptz not null,
    updated_at          timestamptz not null,
    version             bigint      not null default 0
);

create table session_target (
    session_id      uuid        not null references clone_session (id) on delete cascade,
    node_id         uuid        not null references node (id),
    disk_id         text        not null,
    state           text        not null,
    phase           text,
    bytes_done      bigint      not null default 0,
    bytes_total     bigint      not null default 0,
    rate            bigint      not null default 0,
    last_seen_at    timestamptz,
    plan            text,                                 -- the latest ResizePlan for this target, JSON
    plan_version    integer,
    failure_reason  text,
    primary key (session_id, node_id)
);

create table node_token (
    token_hash   text        primary key,                  -- SHA-256 of the token; the token itself is never stored
    session_id   uuid        references clone_session (id) on delete cascade,  -- null for inventory
    node_id      uuid        not null references node (id),
    role         text        not null,                     -- source | target | inventory
    expires_at   timestamptz not null
);

create table api_key (
    key_hash     text        primary key,
    name         text        not null,
    role         text        not null,                     -- admin | viewer
    created_at   timestamptz not null
);

create table audit_entry (
    event_id     uuid        primary key,
    topic        text        not null,
    event_type   text        not null,
    subject      text        not null,
    source       text        not null,
    event_time   timestamptz not null,
    data         text        not null
);
create index audit_entry_subject on audit_entry (subject, event_time);

create table storage_backend_view (                        -- what storage-service told us exists
    id           text        primary key,
    name         text        not null,
    backend_type text        not null,
    enabled      boolean     not null
);
