-- Events a consumer could not apply after its retries: parked here with the reason, so that one
-- bad event neither blocks its partition nor disappears. Operators replay or discard them.
create table dead_letter_event (
    event_id      uuid        not null,
    consumer      text        not null,
    event_type    text        not null,
    envelope      text        not null,
    reason        text        not null,
    failed_at     timestamptz not null default now(),
    primary key (event_id, consumer)
);
