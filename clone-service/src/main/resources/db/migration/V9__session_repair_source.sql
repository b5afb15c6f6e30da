-- Issue 15: shrink_source repairs a source's filesystem errors only when the session asks for it (off by default).
-- (V9, not V8: another branch of this session adds V8__node_retired.sql.)
alter table clone_session add column repair_source boolean not null default false;
