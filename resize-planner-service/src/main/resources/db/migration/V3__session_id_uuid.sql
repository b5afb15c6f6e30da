-- Session ids are clone-service's UUIDs everywhere; the columns take their type.
alter table resize_plan drop constraint resize_plan_session_id_fkey;
alter table clone_session alter column session_id type uuid using session_id::uuid;
alter table resize_plan alter column session_id type uuid using session_id::uuid;
alter table resize_plan add constraint resize_plan_session_id_fkey
    foreign key (session_id) references clone_session (session_id) on delete cascade;
