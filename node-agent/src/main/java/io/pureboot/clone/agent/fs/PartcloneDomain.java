package io.pureboot.clone.agent.fs;

import io.pureboot.clone.agent.AgentException;
import io.pureboot.clone.agent.FailureKind;
import io.pureboot.clone.agent.process.CommandResult;
import io.pureboot.clone.agent.process.CommandRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The used-block map of filesystems the agent does not parse itself (NTFS, XFS, btrfs), from partclone's ddrescue
 * domain log ({@code partclone.<fs> -D}): partclone reads only the filesystem's allocation metadata for it.
 */
public final class PartcloneDomain {

    private PartcloneDomain() {
    }

    /**
     * The command that writes the domain log of {@code device} to {@code output}. NTFS gets {@code -F}: ntfsresize
     * marks a resized volume for a Windows check, which partclone otherwise refuses; reading the bitmap is safe.
     */
    public static List<String> command(FilesystemType type, Path device, Path output, Path log) {
        String tool = "partclone." + type.name().toLowerCase(Locale.ROOT);
        List<String> command = new ArrayList<>(List.of(tool, "-D"));
        if (type == FilesystemType.NTFS) {
            command.add("-F");
        }
        command.addAll(List.of("-s", device.toString(), "-o", output.toString(), "-L", log.toString(), "-q"));
        return List.copyOf(command);
    }

    /** Runs partclone in a temporary directory (always deleted) and parses its domain log. */
    public static ExtentMap usedMap(CommandRunner runner, FilesystemType type, Path device) {
        Path directory = null;
        try {
            directory = Files.createTempDirectory("pureboot-domain");
            Path output = directory.resolve("domain.log");
            Path log = directory.resolve("partclone.log");
            CommandResult result = runner.run(command(type, device, output, log));
            if (!result.succeeded()) {
                throw new AgentException(FailureKind.TOOL, "'" + result.commandLine() + "' exited with "
                        + result.exitCode() + ": " + logTail(log));
            }
            return parse(Files.readAllLines(output), device.toString());
        } catch (IOException e) {
            throw new AgentException(FailureKind.TOOL, "cannot map the used blocks of " + device + ": " + e.getMessage(),
                    e);
        } finally {
            deleteQuietly(directory);
        }
    }

    /** partclone's own explanation: the log's last lines that say something (its stderr only points at the log). */
    private static String logTail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log).stream().map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("Partclone")).toList();
            return String.join(" ", lines.subList(Math.max(0, lines.size() - 2), lines.size()));
        } catch (IOException e) {
            return "(no partclone log)";
        }
    }

    /** Parses a ddrescue domain log: {@code pos size status} lines, {@code +} meaning the block is in use. */
    public static ExtentMap parse(List<String> lines, String source) {
        ExtentMap map = new ExtentMap();
        boolean statusLineSeen = false;
        int lineNumber = 0;
        for (String raw : lines) {
            lineNumber++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split("\\s+");
            if (!statusLineSeen) {
                // The first data line is "current_pos current_status"; the block lines follow it.
                statusLineSeen = true;
                continue;
            }
            if (fields.length < 3) {
                throw new AgentException(FailureKind.TOOL, "domain log of " + source + ", line " + lineNumber
                        + ": expected 'pos size status', got '" + line + "'");
            }
            if ("+".equals(fields[2])) {
                map.add(Long.decode(fields[0]), Long.decode(fields[1]));
            }
        }
        return map;
    }

    private static void deleteQuietly(Path directory) {
        if (directory == null) {
            return;
        }
        try (var files = Files.list(directory)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(directory);
        } catch (IOException e) {
            // best effort: a temporary directory under /tmp
        }
    }
}
