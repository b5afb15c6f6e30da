-- The latest inventory of every node, as reported by agents through clone-service events.

create table node_inventory (
    node_id           text        primary key,
    mac               text,
    hostname          text,
    reported_at       timestamptz not null,   -- when the agent took the inventory (newest wins)
    reports_received  bigint      not null    -- events applied, for operators and the duplicate test
);

create table node_disk (
    node_id      text        not null references node_inventory (node_id) on delete cascade,
    disk_id      text        not null,         -- the disk's stable id (WWN, serial, by-id name)
    size_bytes   bigint      not null,
    inventory    text        not null,         -- DiskInventory as JSON, exactly as reported
    primary key (node_id, disk_id)
);
