-- Issue 17: the swarm is a direct session's option (docs/swarm.md): its targets serve each other verified chunks.
alter table clone_session add column swarm boolean not null default false;
