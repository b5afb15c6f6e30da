package io.pureboot.clone.system;

import io.pureboot.clone.system.e2e.Host;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What the services' own tables say about one session's events, read with psql as each service's role: the events
 * each service wrote to its outbox (one row per event it decided to emit, whatever the relay then did) and the
 * events clone-service's audit consumer received from every topic.
 */
final class EventLedger {

    /** Each service's database role and schema, as deploy/dev/postgres.sh makes them (password: the role's name). */
    private static final Map<String, String> ROLES = Map.of(
            "storage", "pureboot_storage", "planner", "pureboot_planner", "clone", "pureboot_clone");

    private EventLedger() {
    }

    /** One outbox row: the event's id, type, status (staging events) or target (plans), and whether it was sent. */
    record Written(String schema, UUID id, String type, String detail, boolean sent) {
    }

    /** The events about the session in the outboxes of the three services, each in its commit order. */
    static List<Written> outboxes(UUID sessionId) {
        return ROLES.keySet().stream().sorted().flatMap(schema -> query(schema,
                "select event_id, event_type, coalesce(envelope::json->'data'->>'status',"
                        + " envelope::json->'data'->>'target_node_id', ''), sent_at is not null from " + schema
                        + ".outbox_event where envelope like '%" + sessionId + "%' order by seq").stream()
                .map(columns -> new Written(schema, UUID.fromString(columns[0]), columns[1], columns[2],
                        "t".equals(columns[3]))))
                .toList();
    }

    /** The ids of the events about the session that clone-service's audit consumer recorded, from any topic. */
    static List<UUID> audited(UUID sessionId) {
        return query("clone", "select event_id from clone.audit_entry where data like '%" + sessionId
                + "%' or subject = '" + sessionId + "'").stream().map(columns -> UUID.fromString(columns[0])).toList();
    }

    /** Events parked by a consumer after its retries: none may exist for the session. */
    static List<String> deadLetters(UUID sessionId) {
        return ROLES.keySet().stream().sorted().flatMap(schema -> query(schema, "select consumer, event_type, reason from "
                + schema + ".dead_letter_event where envelope like '%" + sessionId + "%'").stream()
                .map(columns -> schema + ": " + String.join(" ", columns))).toList();
    }

    private static List<String[]> query(String schema, String sql) {
        String role = ROLES.get(schema);
        String output = Host.run("env", "PGPASSWORD=" + role, "psql", "-h", "127.0.0.1", "-U", role,
                "-d", ServiceProcess.databaseName(), "-X", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1", "-c", sql);
        return output.lines().filter(line -> !line.isBlank()).map(line -> line.split("\t", -1)).toList();
    }
}
