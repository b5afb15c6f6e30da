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
import java.util.ArrayList;
import java.util.List;

/**
 * The record of the chunks whose frames are durably in disk.img.zst, kept next to it as capture.journal. A line is
 * appended only after the frames it names were forced to storage, so after a crash every journaled chunk is intact;
 * anything after the last journaled frame is cut off and captured again. The first line carries a fingerprint of the
 * capture plan: a journal from a different disk layout or codec is discarded.
 */
public final class CaptureJournal implements AutoCloseable {

    public static final String FILE_NAME = "capture.journal";
    private static final String HEADER = "pureboot-capture-journal v1 ";

    private final Path file;
    private final FileChannel channel;
    private final List<ManifestChunk> done;
    private final StringBuilder pending = new StringBuilder();

    private CaptureJournal(Path file, FileChannel channel, List<ManifestChunk> done) {
        this.file = file;
        this.channel = channel;
        this.done = List.copyOf(done);
    }

    /** The chunks an earlier, interrupted capture with the same fingerprint completed, in order. */
    public List<ManifestChunk> done() {
        return done;
    }

    /** Where the frames of the completed chunks end in disk.img.zst. */
    public long doneImageBytes() {
        if (done.isEmpty()) {
            return 0;
        }
        ManifestChunk last = done.get(done.size() - 1);
        return last.compressedOffset() + last.compressedSize();
    }

    /**
     * Opens the journal in {@code directory}: returns the chunks an earlier run with the same fingerprint completed
     * (empty when none) and leaves the journal ready for appending after them.
     */
    public static CaptureJournal open(Path directory, String fingerprint) {
        Path file = directory.resolve(FILE_NAME);
        List<ManifestChunk> done = new ArrayList<>();
        try {
            if (Files.exists(file)) {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                if (!lines.isEmpty() && lines.get(0).equals(HEADER + fingerprint)) {
                    for (int i = 1; i < lines.size(); i++) {
                        ManifestChunk chunk = parseLine(lines.get(i), done.size());
                        if (chunk == null) {
                            break;
                        }
                        done.add(chunk);
                    }
                }
            }
            String content = HEADER + fingerprint + "\n" + done.stream().map(CaptureJournal::line)
                    .reduce("", String::concat);
            Path temporary = directory.resolve(FILE_NAME + ".tmp");
            Files.writeString(temporary, content, StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            return new CaptureJournal(file, channel, done);
        } catch (IOException e) {
            throw new AgentException(FailureKind.STAGING, "cannot open the capture journal " + file + ": "
                    + e.getMessage(), e);
        }
    }

    /** Queues a chunk; it reaches the file at the next {@link #flush()}. */
    public void append(ManifestChunk chunk) {
        pending.append(line(chunk));
    }

    /** Writes the queued lines; call only after the frames they name were forced to storage. */
    public void flush() {
        if (pending.isEmpty()) {
            return;
        }
        try {
            ByteBuffer buffer = ByteBuffer.wrap(pending.toString().getBytes(StandardCharsets.UTF_8));
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(false);
            pending.setLength(0);
        } catch (IOException e) {
            throw new AgentException(FailureKind.STAGING, "cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Removes the journal once the manifest is written: the capture is complete. */
    public void delete() {
        close();
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new AgentException(FailureKind.STAGING, "cannot delete " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // closing a journal we only appended to; the data was forced at the last flush
        }
    }

    static String line(ManifestChunk chunk) {
        return chunk.index() + " " + chunk.offset() + " " + chunk.length() + " " + chunk.partition() + " "
                + chunk.relativeOffset() + " " + chunk.compressedOffset() + " " + chunk.compressedSize() + " "
                + chunk.kind().name() + " " + chunk.sha256() + "\n";
    }

    /** A journal line, or null for a torn or out-of-order line (the journal is trusted only up to there). */
    static ManifestChunk parseLine(String line, int expectedIndex) {
        String[] fields = line.strip().split(" ");
        if (fields.length != 9) {
            return null;
        }
        try {
            ManifestChunk chunk = new ManifestChunk(Integer.parseInt(fields[0]), Long.parseLong(fields[1]),
                    Integer.parseInt(fields[2]), Integer.parseInt(fields[3]), Long.parseLong(fields[4]),
                    Long.parseLong(fields[5]), Integer.parseInt(fields[6]), fields[8], ChunkKind.valueOf(fields[7]));
            return chunk.index() == expectedIndex ? chunk : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
