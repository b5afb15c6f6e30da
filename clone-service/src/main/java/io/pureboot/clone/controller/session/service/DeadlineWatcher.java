package io.pureboot.clone.controller.session.service;

import io.pureboot.clone.controller.config.CloneConfig;
import io.pureboot.clone.controller.session.CloneSession;
import io.pureboot.clone.controller.session.SessionState;
import io.pureboot.clone.controller.session.machine.SessionInput;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduler;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.EnumSet;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Lets time pass for every session that waits on someone: the session machine fails the part of each party that
 * missed its deadline (a silent node, a node that never booted, storage that never answered), so that an operator
 * sees why instead of a session that hangs.
 */
@ApplicationScoped
public class DeadlineWatcher {

    private static final Logger LOG = Logger.getLogger(DeadlineWatcher.class);
    private static final EnumSet<SessionState> WAITING = EnumSet.of(SessionState.PROVISIONING,
            SessionState.SOURCE_ARMED, SessionState.UPLOADING, SessionState.UPLOADED, SessionState.DOWNLOADING);

    private final CloneConfig.Deadlines config;
    private final SessionEngine engine;
    private final Scheduler scheduler;

    public DeadlineWatcher(CloneConfig config, SessionEngine engine, Scheduler scheduler) {
        this.config = config.deadlines();
        this.engine = engine;
        this.scheduler = scheduler;
    }

    void onStart(@Observes StartupEvent start) {
        scheduler.newJob("node-deadlines")
                .setInterval(config.checkEvery().toString())
                .setConcurrentExecution(Scheduled.ConcurrentExecution.SKIP)
                .setAsyncTask(execution -> check())
                .schedule();
    }

    /** One check of every waiting session, each in its own transaction; a failure is retried at the next check. */
    Uni<Void> check() {
        return Panache.withSession(() -> CloneSession.<CloneSession>list("state in ?1", WAITING))
                .map(sessions -> sessions.stream().map(session -> session.id).toList())
                .chain(ids -> Multi.createFrom().iterable(ids)
                        .onItem().transformToUniAndConcatenate(this::check)
                        .collect().last())
                .onFailure().invoke(failure -> LOG.warnf("deadline check failed, will retry: %s", failure.getMessage()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    private Uni<Void> check(UUID sessionId) {
        return engine.apply(sessionId, new SessionInput.DeadlineCheck())
                .onFailure().invoke(failure -> LOG.warnf("deadline check of clone session %s failed, will retry: %s",
                        sessionId, failure.getMessage()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }
}
