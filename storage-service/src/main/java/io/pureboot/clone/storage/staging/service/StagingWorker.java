package io.pureboot.clone.storage.staging.service;

import io.pureboot.clone.storage.config.StorageConfig;
import io.pureboot.clone.storage.support.Offload;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Carries out due staging actions (provision, seal, cleanup): leases them, runs the blocking part
 * on a worker thread with a time bound, and records the outcome. Each area runs on its own Vert.x
 * context (so each has its own database session), up to {@code parallelism} at a time. A crash
 * mid-action leaves a lease that runs out; the action then runs again, which is safe because every
 * action is idempotent.
 */
@ApplicationScoped
public class StagingWorker {

    private static final Logger LOG = Logger.getLogger(StagingWorker.class);
    private static final Duration LEASE_MARGIN = Duration.ofMinutes(1);

    private final StagingService staging;
    private final StagingProvisioner provisioner;
    private final StorageConfig config;

    public StagingWorker(StagingService staging, StagingProvisioner provisioner, StorageConfig config) {
        this.staging = staging;
        this.provisioner = provisioner;
        this.config = config;
    }

    private volatile boolean stopping;

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    @Scheduled(every = "${pureboot.storage.staging.poll-interval:1s}", delayed = "${pureboot.storage.staging.start-delay:2s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, identity = "staging-worker")
    Uni<Void> tick() {
        if (stopping) {
            return Uni.createFrom().voidItem();
        }
        int parallelism = Math.max(1, config.staging().parallelism());
        Duration timeout = config.staging().actionTimeout();
        return staging.claimDue(parallelism, timeout.plus(LEASE_MARGIN))
                .onItem().transformToMulti(ids -> Multi.createFrom().iterable(ids))
                .onItem().transformToUni(sessionId -> onOwnContext(sessionId, timeout)).merge(parallelism)
                .collect().last()
                .replaceWithVoid()
                .onFailure().invoke(failure -> LOG.warnf("staging worker pass failed, will retry: %s", failure.toString()))
                .onFailure().recoverWithNull();
    }

    private Uni<Void> onOwnContext(UUID sessionId, Duration timeout) {
        Context context = VertxContext.createNewDuplicatedContext();
        if (context == null) {
            return run(sessionId, timeout);
        }
        VertxContextSafetyToggle.setContextSafe(context, true);
        return Uni.createFrom().<Void>emitter(emitter -> context.runOnContext(ignored -> run(sessionId, timeout)
                .subscribe().with(emitter::complete, emitter::fail)));
    }

    private Uni<Void> run(UUID sessionId, Duration timeout) {
        return staging.begin(sessionId).chain(job -> {
            if (job == null) {
                return Uni.createFrom().voidItem();
            }
            String what = job.action().name().toLowerCase(Locale.ROOT) + " of the staging area of session "
                    + sessionId;
            return Offload.blocking(what, timeout, () -> switch (job.action()) {
                case PROVISION -> provisioner.provision(job);
                case SEAL -> {
                    provisioner.seal(job);
                    yield null;
                }
                case CLEANUP -> {
                    provisioner.cleanup(job);
                    yield null;
                }
            })
                    .onItemOrFailure().transformToUni((provisioned, failure) -> failure == null
                            ? staging.succeeded(job, provisioned)
                            : staging.failed(job, failure));
        }).onFailure().invoke(failure -> LOG.warnf("staging action of session %s could not be recorded, retried once"
                + " its lease runs out: %s", sessionId, failure.toString()))
                .onFailure().recoverWithNull();
    }
}
