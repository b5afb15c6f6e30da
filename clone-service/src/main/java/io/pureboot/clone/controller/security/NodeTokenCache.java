package io.pureboot.clone.controller.security;

import io.pureboot.clone.controller.config.CloneConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The session tokens this replica looked up lately, by hash, for {@code pureboot.clone.node-tokens.cache-for}: a
 * node reporting progress every couple of seconds is authenticated from memory instead of with a query per report.
 *
 * <p>What voids a token on this replica forgets it at once: its session ending here ({@code SessionEngine}), its node
 * retired here ({@code NodeService}). A token voided on another replica stays known here until its entry is that
 * old; meanwhile every call that changes state still meets the session's machine, which refuses it for an ended
 * session, and a progress report kept by the ledger is dropped at its flush. Inventory tokens (no session) are never
 * kept: they are looked up each time. A token's own expiry is checked on every use.
 */
@ApplicationScoped
public class NodeTokenCache {

    /** What a token grants, as looked up, and when it was. */
    record Entry(NodeCaller caller, OffsetDateTime expiresAt, Instant lookedUpAt) {
    }

    /** More than this many entries: the cache is cleared (a bound, not an eviction policy; sessions end anyway). */
    static final int MAX_ENTRIES = 100_000;

    private final ConcurrentMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final Duration cacheFor;
    private final Clock clock;

    public NodeTokenCache(CloneConfig config, Clock clock) {
        this.cacheFor = config.nodeTokens().cacheFor();
        this.clock = clock;
    }

    /** The caller a token hash grants, if looked up within the cache period and not expired. */
    Optional<NodeCaller> get(String hash) {
        Entry entry = entries.get(hash);
        if (entry == null) {
            return Optional.empty();
        }
        if (entry.lookedUpAt().plus(cacheFor).isBefore(clock.instant())
                || entry.expiresAt().isBefore(OffsetDateTime.now(clock))) {
            entries.remove(hash, entry);
            return Optional.empty();
        }
        return Optional.of(entry.caller());
    }

    /** Keeps a session token just looked up; inventory tokens and a zero cache period keep nothing. */
    void put(String hash, NodeCaller caller, OffsetDateTime expiresAt) {
        if (caller.sessionId() == null || cacheFor.isZero()) {
            return;
        }
        if (entries.size() >= MAX_ENTRIES) {
            entries.clear();
        }
        entries.put(hash, new Entry(caller, expiresAt, clock.instant()));
    }

    /** The session ended on this replica: its tokens are void. */
    public void forgetSession(UUID sessionId) {
        entries.values().removeIf(entry -> sessionId.equals(entry.caller().sessionId()));
    }

    /** The node was retired on this replica: its tokens are void. */
    public void forgetNode(UUID nodeId) {
        entries.values().removeIf(entry -> nodeId.equals(entry.caller().nodeId()));
    }
}
