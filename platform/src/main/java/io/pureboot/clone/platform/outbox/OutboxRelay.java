package io.pureboot.clone.platform.outbox;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Publishes pending outbox rows to Kafka in commit order and marks them sent.
 *
 * <p>Rows are read and marked in two short transactions with the sends in between, so no
 * transaction stays open while the broker is slow or away. A row is marked only after Kafka
 * acknowledged it; a pass that fails part-way marks the acknowledged prefix and the next pass
 * resumes at the first unacknowledged row. That is at-least-once delivery: a crash between the
 * acknowledgement and the mark publishes the row again, which is why consumers de-duplicate by
 * event id ({@link EventInbox}).
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final String CHANNEL = "outbox";

    private final MutinyEmitter<String> emitter;
    private final OutboxConfig config;

    public OutboxRelay(@Channel(CHANNEL) MutinyEmitter<String> emitter,
            OutboxConfig config) {
        this.emitter = emitter;
        this.config = config;
    }

    @Scheduled(every = "${pureboot.outbox.poll-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            identity = "outbox-relay", skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> relay() {
        return Panache.withTransaction(() -> OutboxEvent.<OutboxEvent>find("sentAt is null order by seq")
                        .page(0, config.batchSize()).list())
                .chain(this::sendInOrder)
                .chain(this::markSent)
                .onFailure().invoke(failure -> LOG.warnf("outbox relay pass failed, will retry: %s", failure.getMessage()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    @Scheduled(every = "1h", delayed = "1m", identity = "outbox-purge", skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> purgeSent() {
        OffsetDateTime cutoff = OffsetDateTime.now(ZoneOffset.UTC).minus(config.sentRetention());
        return Panache.withTransaction(() -> OutboxEvent.delete("sentAt < ?1", cutoff)).replaceWithVoid();
    }

    /** Sends one row after the other, stopping at the first failure; returns the acknowledged rows. */
    private Uni<List<Long>> sendInOrder(List<OutboxEvent> pending) {
        List<Long> acknowledged = new ArrayList<>();
        if (pending.isEmpty()) {
            return Uni.createFrom().item(acknowledged);
        }
        return Multi.createFrom().iterable(pending)
                .onItem().transformToUniAndConcatenate(row -> send(row).invoke(() -> acknowledged.add(row.seq)))
                .collect().last()
                .replaceWith(acknowledged)
                .onFailure().recoverWithUni(failure -> {
                    LOG.warnf("kafka refused outbox event after %d of %d: %s", acknowledged.size(), pending.size(),
                            failure.getMessage());
                    return Uni.createFrom().item(acknowledged);
                });
    }

    private Uni<Void> send(OutboxEvent row) {
        var metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(row.topic)
                .withKey(row.eventKey)
                .build();
        return emitter.sendMessage(Message.of(row.envelope).addMetadata(metadata));
    }

    private Uni<Void> markSent(List<Long> sequenceNumbers) {
        if (sequenceNumbers.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        return Panache.withTransaction(() -> OutboxEvent.update("sentAt = ?1 where seq in ?2", now, sequenceNumbers))
                .replaceWithVoid();
    }
}
