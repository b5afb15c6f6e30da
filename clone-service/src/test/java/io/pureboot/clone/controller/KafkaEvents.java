package io.pureboot.clone.controller;

import io.pureboot.clone.events.CloudEvent;
import io.pureboot.clone.events.EventPayload;
import io.pureboot.clone.events.EventType;
import io.pureboot.clone.testing.KafkaTestClient;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/** Plays the other services on the real broker: sends their events, reads back what clone-service sent. */
public final class KafkaEvents {

    private static final KafkaTestClient BROKER = KafkaTestClient.connect(
            System.getProperty("kafka.bootstrap.servers", KafkaTestClient.LOCAL_BOOTSTRAP));

    private KafkaEvents() {
    }

    /** Sends an event as the named service would; returns the envelope (send it again to test duplicates). */
    public static <T extends EventPayload> CloudEvent send(String source, EventType<T> type, T payload) {
        return BROKER.send(source, type, payload);
    }

    public static void send(String topic, CloudEvent event) {
        BROKER.send(topic, event);
    }

    /** Reads a topic from the start until {@code enough} holds for the events about {@code subject}, at most 60 s. */
    public static List<CloudEvent> read(String topic, String subject, Predicate<List<CloudEvent>> enough) {
        return BROKER.readFromStart(topic, subject, enough, Duration.ofSeconds(60));
    }
}
