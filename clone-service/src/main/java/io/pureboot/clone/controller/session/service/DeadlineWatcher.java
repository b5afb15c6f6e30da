package io.pureboot.clone.controller.session.service;

import io.pureboot.clone.controller.progress.SessionChanges;
import io.pureboot.clone.controller.session.CloneSession;
import io.pureboot.clone.controller.session.SessionState;
import io.pureboot.clone.controller.session.SessionTarget;
import io.pureboot.clone.controller.session.TargetState;
import io.pureboot.clone.events.session.CloneMode;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/** Fails the part of a node that went silent, so that an operator sees why instead of a session that hangs. */
@ApplicationScoped
public class DeadlineWatcher {

    private static final Logger LOG = Logger.getLogger(DeadlineWatcher.class);

    /** How long nodes may stay silent. */
    @ConfigMapping(prefix = "pureboot.clone.deadlines")
    public interface Config {

        /** Longest gap between two progress reports of a running node. */
        @WithDefault("PT2M")
        Duration silence();

        /** How long an armed source may take to boot and report for the first time. */
        @WithDefault("PT30M")
        Duration boot();

        /** How often the deadlines are checked, as a scheduler interval such as {@code 5s}. */
        @WithDefault("5s")
        String checkEvery();
    }

    private final Config config;
    private final SessionLifecycle lifecycle;
    private final SessionChanges changes;

    public DeadlineWatcher(Config config, SessionLifecycle lifecycle, SessionChanges changes) {
        this.config = config;
        this.lifecycle = lifecycle;
        this.changes = changes;
    }

    @Scheduled(every = "${pureboot.clone.deadlines.check-every:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            identity = "node-deadlines", skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> check() {
        Set<UUID> changed = new HashSet<>();
        return Panache.withTransaction(() -> silentSources(changed).chain(() -> silentTargets(changed)))
                .chain(() -> Multi.createFrom().iterable(changed)
                        .onItem().transformToUniAndConcatenate(id -> Panache.withSession(() -> lifecycle.view(id))
                                .invoke(view -> changes.announce(view.id())))
                        .collect().last())
                .onFailure().invoke(failure -> LOG.warnf("deadline check failed, will retry: %s", failure.getMessage()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    private Uni<Void> silentSources(Set<UUID> changed) {
        OffsetDateTime now = SessionLifecycle.now();
        OffsetDateTime silentSince = now.minus(config.silence());
        OffsetDateTime armedSince = now.minus(config.boot());
        // A direct source keeps reporting while its targets download from it.
        return CloneSession.<CloneSession>list(
                        "((state = ?1 or (mode = ?5 and state = ?6)) and sourceLastSeenAt < ?2)"
                                + " or (state = ?3 and updatedAt < ?4)",
                        SessionState.UPLOADING, silentSince, SessionState.SOURCE_ARMED, armedSince, CloneMode.DIRECT,
                        SessionState.DOWNLOADING)
                .chain(sessions -> Multi.createFrom().iterable(sessions)
                        .onItem().transformToUniAndConcatenate(session -> {
                            changed.add(session.id);
                            String reason = session.state != SessionState.SOURCE_ARMED
                                    ? "source node " + session.sourceNodeId + " silent since " + session.sourceLastSeenAt
                                            + " (deadline " + config.silence().toSeconds() + " s)"
                                    : "source node " + session.sourceNodeId + " did not boot within "
                                            + config.boot().toMinutes() + " min";
                            LOG.warnf("clone session %s failed: %s", session.id, reason);
                            return lifecycle.moveTo(session, SessionState.FAILED, reason);
                        })
                        .collect().asList())
                .replaceWithVoid();
    }

    private Uni<Void> silentTargets(Set<UUID> changed) {
        OffsetDateTime silentSince = SessionLifecycle.now().minus(config.silence());
        return SessionTarget.<SessionTarget>list("state = ?1 and lastSeenAt < ?2", TargetState.DOWNLOADING, silentSince)
                .chain(targets -> Multi.createFrom().iterable(targets)
                        .onItem().transformToUniAndConcatenate(target -> {
                            changed.add(target.sessionId);
                            target.state = TargetState.FAILED;
                            target.failureReason = "target node " + target.nodeId + " silent since " + target.lastSeenAt
                                    + " (deadline " + config.silence().toSeconds() + " s)";
                            LOG.warnf("clone session %s: %s", target.sessionId, target.failureReason);
                            return lifecycle.findForUpdate(target.sessionId).chain(lifecycle::settleTargets);
                        })
                        .collect().asList())
                .replaceWithVoid();
    }

}
