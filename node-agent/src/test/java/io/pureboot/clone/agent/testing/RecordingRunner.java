package io.pureboot.clone.agent.testing;

import io.pureboot.clone.agent.process.CommandResult;
import io.pureboot.clone.agent.process.CommandRunner;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** A command runner that records command lines and answers them from a script (exit 0, no output by default). */
public final class RecordingRunner implements CommandRunner {

    private final List<List<String>> commands = new ArrayList<>();
    private final Map<String, Function<List<String>, CommandResult>> answers = new HashMap<>();

    /** Answers commands whose line starts with {@code prefix} (words joined by spaces). */
    public RecordingRunner answer(String prefix, int exitCode, String stdout, String stderr) {
        answers.put(prefix, command -> new CommandResult(command, exitCode, stdout, stderr));
        return this;
    }

    @Override
    public synchronized CommandResult run(List<String> command, String input) {
        commands.add(List.copyOf(command));
        String line = String.join(" ", command);
        return answers.entrySet().stream().filter(entry -> line.startsWith(entry.getKey()))
                .max(Map.Entry.comparingByKey((a, b) -> Integer.compare(a.length(), b.length())))
                .map(entry -> entry.getValue().apply(command))
                .orElseGet(() -> new CommandResult(command, 0, "", ""));
    }

    public synchronized List<String> lines() {
        return commands.stream().map(command -> String.join(" ", command)).toList();
    }
}
