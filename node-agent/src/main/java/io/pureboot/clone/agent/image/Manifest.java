package io.pureboot.clone.agent.image;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.pureboot.clone.agent.AgentException;
import io.pureboot.clone.agent.FailureKind;
import io.pureboot.clone.events.EventCodec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * manifest.json: everything a target needs besides the frames. Validated as a whole on load: chunks tile each
 * partition and gap in disk order and their frames tile disk.img.zst, so a truncated or edited manifest is caught
 * before anything is written.
 *
 * @param formatVersion {@value #FORMAT_VERSION}
 * @param createdBy the agent that wrote it
 * @param chunkSize the fixed chunk size
 * @param compression {@value #STAGED} (frames in disk.img.zst) or {@value #STREAMED} (direct mode: a source
 *     serves each frame on request, with the chunk's SHA-256)
 * @param compressionLevel the zstd level used
 * @param disk source disk geometry and identity
 * @param table source partition table facts
 * @param partitions source partitions
 * @param chunks the chunk table, in disk order
 * @param imageBytes size of disk.img.zst (0 when streamed)
 */
public record Manifest(
        int formatVersion,
        String createdBy,
        int chunkSize,
        String compression,
        int compressionLevel,
        ManifestDisk disk,
        ManifestTable table,
        List<ManifestPartition> partitions,
        List<ManifestChunk> chunks,
        long imageBytes) {

    public static final int FORMAT_VERSION = 1;
    public static final String FILE_NAME = "manifest.json";
    public static final String IMAGE_FILE_NAME = "disk.img.zst";
    /** Frames stored one after another in disk.img.zst. */
    public static final String STAGED = "zstd";
    /** Frames served one by one by a direct-mode source; the chunk table carries no frame positions. */
    public static final String STREAMED = "zstd-streamed";

    private static final ObjectMapper WRITER = EventCodec.mapper().copy().enable(SerializationFeature.INDENT_OUTPUT);

    public Manifest {
        requireNonNull(disk, "disk is null");
        requireNonNull(table, "table is null");
        partitions = List.copyOf(partitions);
        chunks = List.copyOf(chunks);
    }

    /** Checks the invariants between chunks, partitions and the image; the message names the first broken one. */
    public void validate() {
        if (formatVersion != FORMAT_VERSION) {
            throw corrupt("format version " + formatVersion + " is not supported (expected " + FORMAT_VERSION + ")");
        }
        if (!STAGED.equals(compression) && !STREAMED.equals(compression)) {
            throw corrupt("compression '" + compression + "' is not supported");
        }
        boolean streamed = streamed();
        long expectedOffset = 0;
        long expectedCompressed = 0;
        for (int i = 0; i < chunks.size(); i++) {
            ManifestChunk chunk = chunks.get(i);
            if (chunk.index() != i) {
                throw corrupt("chunk at position " + i + " has index " + chunk.index());
            }
            if (chunk.offset() != expectedOffset) {
                throw corrupt("chunk " + i + " starts at disk byte " + chunk.offset() + ", expected " + expectedOffset);
            }
            if (chunk.sha256() == null && !(streamed && chunk.kind() == ChunkKind.DATA)) {
                throw corrupt("chunk " + i + " has no sha256");
            }
            if (streamed) {
                if (chunk.compressedOffset() != 0 || chunk.compressedSize() != 0) {
                    throw corrupt("chunk " + i + " of a streamed manifest names image bytes");
                }
            } else if (chunk.compressedSize() == 0) {
                throw corrupt("chunk " + i + " has an empty frame");
            } else if (chunk.compressedOffset() != expectedCompressed) {
                throw corrupt("chunk " + i + " starts at image byte " + chunk.compressedOffset() + ", expected "
                        + expectedCompressed);
            }
            if (chunk.length() > chunkSize) {
                throw corrupt("chunk " + i + " is longer (" + chunk.length() + ") than the chunk size " + chunkSize);
            }
            expectedOffset = chunk.end();
            expectedCompressed += chunk.compressedSize();
        }
        if (expectedOffset != disk.sizeBytes()) {
            throw corrupt("chunks cover " + expectedOffset + " bytes, the disk has " + disk.sizeBytes());
        }
        if (expectedCompressed != imageBytes) {
            throw corrupt("frames add up to " + expectedCompressed + " bytes, image_bytes says " + imageBytes);
        }
        ManifestContainer extended = table.extended();
        for (ManifestPartition partition : partitions) {
            if (partition.logical() && (extended == null || partition.startBytes() < extended.startBytes()
                    || partition.endBytes() > extended.endBytes())) {
                throw corrupt("logical partition " + partition.number() + " lies outside "
                        + (extended == null ? "any extended partition (the manifest names none)"
                                : "extended partition " + extended.number()));
            }
            if (partition.firstChunk() + partition.chunkCount() > chunks.size()) {
                throw corrupt("partition " + partition.number() + " refers to chunks beyond the chunk table");
            }
            long relative = 0;
            for (int i = 0; i < partition.chunkCount(); i++) {
                ManifestChunk chunk = chunks.get(partition.firstChunk() + i);
                if (chunk.partition() != partition.number() || chunk.relativeOffset() != relative
                        || chunk.offset() != partition.startBytes() + relative) {
                    throw corrupt("chunk " + chunk.index() + " does not continue partition " + partition.number()
                            + " at relative offset " + relative);
                }
                relative += chunk.length();
            }
            if (relative != partition.sizeBytes()) {
                throw corrupt("partition " + partition.number() + " chunks cover " + relative + " bytes, expected "
                        + partition.sizeBytes());
            }
        }
    }

    /** True for a direct-mode source's manifest: frames are fetched one by one, not read from disk.img.zst. */
    public boolean streamed() {
        return STREAMED.equals(compression);
    }

    public ManifestPartition partition(int number) {
        return partitions.stream().filter(p -> p.number() == number).findFirst()
                .orElseThrow(() -> corrupt("no partition " + number));
    }

    public byte[] toJson() {
        try {
            return WRITER.writeValueAsBytes(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the manifest", e);
        }
    }

    /** Writes the manifest atomically (temporary file, fsync, rename) so a crash never leaves half a manifest. */
    public void write(Path directory) {
        Path target = directory.resolve(FILE_NAME);
        Path temporary = directory.resolve(FILE_NAME + ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(toJson());
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new AgentException(FailureKind.STAGING, "cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /** Reads and validates a manifest; a parse error names the JSON line and column. */
    public static Manifest read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new AgentException(FailureKind.STAGING, "cannot read " + file + ": " + e.getMessage(), e);
        }
        return parse(bytes, file.toString());
    }

    public static Manifest parse(byte[] json, String source) {
        Manifest manifest;
        try {
            manifest = EventCodec.mapper().readValue(json, Manifest.class);
        } catch (IOException | IllegalArgumentException | NullPointerException e) {
            String reason = e instanceof JsonProcessingException processing
                    ? processing.getOriginalMessage() + " at " + location(processing)
                    : e.getMessage();
            throw new AgentException(FailureKind.IMAGE_CORRUPT, source + ": not a valid manifest: " + reason, e);
        }
        try {
            manifest.validate();
        } catch (AgentException e) {
            throw new AgentException(FailureKind.IMAGE_CORRUPT, source + ": " + e.getMessage(), e);
        }
        return manifest;
    }

    private static String location(JsonProcessingException e) {
        if (e.getLocation() == null) {
            return "unknown position";
        }
        return "line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + " (byte "
                + e.getLocation().getByteOffset() + ")";
    }

    private static AgentException corrupt(String reason) {
        return new AgentException(FailureKind.IMAGE_CORRUPT, "manifest: " + reason);
    }
}
