package io.pureboot.clone.agent.image;

import io.pureboot.clone.agent.AgentException;
import io.pureboot.clone.agent.FailureKind;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * How far a restore got: the index of the next chunk to write, recorded only after the target was forced to storage.
 * It lives on the target node (staging is read-only for targets). The first line fingerprints the manifest, the target
 * disk and the layout, so a journal of another restore is never trusted.
 */
public final class RestoreJournal implements AutoCloseable {

    private static final String HEADER = "pureboot-restore-journal v1 ";
    private static final String NEXT = "next ";

    private final Path file;
    private final FileChannel channel;
    private final int next;

    private RestoreJournal(Path file, FileChannel channel, int next) {
        this.file = file;
        this.channel = channel;
        this.next = next;
    }

    public static RestoreJournal open(Path file, String fingerprint) {
        int next = 0;
        try {
            Files.createDirectories(file.getParent());
            if (Files.exists(file)) {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                if (!lines.isEmpty() && lines.get(0).equals(HEADER + fingerprint)) {
                    for (int i = 1; i < lines.size(); i++) {
                        String line = lines.get(i);
                        if (line.startsWith(NEXT) && line.length() > NEXT.length()) {
                            try {
                                next = Math.max(next, Integer.parseInt(line.substring(NEXT.length()).strip()));
                            } catch (NumberFormatException e) {
                                break;
                            }
                        }
                    }
                }
            }
            Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(temporary, HEADER + fingerprint + "\n" + NEXT + next + "\n", StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return new RestoreJournal(file, FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND),
                    next);
        } catch (IOException e) {
            throw new AgentException(FailureKind.DISK, "cannot open the restore journal " + file + ": " + e.getMessage(),
                    e);
        }
    }

    /** The first chunk not yet durably written. */
    public int next() {
        return next;
    }

    /** Records that every chunk before {@code nextIndex} is on stable storage. */
    public void record(int nextIndex) {
        try {
            ByteBuffer buffer = ByteBuffer.wrap((NEXT + nextIndex + "\n").getBytes(StandardCharsets.UTF_8));
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(false);
        } catch (IOException e) {
            throw new AgentException(FailureKind.DISK, "cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    public void delete() {
        close();
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new AgentException(FailureKind.DISK, "cannot delete " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // only appended and forced; nothing to lose
        }
    }
}
