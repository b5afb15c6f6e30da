-- The hash of the attempt value the agent sent with the ticket's first trade: the same ticket and attempt are answered
-- again (a lost answer retried) while the ticket has not expired; any other second use is a replay.
alter table boot_ticket add column attempt_hash text;
