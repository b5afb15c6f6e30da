package io.pureboot.clone.planner.plan.rest;

import io.pureboot.clone.events.CloudEvent;
import io.pureboot.clone.events.EventCodec;
import io.pureboot.clone.events.EventPayload;
import io.pureboot.clone.events.EventType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;

/** The real broker, as the other services use it: plain producers and consumers, no test doubles. */
final class Broker implements AutoCloseable {

    private final String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
    private final KafkaProducer<String, String> producer;

    Broker() {
        Properties properties = new Properties();
        properties.put("bootstrap.servers", bootstrap);
        properties.put("acks", "all");
        producer = new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer());
    }

    /** Publishes an event as its producing service would: CloudEvents JSON, keyed by its subject. */
    <T extends EventPayload> CloudEvent send(String source, EventType<T> type, T payload) {
        CloudEvent event = EventCodec.wrap(source, type, payload);
        try {
            producer.send(new ProducerRecord<>(type.topic(), event.subject(), EventCodec.toJson(event)))
                    .get(30, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new IllegalStateException("kafka refused event " + event.type(), e);
        }
        return event;
    }

    /** A reader of a topic from its current end, so that only what a test causes is seen. */
    Reader readFromEnd(String topic) {
        return new Reader(topic);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }

    /** Reads one topic from where it ended when the reader was made. */
    final class Reader implements AutoCloseable {

        private final KafkaConsumer<String, String> consumer;
        private final List<CloudEvent> seen = new ArrayList<>();

        private Reader(String topic) {
            Properties properties = new Properties();
            properties.put("bootstrap.servers", bootstrap);
            properties.put("enable.auto.commit", "false");
            consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer());
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
        }

        /** Polls until {@code count} events match, or fails after the timeout with what it saw. */
        List<CloudEvent> await(Predicate<CloudEvent> matching, int count, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    seen.add(EventCodec.fromJson(record.value()));
                }
                List<CloudEvent> matches = seen.stream().filter(matching).toList();
                if (matches.size() >= count) {
                    return matches;
                }
            }
            throw new AssertionError("expected " + count + " matching events within " + timeout + ", saw "
                    + seen.stream().filter(matching).count() + " of " + seen.size());
        }

        @Override
        public void close() {
            consumer.close(Duration.ofSeconds(5));
        }
    }
}
