-- Storage backends and the staging area of each staged clone session.
-- Secrets (CHAP passwords, SSH private keys) are stored sealed with AES-256-GCM by the service
-- (crypto.SecretCipher, format v1:<key id>:<base64>), never in plain text.

create table storage_backend (
    id                             uuid        primary key,
    name                           text        not null,
    backend_type                   text        not null check (backend_type in ('nfs', 'iscsi')),
    enabled                        boolean     not null,
    nfs_server                     text,
    nfs_export                     text,
    nfs_options                    text,
    iscsi_target                   text,        -- IQN of the operator's target the connectivity test logs into
    iscsi_portal                   text,        -- host[:port] of the portal, for the test and for nodes
    iscsi_username                 text,        -- CHAP user of iscsi_target
    iscsi_password                 text,        -- sealed
    management_mode                text check (management_mode in ('tgtadm_local', 'tgtadm_ssh')),
    management_control_port        integer,
    management_backing_store_dir   text,        -- where LUN backing files of staging areas are created
    management_ssh_host            text,
    management_ssh_port            integer,
    management_ssh_user            text,
    management_ssh_private_key     text,        -- sealed
    management_ssh_host_key        text,        -- known_hosts line(s) of the management host: public
    total_bytes                    bigint,      -- last measured size (NFS FSSTAT, or the backing-store file system)
    available_bytes                bigint,      -- last measured space available to the service
    space_measured_at              timestamptz,
    created_at                     timestamptz not null,
    updated_at                     timestamptz not null,
    version                        bigint      not null default 0
);

create unique index storage_backend_name on storage_backend (lower(name));

create table staging_area (
    session_id            text        primary key,
    backend_id            uuid        references storage_backend (id) on delete set null,
    backend_type          text        check (backend_type in ('nfs', 'iscsi')),  -- null: the backend was unknown
    status                text        not null,
    size_bytes            bigint      not null,   -- what the session asked for
    staging_path          text,                   -- NFS: export-relative directory; iSCSI: <iqn>/<lun>
    iscsi_tid             integer,
    iscsi_iqn             text,
    iscsi_lun             integer,
    iscsi_backing_file    text,
    lun_size_bytes        bigint,                 -- the LUN: the request plus room for ext4's metadata
    chap_username         text,
    chap_password         text,                   -- sealed; this session's only
    read_only             boolean     not null default false,
    reason                text,                   -- why it failed
    next_action           text check (next_action in ('provision', 'seal', 'cleanup')),
    action_due_at         timestamptz,
    action_attempts       integer     not null default 0,
    last_error            text,                   -- the last failed attempt of next_action
    lease_until           timestamptz,            -- a worker is carrying out next_action until then
    cleanup_requested_at  timestamptz,            -- the session ended (completed, cancelled, failed)
    created_at            timestamptz not null,
    updated_at            timestamptz not null,
    version               bigint      not null default 0
);

create index staging_area_due on staging_area (action_due_at) where next_action is not null;
create index staging_area_active on staging_area (backend_id) where status <> 'deleted';
