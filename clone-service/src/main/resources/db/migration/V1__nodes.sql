-- The node registry: machines that PXE-boot into the agent, known by their boot MAC.

create table node (
    id                 uuid        primary key,
    mac                text        not null unique,   -- lower case, colon separated
    name               text        not null,
    created_at         timestamptz not null,
    last_inventory_at  timestamptz
);
