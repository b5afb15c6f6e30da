package io.pureboot.clone.controller.progress;

import io.pureboot.clone.controller.session.SessionView;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * Fans committed session changes out to the live progress streams of this instance. Callers
 * publish after their transaction committed, so a stream never shows a change that rolled back.
 */
@ApplicationScoped
public class ProgressHub {

    private final BroadcastProcessor<SessionView> updates = BroadcastProcessor.create();

    public void publish(SessionView view) {
        updates.onNext(view);
    }

    /** Every later update of one session. */
    public Multi<SessionView> updatesOf(UUID sessionId) {
        return updates.filter(view -> view.id().equals(sessionId));
    }
}
