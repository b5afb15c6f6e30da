package io.pureboot.clone.system.e2e;

import java.nio.file.Path;
import java.util.List;

/**
 * Reads topics back with Kafka's own console consumer (the broker's jars in {@code kafka/lib} of the stack's state
 * directory, {@code $PUREBOOT_VAR} or {@code .var}), not with the project's code.
 */
public final class KafkaConsole {

    private KafkaConsole() {
    }

    /** Every record of the topic from the beginning, one line each: {@code key<TAB>value}. */
    public static List<String> read(Path stackState, String bootstrap, String topic) {
        Host.Result result = Host.attempt(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", stackState.resolve("kafka/lib").toString() + "/*",
                "org.apache.kafka.tools.consumer.ConsoleConsumer", "--bootstrap-server", bootstrap, "--topic", topic,
                "--from-beginning", "--timeout-ms", "15000", "--property", "print.key=true",
                "--property", "key.separator=\t");
        // The console consumer exits non-zero when its timeout ends the read; what it printed is the answer.
        return result.output().lines().filter(line -> line.contains("\t{")).toList();
    }
}
