package io.pureboot.clone.storage.testing;

import io.pureboot.clone.events.CloudEvent;
import io.pureboot.clone.events.EventCatalog;
import io.pureboot.clone.events.EventCodec;
import io.pureboot.clone.events.EventPayload;
import io.pureboot.clone.events.EventType;
import io.pureboot.clone.events.Topics;
import io.pureboot.clone.events.session.CloneSessionStagingRequested;
import io.pureboot.clone.events.storage.StagingStatus;
import io.pureboot.clone.events.storage.StagingStatusChanged;
import io.pureboot.clone.testing.KafkaTestClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The test broker through the shared {@link KafkaTestClient}: sends clone-session events the way clone-service
 * does, and reads back the StagingStatusChanged events this service instance publishes (from the
 * moment the helper was created, filtered on the test instance's CloudEvents source).
 */
public final class KafkaEvents implements AutoCloseable {

    /** The topic the %test profile consumes session events from (see application.properties). */
    public static final String SESSION_TOPIC = "pureboot.test.clone-sessions";
    public static final String SOURCE = "/pureboot/storage-service-test";
    private static final String BOOTSTRAP = System.getProperty("pureboot.test.kafka", KafkaTestClient.LOCAL_BOOTSTRAP);

    private static volatile boolean consumerLive;

    private final KafkaTestClient broker = KafkaTestClient.connect(BOOTSTRAP);
    private final KafkaTestClient.Reader storageTopic = broker.readFromEnd(Topics.STORAGE);
    private final Map<String, List<StagingStatusChanged>> bySession = new ConcurrentHashMap<>();
    private final List<String> raw = new CopyOnWriteArrayList<>();
    private final Map<String, String> foreignSources = new ConcurrentHashMap<>();

    /** Sends a session event keyed by its subject, as clone-service's outbox relay does; returns it. */
    public <T extends EventPayload> CloudEvent send(EventType<T> type, T payload) {
        return broker.send(SESSION_TOPIC, "/pureboot/clone-service-test", type, payload);
    }

    /** Sends an already-sent event again: a redelivery with the same id. */
    public void resend(CloudEvent event) {
        broker.send(SESSION_TOPIC, event);
    }

    /**
     * Waits until the service's session consumer has joined its group and receives: it reads from
     * the latest offset on, so events sent before would be missed. Sends a staging request for an
     * unknown backend until its "failed" answer comes back.
     */
    public void awaitConsumerLive() {
        if (consumerLive) {
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            UUID probe = UUID.randomUUID();
            send(EventCatalog.CLONE_SESSION_STAGING_REQUESTED,
                    new CloneSessionStagingRequested(probe, UUID.randomUUID().toString(), 1));
            if (poll(probe.toString(), event -> event.status() == StagingStatus.FAILED, Duration.ofSeconds(5)) != null) {
                consumerLive = true;
                return;
            }
        }
        throw new AssertionError("storage-service did not consume session events within 90 s");
    }

    /** The first event of the session matching {@code condition}, waiting up to {@code timeout}. */
    public StagingStatusChanged await(String sessionId, Predicate<StagingStatusChanged> condition, Duration timeout) {
        StagingStatusChanged event = poll(sessionId, condition, timeout);
        if (event == null) {
            String foreign = foreignSources.get(sessionId);
            throw new AssertionError("no matching StagingStatusChanged for session " + sessionId + " within " + timeout
                    + "; received " + statuses(sessionId) + (foreign == null ? "" : "; another storage-service ("
                    + foreign + ") worked on this session: a system test or a stack shares the test database"));
        }
        return event;
    }

    public StagingStatusChanged awaitStatus(String sessionId, StagingStatus status, Duration timeout) {
        return await(sessionId, event -> event.status() == status, timeout);
    }

    /** Every StagingStatusChanged received so far for the session, in order. */
    public List<StagingStatusChanged> events(String sessionId) {
        return List.copyOf(bySession.getOrDefault(sessionId, List.of()));
    }

    public List<StagingStatus> statuses(String sessionId) {
        return events(sessionId).stream().map(StagingStatusChanged::status).toList();
    }

    /** Reads for a while without waiting for anything in particular (to see that nothing more comes). */
    public void drain(Duration duration) {
        poll("", event -> false, duration);
    }

    private synchronized StagingStatusChanged poll(String sessionId, Predicate<StagingStatusChanged> condition,
            Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            StagingStatusChanged found = events(sessionId).stream().filter(condition).findFirst().orElse(null);
            if (found != null || System.nanoTime() > deadline) {
                return found;
            }
            for (KafkaTestClient.TopicRecord record : storageTopic.poll(Duration.ofMillis(200))) {
                CloudEvent event = record.event();
                if (SOURCE.equals(event.source())) {
                    raw.add(record.value());
                }
                if (!EventCatalog.STAGING_STATUS_CHANGED.name().equals(event.type())) {
                    continue;
                }
                StagingStatusChanged change = EventCodec.payload(event, EventCatalog.STAGING_STATUS_CHANGED);
                if (SOURCE.equals(event.source())) {
                    bySession.computeIfAbsent(change.sessionId().toString(), key -> new ArrayList<>()).add(change);
                } else {
                    foreignSources.put(change.sessionId().toString(), event.source());
                }
            }
        }
    }

    /** Every record this service instance published on the storage topic so far, as JSON. */
    public List<String> rawRecords() {
        drain(Duration.ofMillis(500));
        return List.copyOf(raw);
    }

    @Override
    public void close() {
        storageTopic.close();
        broker.close();
    }
}
