-- Retiring a node (DELETE /api/v1/nodes/{id}) keeps its row: the sessions it took part in, their audit timeline and
-- its tokens' history still name it. A retired node is out of the registry's list and boots like an unknown MAC, so
-- its MAC may be registered again (a machine re-added): the MAC is unique among nodes that are not retired only.
alter table node add column retired_at timestamptz;
alter table node drop constraint node_mac_key;
create unique index node_mac_registered on node (mac) where retired_at is null;
