package io.pureboot.clone.storage.support;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;

/**
 * Runs blocking work (NFS RPCs, tgtadm, libiscsi, ssh) on a worker thread with a time bound, and
 * delivers its result back on the caller's Vert.x context, so that the Hibernate Reactive work
 * chained after it runs where it must.
 */
public final class Offload {

    private Offload() {
    }

    public static <T> Uni<T> blocking(String what, Duration timeout, Callable<T> work) {
        Context context = Vertx.currentContext();
        Uni<T> result = Uni.createFrom().<T>emitter(emitter -> {
            try {
                emitter.complete(work.call());
            } catch (Exception e) {
                emitter.fail(e);
            }
        })
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .ifNoItem().after(timeout).failWith(() -> new TimeoutException(what + " did not finish in " + timeout));
        if (context == null) {
            return result;
        }
        return result.emitOn(command -> context.runOnContext(ignored -> command.run()));
    }
}
