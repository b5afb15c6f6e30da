-- Session ids are clone-service's UUIDs everywhere; the column takes their type.
alter table staging_area alter column session_id type uuid using session_id::uuid;
