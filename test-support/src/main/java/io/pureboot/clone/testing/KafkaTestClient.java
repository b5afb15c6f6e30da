package io.pureboot.clone.testing;

import io.pureboot.clone.events.CloudEvent;
import io.pureboot.clone.events.EventCodec;
import io.pureboot.clone.events.EventPayload;
import io.pureboot.clone.events.EventType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The real broker as tests use it: sends events as another service would (CloudEvents JSON keyed by subject, as the
 * outbox relays do) and reads topics back with plain consumers, from the start or from the moment a reader is made.
 * No test doubles: this is what every test module uses to play or watch the other services.
 */
public final class KafkaTestClient implements AutoCloseable {

    /**
     * The local stack's broker (deploy/dev/kafka.sh): PUREBOOT_KAFKA_BOOTSTRAP when set, as the services read it, so
     * that tests and the service under test meet on a broker of another port.
     */
    public static final String LOCAL_BOOTSTRAP = System.getenv().getOrDefault("PUREBOOT_KAFKA_BOOTSTRAP", "127.0.0.1:19092");
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(200);

    private final String bootstrap;
    private KafkaProducer<String, String> producer;

    private KafkaTestClient(String bootstrap) {
        this.bootstrap = bootstrap;
    }

    /** A client of the broker at {@code bootstrap} (host:port list); it connects on first use. */
    public static KafkaTestClient connect(String bootstrap) {
        return new KafkaTestClient(bootstrap);
    }

    public String bootstrap() {
        return bootstrap;
    }

    /** Sends an event of {@code type} from {@code source} to the type's topic; answers the envelope (to resend it). */
    public <T extends EventPayload> CloudEvent send(String source, EventType<T> type, T payload) {
        return send(type.topic(), source, type, payload);
    }

    /** As {@link #send(String, EventType, EventPayload)}, to another topic (a test profile's own topic). */
    public <T extends EventPayload> CloudEvent send(String topic, String source, EventType<T> type, T payload) {
        CloudEvent event = EventCodec.wrap(source, type, payload);
        send(topic, event);
        return event;
    }

    /** Sends an envelope as it is, keyed by its subject, and waits for the broker's acknowledgement. */
    public synchronized void send(String topic, CloudEvent event) {
        if (producer == null) {
            Properties properties = new Properties();
            properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            properties.put(ProducerConfig.ACKS_CONFIG, "all");
            producer = new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer());
        }
        try {
            producer.send(new ProducerRecord<>(topic, event.subject(), EventCodec.toJson(event)))
                    .get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("kafka at " + bootstrap + " refused " + event.type() + " on " + topic, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted sending " + event.type() + " to " + topic, e);
        }
    }

    /**
     * Reads {@code topic} from its start and keeps the events keyed {@code key}, until {@code enough} holds for them
     * or {@code timeout} passed; answers what it read either way, so the caller's assertion names what is missing.
     */
    public List<CloudEvent> readFromStart(String topic, String key, Predicate<List<CloudEvent>> enough, Duration timeout) {
        return readFromStart(topic, key, enough, timeout, Duration.ZERO);
    }

    /** As {@link #readFromStart(String, String, Predicate, Duration)}, then reads on for {@code linger} (duplicates). */
    public List<CloudEvent> readFromStart(String topic, String key, Predicate<List<CloudEvent>> enough, Duration timeout,
            Duration linger) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<CloudEvent> events = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!enough.test(events) && System.nanoTime() < deadline) {
                collect(consumer.poll(POLL), key, events);
            }
            long lingerEnd = System.nanoTime() + linger.toNanos();
            while (System.nanoTime() < lingerEnd) {
                collect(consumer.poll(POLL), key, events);
            }
        }
        return events;
    }

    /** A reader of {@code topic} from its current end: it sees only what is sent from now on. */
    public Reader readFromEnd(String topic) {
        return new Reader(topic);
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }

    private static void collect(Iterable<ConsumerRecord<String, String>> records, String key, List<CloudEvent> events) {
        for (ConsumerRecord<String, String> record : records) {
            if (key.equals(record.key())) {
                events.add(EventCodec.fromJson(record.value()));
            }
        }
    }

    /** One record as it is on the topic: the key and the JSON value. */
    public record TopicRecord(String key, String value) {

        public CloudEvent event() {
            return EventCodec.fromJson(value);
        }
    }

    /** Reads one topic's partitions from where they ended when the reader was made. Not thread-safe. */
    public final class Reader implements AutoCloseable {

        private final String topic;
        private final KafkaConsumer<String, String> consumer;
        private final List<CloudEvent> seen = new ArrayList<>();

        private Reader(String topic) {
            this.topic = topic;
            Properties properties = new Properties();
            properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer());
            List<TopicPartition> partitions = consumer.partitionsFor(topic, SEND_TIMEOUT).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            // Resolve the end offsets now: a lazy seek would skip what is sent before the first poll.
            partitions.forEach(consumer::position);
        }

        /** What arrived within one poll of at most {@code timeout}. */
        public List<TopicRecord> poll(Duration timeout) {
            List<TopicRecord> records = new ArrayList<>();
            for (ConsumerRecord<String, String> record : consumer.poll(timeout)) {
                records.add(new TopicRecord(record.key(), record.value()));
            }
            return records;
        }

        /** Polls until {@code count} events match, or fails after {@code timeout} saying how many it saw. */
        public List<CloudEvent> await(Predicate<CloudEvent> matching, int count, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                poll(POLL).forEach(record -> seen.add(record.event()));
                List<CloudEvent> matches = seen.stream().filter(matching).toList();
                if (matches.size() >= count) {
                    return matches;
                }
            }
            throw new AssertionError("expected " + count + " matching events on " + topic + " within " + timeout
                    + ", saw " + seen.stream().filter(matching).count() + " of " + seen.size());
        }

        @Override
        public void close() {
            consumer.close(Duration.ofSeconds(5));
        }
    }
}
