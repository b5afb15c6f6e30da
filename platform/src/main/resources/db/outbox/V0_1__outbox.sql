-- The transactional outbox and the idempotent inbox every service carries in its own schema.
-- Shipped by the outbox module; each service lists classpath:db/outbox among its Flyway locations.

create table outbox_event (
    seq           bigserial primary key,          -- publication order
    event_id      uuid        not null unique,    -- the CloudEvents id
    topic         text        not null,
    event_key     text        not null,           -- Kafka key: the event subject
    event_type    text        not null,
    envelope      text        not null,           -- the CloudEvent as JSON, exactly as published
    created_at    timestamptz not null default now(),
    sent_at       timestamptz
);

create index outbox_event_pending on outbox_event (seq) where sent_at is null;

create table inbox_event (
    event_id      uuid        not null,
    consumer      text        not null,
    event_type    text        not null,
    processed_at  timestamptz not null default now(),
    primary key (event_id, consumer)
);
