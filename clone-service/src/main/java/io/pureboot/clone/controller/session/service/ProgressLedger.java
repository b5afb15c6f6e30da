package io.pureboot.clone.controller.session.service;

import io.pureboot.clone.controller.config.CloneConfig;
import io.pureboot.clone.controller.progress.SessionChanges;
import io.pureboot.clone.controller.session.CloneSession;
import io.pureboot.clone.controller.session.SessionState;
import io.pureboot.clone.controller.session.SessionTarget;
import io.pureboot.clone.controller.session.SessionView;
import io.pureboot.clone.controller.session.TargetState;
import io.pureboot.clone.controller.session.machine.SessionInput;
import io.pureboot.clone.nodeapi.NodeRole;
import io.pureboot.clone.nodeapi.ProgressPhase;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.LockModeType;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Progress reports that can change nothing but figures, kept as the latest per node and written on a short cadence
 * (pureboot.clone.progress.flush-interval, 250 ms), so that a thousand nodes reporting every couple of seconds cost one
 * small transaction per session and flush instead of a locked transaction per report.
 *
 * <p>Which reports those are is the {@link io.pureboot.clone.controller.session.machine.SessionMachine}'s to say, not
 * this class's: a node's report goes through the machine (the engine's locked transaction) until the machine has
 * applied one of its reports and left the node in a state that a report of the same phase keeps (a downloading
 * target, a source past arming). From then on its reports of that phase are kept here. A report of another phase,
 * and every other call of the node, still goes through the machine. A flush writes each kept report only if its node
 * is still in that state, under the session's lock; if it is not (an operator cancelled, a deadline failed the
 * target), the node is forgotten, so that its next report meets the machine and its refusal.
 *
 * <p>Each replica keeps its own reports; liveness (last seen) reaches the database within a flush interval, far
 * inside the silence deadline.
 */
@ApplicationScoped
public class ProgressLedger {

    private static final Logger LOG = Logger.getLogger(ProgressLedger.class);
    /** The session states in which a source's report changes only figures (it moved the session to uploading). */
    private static final Set<SessionState> SOURCE_STEADY =
            EnumSet.of(SessionState.UPLOADING, SessionState.UPLOADED, SessionState.DOWNLOADING);

    /** One node reporting in one session. */
    public record Reporter(UUID sessionId, UUID nodeId, NodeRole role) {
    }

    /** What the machine left the reporter in: a report of {@code phase} keeps it so. */
    private record Steady(SessionState sessionState, ProgressPhase phase) {
    }

    private record Kept(Steady steady, SessionInput.Progress report, OffsetDateTime seenAt) {
    }

    private final ConcurrentMap<Reporter, Steady> steady = new ConcurrentHashMap<>();
    private final ConcurrentMap<Reporter, Kept> latest = new ConcurrentHashMap<>();
    private final AtomicBoolean flushing = new AtomicBoolean();
    private final SessionChanges changes;
    private final Clock clock;
    private final Vertx vertx;
    private final Duration flushInterval;
    private long timer = -1;

    public ProgressLedger(SessionChanges changes, Clock clock, Vertx vertx, CloneConfig config) {
        this.changes = changes;
        this.clock = clock;
        this.vertx = vertx;
        this.flushInterval = config.progress().flushInterval();
    }

    /**
     * A Vert.x timer, not {@code @Scheduled}: Quarkus's scheduler looks at its triggers once a second, and a report
     * kept up to a second plus a stream's coalescing would reach operators too late (issue 17: within 1 s).
     */
    void start(@Observes StartupEvent event) {
        timer = vertx.setPeriodic(flushInterval.toMillis(), id -> flushInItsOwnContext());
    }

    void stop(@Observes ShutdownEvent event) {
        vertx.cancelTimer(timer);
    }

    /**
     * Hibernate Reactive runs only on a duplicated Vert.x context marked safe, which Quarkus gives its request and
     * scheduled methods but not a timer's callback; a flush still running when the next tick comes is not doubled.
     */
    private void flushInItsOwnContext() {
        if (!flushing.compareAndSet(false, true)) {
            return;
        }
        Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        VertxContextSafetyToggle.setContextSafe(context, true);
        context.runOnContext(ignored -> flush().onTermination().invoke(() -> flushing.set(false)).subscribe()
                .with(done -> { }, failure -> LOG.warnf("progress flush failed: %s", failure.toString())));
    }

    /** Keeps the report for the next flush when it can change only figures; false: the machine must see it. */
    public boolean offer(Reporter reporter, SessionInput.Progress report) {
        Steady known = steady.get(reporter);
        if (known == null || known.phase() != report.phase()) {
            return false;
        }
        latest.put(reporter, new Kept(known, report, OffsetDateTime.now(clock)));
        return true;
    }

    /**
     * Takes out the report kept for the reporter, to be applied before its next other call, and forgets the reporter:
     * that call may change its state.
     */
    public Optional<SessionInput.Progress> take(Reporter reporter) {
        steady.remove(reporter);
        return Optional.ofNullable(latest.remove(reporter)).map(Kept::report);
    }

    /** After the machine applied a report of {@code phase}: whether the reporter's next ones may be kept here. */
    public void learn(Reporter reporter, ProgressPhase phase, SessionView after) {
        if (isSteady(reporter, after)) {
            steady.put(reporter, new Steady(after.state(), phase));
        } else {
            steady.remove(reporter);
        }
    }

    private static boolean isSteady(Reporter reporter, SessionView after) {
        if (reporter.role() == NodeRole.SOURCE) {
            return SOURCE_STEADY.contains(after.state());
        }
        return !after.state().isTerminal() && after.targets().stream()
                .anyMatch(target -> target.nodeId().equals(reporter.nodeId()) && target.state() == TargetState.DOWNLOADING);
    }

    /** Writes the kept reports, one transaction per session, and tells live progress of each session written. */
    public Uni<Void> flush() {
        Map<UUID, Map<Reporter, Kept>> bySession = drain();
        if (bySession.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Multi.createFrom().iterable(bySession.entrySet())
                .onItem().transformToUniAndConcatenate(entry -> write(entry.getKey(), entry.getValue())
                        .invoke(() -> changes.announce(entry.getKey()))
                        .onFailure().invoke(failure -> {
                            LOG.warnf("progress of clone session %s not written, retried at the next flush: %s",
                                    entry.getKey(), failure.toString());
                            entry.getValue().forEach(latest::putIfAbsent);
                        })
                        .onFailure().recoverWithNull())
                .collect().last().replaceWithVoid();
    }

    /** Takes every kept report out; a report that arrives meanwhile stays for the next flush. */
    private Map<UUID, Map<Reporter, Kept>> drain() {
        Map<UUID, Map<Reporter, Kept>> bySession = new LinkedHashMap<>();
        for (Map.Entry<Reporter, Kept> entry : latest.entrySet()) {
            if (latest.remove(entry.getKey(), entry.getValue())) {
                bySession.computeIfAbsent(entry.getKey().sessionId(), id -> new LinkedHashMap<>())
                        .put(entry.getKey(), entry.getValue());
            }
        }
        return bySession;
    }

    /** Under the session's lock, as the engine writes, so that neither overwrites the other's columns. */
    private Uni<Void> write(UUID sessionId, Map<Reporter, Kept> kept) {
        return Panache.withTransaction(() -> CloneSession.<CloneSession>findById(sessionId, LockModeType.PESSIMISTIC_WRITE)
                .chain(session -> session == null ? Uni.createFrom().voidItem()
                        : SessionTarget.<SessionTarget>list("sessionId", sessionId)
                                .invoke(targets -> write(session, targets, kept)).replaceWithVoid()));
    }

    private void write(CloneSession session, List<SessionTarget> targets, Map<Reporter, Kept> kept) {
        List<Reporter> stale = new ArrayList<>();
        kept.forEach((reporter, report) -> {
            boolean stillSteady = reporter.role() == NodeRole.SOURCE ? writeSource(session, report)
                    : targets.stream().filter(target -> target.nodeId.equals(reporter.nodeId())).findFirst()
                            .map(target -> writeTarget(session, target, report)).orElse(false);
            if (!stillSteady) {
                stale.add(reporter);
            }
        });
        stale.forEach(steady::remove);
    }

    /**
     * Written whole while the session is in the state the report was kept in. After it moved on (a flush that raced
     * the source's next call), the figures are still the source's latest and are written, its phase is not: the
     * reporter is forgotten, and its next report meets the machine.
     */
    private static boolean writeSource(CloneSession session, Kept kept) {
        if (session.state.isTerminal()) {
            return false;
        }
        boolean steadyStill = session.state == kept.steady().sessionState();
        if (steadyStill) {
            session.sourcePhase = kept.report().phase().jsonName();
        }
        session.sourceBytesDone = kept.report().bytesDone();
        session.sourceBytesTotal = kept.report().bytesTotal();
        session.sourceRate = kept.report().rateBytesPerSecond();
        session.sourceLastSeenAt = kept.seenAt();
        return steadyStill;
    }

    /** As {@link #writeSource}: a target that completed meanwhile keeps its figures, not a downloading phase. */
    private static boolean writeTarget(CloneSession session, SessionTarget target, Kept kept) {
        boolean downloading = !session.state.isTerminal() && target.state == TargetState.DOWNLOADING;
        if (!downloading && target.state != TargetState.COMPLETED) {
            return false;
        }
        if (downloading) {
            target.phase = kept.report().phase().jsonName();
        }
        target.bytesDone = kept.report().bytesDone();
        target.bytesTotal = kept.report().bytesTotal();
        target.rate = kept.report().rateBytesPerSecond();
        target.lastSeenAt = kept.seenAt();
        return downloading;
    }
}
