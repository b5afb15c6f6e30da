package io.pureboot.clone.platform.outbox;

import io.pureboot.clone.events.CloudEvent;
import io.pureboot.clone.events.EventCodec;
import io.pureboot.clone.events.MalformedEventException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Runs a consumer's handler at most once per event id, in one transaction with the record of
 * having done so. Kafka delivers at least once and the outbox relay may publish twice; this is
 * where duplicates stop.
 *
 * <p>A malformed record is logged and skipped: it can never become valid, and keeping it would
 * block its partition. Any other failure is retried with backoff; when the retries are spent the
 * event is parked in {@code dead_letter_event} with the reason and the consumer moves on, so one
 * bad event neither blocks its partition nor disappears. Only when even parking fails (the
 * database is away) does the failure pass on: the channel stops and the service's health turns
 * DOWN, and the uncommitted offset brings the event back after a restart. Handlers treat a domain
 * rejection (an invalid transition, say) as handled: they log it and return normally.
 */
@ApplicationScoped
public class EventInbox {

    private static final Logger LOG = Logger.getLogger(EventInbox.class);
    private static final int ATTEMPTS = 6;

    /** Handles one Kafka record value on behalf of {@code consumer}. */
    public Uni<Void> receive(String consumer, String json, EventHandlers handlers) {
        CloudEvent event;
        try {
            event = EventCodec.fromJson(json);
        } catch (MalformedEventException e) {
            LOG.warnf("%s skipped a malformed record: %s", consumer, e.getMessage());
            return Uni.createFrom().voidItem();
        }
        var handler = handlers.find(event.type());
        if (handler.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return handleOnce(consumer, event, handler.get())
                .onFailure(failure -> !(failure instanceof MalformedEventException))
                .retry().withBackOff(Duration.ofMillis(100), Duration.ofSeconds(2)).atMost(ATTEMPTS)
                .onFailure(MalformedEventException.class).recoverWithUni(failure -> {
                    LOG.warnf("%s skipped event %s: %s", consumer, event.id(), failure.getMessage());
                    return Uni.createFrom().voidItem();
                })
                .onFailure().recoverWithUni(failure -> park(consumer, event, json, failure));
    }

    private Uni<Void> park(String consumer, CloudEvent event, String json, Throwable failure) {
        String reason = failure.getClass().getSimpleName() + ": " + failure.getMessage();
        LOG.errorf("%s parked event %s (%s) after %d attempts: %s", consumer, event.id(), event.type(), ATTEMPTS + 1,
                reason);
        return Panache.withTransaction(() -> Panache.getSession().chain(session -> session.createNativeQuery(
                        "insert into dead_letter_event (event_id, consumer, event_type, envelope, reason) "
                                + "values (?1, ?2, ?3, ?4, ?5) on conflict do nothing")
                .setParameter(1, event.id())
                .setParameter(2, consumer)
                .setParameter(3, event.type())
                .setParameter(4, json)
                .setParameter(5, reason)
                .executeUpdate()))
                .replaceWithVoid();
    }

    private Uni<Void> handleOnce(String consumer, CloudEvent event, Function<CloudEvent, Uni<Void>> handler) {
        return Panache.withTransaction(() -> claim(consumer, event)
                .chain(firstTime -> firstTime ? handler.apply(event) : Uni.createFrom().voidItem()));
    }

    /** True when this consumer had not processed the event yet; the claim commits with the effect. */
    private Uni<Boolean> claim(String consumer, CloudEvent event) {
        return Panache.getSession().chain(session -> session.createNativeQuery(
                        "insert into inbox_event (event_id, consumer, event_type) values (?1, ?2, ?3) "
                                + "on conflict do nothing")
                .setParameter(1, event.id())
                .setParameter(2, consumer)
                .setParameter(3, event.type())
                .executeUpdate())
                .map(inserted -> inserted == 1);
    }
}
