-- Plans are keyed (session, node, disk): remember which disk the stored plan was made for, so that a plan for
-- another disk never arms a target. And when a target entered its state, so that an armed target that never
-- boots fails at its deadline instead of keeping its session open.
alter table session_target add column plan_disk_id text;
alter table session_target add column state_changed_at timestamptz;
update session_target set plan_disk_id = disk_id where plan is not null;
