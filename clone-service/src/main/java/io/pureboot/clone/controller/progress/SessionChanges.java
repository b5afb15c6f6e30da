package io.pureboot.clone.controller.progress;

import io.pureboot.clone.controller.config.CloneConfig;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import io.smallrye.mutiny.operators.multi.processors.SerializedProcessor;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Which sessions changed, on every replica. Writers {@link #announce} a session after their transaction committed;
 * the announcement reaches this replica's streams at once and the other replicas' through {@link ChangeChannel}.
 * A change carries no data: a stream re-reads the session, so it never shows a state that is not committed, and
 * changes that come faster than it can show are coalesced into one re-read of the latest.
 */
@ApplicationScoped
public class SessionChanges {

    private static final Logger LOG = Logger.getLogger(SessionChanges.class);
    /** Stands for every session: the listener was disconnected and may have missed any change. */
    private static final UUID EVERY_SESSION = new UUID(0, 0);
    private static final int MAX_SHARED_READS = 1000;

    private final ChangeChannel channel;
    private final CloneConfig.Progress config;
    private final Vertx vertx;
    /** This replica's name on the channel, so that it skips its own announcements, already shown. */
    private final String replica = UUID.randomUUID().toString();
    /** Serialized: announcements come from many event-loop threads at once. */
    private final SerializedProcessor<UUID, UUID> signals = BroadcastProcessor.<UUID>create().serialized();
    private final Multi<UUID> changed = Multi.createFrom().publisher(signals);
    /** How many changes each session had: streams asking after the same change share one read. */
    private final ConcurrentMap<UUID, Long> generations = new ConcurrentHashMap<>();
    private final AtomicLong everySessionGeneration = new AtomicLong();
    private final ConcurrentMap<UUID, SharedRead> reads = new ConcurrentHashMap<>();

    public SessionChanges(ChangeChannel channel, CloneConfig config, Vertx vertx) {
        this.channel = channel;
        this.config = config.progress();
        this.vertx = vertx;
    }

    void listen(@Observes StartupEvent started) {
        channel.listen(this::received, () -> signal(EVERY_SESSION));
    }

    /** Tells every stream of the session, on every replica, that it changed. Call after the change committed. */
    public void announce(UUID sessionId) {
        signal(sessionId);
        channel.send(replica + " " + sessionId).subscribe().with(sent -> { }, failure ->
                LOG.warnf("other replicas' streams miss a change of session %s until its next one: %s", sessionId,
                        failure.getMessage()));
    }

    /**
     * One signal at once (for the session as it is now), then one per change of the session; signals that come
     * while the subscriber is busy are merged into the latest.
     */
    public Multi<UUID> changesOf(UUID sessionId) {
        return Multi.createBy().concatenating().streams(Multi.createFrom().item(sessionId),
                        changed.filter(id -> id.equals(sessionId) || id.equals(EVERY_SESSION)).map(id -> sessionId))
                .onOverflow().dropPreviousItems();
    }

    /**
     * The session read now, then re-read after each change: at most once per {@code min-interval}, always after
     * the last change. Fails before its first item if the first read fails (an unknown session answers 404).
     * Reads run on the caller's Vert.x context (the request's), where the reactive session may be used.
     */
    public <T> Multi<T> follow(UUID sessionId, Supplier<Uni<T>> read) {
        Executor onCaller = onCurrentContext();
        Duration spacing = config.minInterval();
        return changesOf(sessionId).onItem().transformToMultiAndConcatenate(change -> Multi.createBy().concatenating()
                .streams(Uni.createFrom().<T>deferred(() -> shared(sessionId, read, onCaller)).toMulti(),
                        pause(spacing)));
    }

    /**
     * One read for every stream of the session on this replica that asks after the same change: a hundred operators
     * watching one session cost one read per change, not a hundred. A stream asks after it heard of a change, so a
     * read shared within one change's generation always sees that change committed. Every stream of a session
     * follows the same read (there is one: the session's view).
     */
    @SuppressWarnings("unchecked")
    private <T> Uni<T> shared(UUID sessionId, Supplier<Uni<T>> read, Executor onCaller) {
        long generation = generations.getOrDefault(sessionId, 0L) + everySessionGeneration.get();
        if (reads.size() > MAX_SHARED_READS) {
            reads.clear();  // sessions nobody watches any more; a missing read is only made again
        }
        SharedRead current = reads.compute(sessionId, (id, known) -> known != null && known.generation() == generation
                ? known : new SharedRead(generation, Uni.createFrom().deferred(read::get).runSubscriptionOn(onCaller)
                        .map(Object.class::cast)
                        // A failed read is not shared with later streams: they read again.
                        .onFailure().invoke(() -> reads.remove(sessionId))
                        .memoize().indefinitely()));
        return (Uni<T>) current.read();
    }

    private record SharedRead(long generation, Uni<Object> read) {
    }

    private void received(String payload) {
        int space = payload.indexOf(' ');
        if (space < 0 || payload.substring(0, space).equals(replica)) {
            return;
        }
        try {
            signal(UUID.fromString(payload.substring(space + 1)));
        } catch (IllegalArgumentException notASession) {
            LOG.warnf("ignoring notification %s on %s", payload, ChangeChannel.NAME);
        }
    }

    private void signal(UUID sessionId) {
        if (sessionId.equals(EVERY_SESSION)) {
            everySessionGeneration.incrementAndGet();
        } else {
            generations.merge(sessionId, 1L, Long::sum);
        }
        signals.onNext(sessionId);
    }

    /** Completes after {@code duration} without an item: holds the next re-read back. */
    private static <T> Multi<T> pause(Duration duration) {
        return Uni.createFrom().<T>nullItem().onItem().delayIt().by(duration).toMulti();
    }

    /** The caller's duplicated context (or a new one), marked safe for the reactive session as a request's is. */
    private Executor onCurrentContext() {
        Context context = VertxContext.getOrCreateDuplicatedContext(vertx);
        VertxContextSafetyToggle.setContextSafe(context, true);
        return task -> context.runOnContext(ignored -> task.run());
    }
}
