package io.pureboot.clone.controller.boot;

import io.pureboot.clone.controller.audit.AuditEntry;
import io.pureboot.clone.controller.config.CloneConfig;
import io.pureboot.clone.controller.security.NodeToken;
import io.pureboot.clone.controller.security.Secrets;
import io.pureboot.clone.nodeapi.NodeTokenGrant;
import io.pureboot.clone.platform.rest.ApiException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Boot tickets, as OpenStack Ironic's agent token: the boot script (fetched over plain HTTP by firmware that holds no
 * secret) carries a ticket, not the node's token. The agent trades it over HTTPS for the token, once, within
 * {@link CloneConfig.Boot#ticketLifetime()}. Whoever reads a script later holds a used ticket; a second use is refused
 * and audited ({@code boot.ticket.replayed}, naming the node), since it means the script was read by someone else or
 * the node booted twice on one script. The one exception is the agent retrying its own trade whose answer it lost (a
 * timeout): it sends the same attempt value, known only to it (it travels over TLS, never in the script), and gets a
 * new token while the ticket has not expired.
 */
@ApplicationScoped
public class BootTickets {

    /** Prefix of boot tickets, so that logs and support can tell them from node tokens ({@code pbn_}). */
    public static final String PREFIX = "pbt_";
    /** The event type of the audit entry a replayed ticket leaves. */
    public static final String REPLAYED = "boot.ticket.replayed";

    private static final Logger LOG = Logger.getLogger(BootTickets.class);
    private static final Pattern WELL_FORMED = Pattern.compile("pbt_[A-Za-z0-9_-]{43}");

    private final CloneConfig.Boot config;
    private final Clock clock;

    public BootTickets(CloneConfig config, Clock clock) {
        this.config = config.boot();
        this.clock = clock;
    }

    /** A ticket as minted here; anything else is a bug, and never reaches a script. */
    static String requireWellFormed(String ticket) {
        if (ticket == null || !WELL_FORMED.matcher(ticket).matches()) {
            throw new ScriptValues.UnsafeScriptValue("ticket", "is not a boot ticket");
        }
        return ticket;
    }

    /** Mints a ticket for {@code role} (inside the caller's transaction) and answers it. */
    Uni<String> mint(BootRole role) {
        String ticket = Secrets.newSecret(PREFIX);
        BootTicket row = new BootTicket();
        row.ticketHash = Secrets.hash(ticket);
        row.nodeId = role.nodeId();
        row.sessionId = role.sessionId();
        row.role = role.role().name().toLowerCase(Locale.ROOT);
        row.expiresAt = OffsetDateTime.now(clock).plus(config.ticketLifetime());
        return row.persist().replaceWith(ticket);
    }

    /**
     * Trades a ticket for a new node token of the same node, session and role.
     *
     * @param attempt the agent's value for this trade (null: none); the same ticket and attempt are answered again
     * @throws TicketRefused (401) for an unknown, expired or already used ticket; the last is audited first
     */
    public Uni<NodeTokenGrant> exchange(String ticket, String attempt) {
        String hash = Secrets.hash(ticket);
        String attemptHash = attempt == null ? null : Secrets.hash(attempt);
        OffsetDateTime now = OffsetDateTime.now(clock);
        return Panache.withTransaction(() -> BootTicket.<BootTicket>findById(hash).chain(row -> {
            if (row == null) {
                return Uni.createFrom().item(Outcome.refused("unknown boot ticket"));
            }
            if (!row.expiresAt.isAfter(now)) {
                return Uni.createFrom().item(Outcome.refused("this boot ticket expired"));
            }
            if (row.usedAt != null) {
                if (attemptHash != null && attemptHash.equals(row.attemptHash)) {
                    LOG.infof("boot ticket of node %s (session %s, %s) traded again by the same attempt (a lost "
                            + "answer retried)", row.nodeId, row.sessionId, row.role);
                    return grant(row, now);
                }
                LOG.warnf("boot ticket of node %s (session %s, %s) used again; first used %s", row.nodeId,
                        row.sessionId, row.role, row.usedAt);
                return audit(row, now).replaceWith(Outcome.refused("this boot ticket was used already"));
            }
            row.usedAt = now;
            row.attemptHash = attemptHash;
            return grant(row, now);
        })).chain(outcome -> outcome.grant() != null ? Uni.createFrom().item(outcome.grant())
                : Uni.createFrom().failure(new TicketRefused(outcome.refusal())));
    }

    /** A new node token for the ticket's node, session and role. */
    private Uni<Outcome> grant(BootTicket row, OffsetDateTime now) {
        String token = Secrets.newSecret(Secrets.NODE_TOKEN_PREFIX);
        NodeToken minted = new NodeToken();
        minted.tokenHash = Secrets.hash(token);
        minted.nodeId = row.nodeId;
        minted.sessionId = row.sessionId;
        minted.role = row.role;
        minted.expiresAt = now.plus(config.tokenLifetime());
        return minted.persist().replaceWith(Outcome.granted(new NodeTokenGrant(token, minted.expiresAt)));
    }

    /** The replay in the audit trail, beside the events of the node's session (the trail is by session). */
    private static Uni<Void> audit(BootTicket row, OffsetDateTime now) {
        AuditEntry entry = new AuditEntry();
        entry.eventId = UUID.randomUUID();
        entry.topic = "pureboot.security";
        entry.eventType = REPLAYED;
        entry.subject = row.sessionId != null ? row.sessionId.toString() : "node:" + row.nodeId;
        entry.source = "clone-service/boot";
        entry.eventTime = now;
        entry.data = "{\"node_id\":\"" + row.nodeId + "\",\"session_id\":"
                + (row.sessionId == null ? "null" : "\"" + row.sessionId + "\"") + ",\"role\":\"" + row.role
                + "\",\"first_used_at\":\"" + row.usedAt + "\"}";
        return entry.persist().replaceWithVoid();
    }

    /** Audit entries of replayed tickets, newest first (tests and support). */
    public static Uni<List<AuditEntry>> replays() {
        return Panache.withSession(() -> AuditEntry.<AuditEntry>find("eventType = ?1 order by eventTime desc", REPLAYED)
                .list());
    }

    private record Outcome(NodeTokenGrant grant, String refusal) {
        static Outcome granted(NodeTokenGrant grant) {
            return new Outcome(grant, null);
        }

        static Outcome refused(String reason) {
            return new Outcome(null, reason);
        }
    }

    /** 401 with the documented JSON error body: the ticket does not authenticate anyone. */
    public static final class TicketRefused extends ApiException {
        TicketRefused(String message) {
            super(401, message, List.of());
        }
    }
}
