package io.pureboot.clone.controller;

import io.pureboot.clone.events.CloudEvent;
import io.pureboot.clone.events.EventCodec;
import io.pureboot.clone.events.EventPayload;
import io.pureboot.clone.events.EventType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Plays the other services on the real broker: sends their events, reads back what clone-service sent. */
public final class KafkaEvents {

    private static final String BOOTSTRAP = System.getProperty("kafka.bootstrap.servers", "127.0.0.1:19092");

    private KafkaEvents() {
    }

    /** Sends an event as the named service would; returns the envelope (send it again to test duplicates). */
    public static <T extends EventPayload> CloudEvent send(String source, EventType<T> type, T payload) {
        CloudEvent event = EventCodec.wrap(source, type, payload);
        send(type.topic(), event);
        return event;
    }

    public static void send(String topic, CloudEvent event) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP);
        try (var producer = new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, event.subject(), EventCodec.toJson(event))).get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot send " + event.type() + " to " + topic, e);
        }
    }

    /** Reads a topic from the start until {@code enough} holds for the events about {@code subject}, at most 60 s. */
    public static List<CloudEvent> read(String topic, String subject, Predicate<List<CloudEvent>> enough) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP);
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "clone-service-test-" + UUID.randomUUID());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<CloudEvent> events = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!enough.test(events) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    if (subject.equals(record.key())) {
                        events.add(EventCodec.fromJson(record.value()));
                    }
                }
            }
        }
        return events;
    }
}
