-- Issue 17: a direct target's swarm chunk server, listed to the session's other targets (docs/swarm.md).
-- (V10: if another branch also adds a V10, renumber this one when merging.)
alter table session_target add column swarm_address text;    -- an IP literal, as the target reported it
alter table session_target add column swarm_port    integer; -- set when its chunk server listens
