package io.pureboot.clone.agent.process;

import static java.util.Objects.requireNonNull;

import io.pureboot.clone.agent.AgentException;
import io.pureboot.clone.agent.FailureKind;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * Finds the external tools a job will run, before the job changes anything: a restore that would fail on a missing
 * resize2fs after writing the whole disk must fail before its first write instead.
 */
public final class Tools {

    private final List<Path> searchPath;

    private Tools(List<Path> searchPath) {
        this.searchPath = List.copyOf(searchPath);
    }

    /** The directories of this process's PATH: where {@link CommandRunner#system()} finds its commands. */
    public static Tools system() {
        String path = System.getenv("PATH");
        return searching(Arrays.stream((path == null ? "/usr/sbin:/usr/bin:/sbin:/bin" : path)
                .split(File.pathSeparator)).filter(entry -> !entry.isEmpty()).map(Path::of).toList());
    }

    /** Tools found in these directories only (tests leave one out). */
    public static Tools searching(List<Path> directories) {
        return new Tools(requireNonNull(directories, "directories is null"));
    }

    /** The names among {@code tools} that no directory of the search path holds as an executable. */
    public List<String> missing(Collection<String> tools) {
        return tools.stream().distinct().filter(tool -> searchPath.stream()
                .noneMatch(directory -> Files.isExecutable(directory.resolve(tool)))).sorted().toList();
    }

    /** Fails with {@link FailureKind#TOOL} naming every missing tool and what it was needed for. */
    public void requirePresent(Collection<String> tools, String purpose) {
        List<String> missing = missing(tools);
        if (!missing.isEmpty()) {
            throw new AgentException(FailureKind.TOOL, purpose + " needs " + String.join(", ", missing)
                    + ", not found in " + searchPath.stream().map(Path::toString).reduce((a, b) -> a + ":" + b)
                            .orElse("an empty PATH"));
        }
    }
}
