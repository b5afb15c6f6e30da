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
 * block its partition. Any other failure (the database away) is retried with backoff and then
 * passed on, which stops the channel and turns the service's health DOWN rather than losing the
 * event. Handlers therefore treat a domain rejection (an invalid transition, say) as handled:
 * they log it and return normally.
 */
@ApplicationScoped
public class EventInbox {

    private static final Logger LOG = Logger.getLogger(EventInbox.class);
    private static final int ATTEMPTS = 10;

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
                .retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5)).atMost(ATTEMPTS)
                .onFailure(MalformedEventException.class).recoverWithUni(failure -> {
                    LOG.warnf("%s skipped event %s: %s", consumer, event.id(), failure.getMessage());
                    return Uni.createFrom().voidItem();
                });
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
