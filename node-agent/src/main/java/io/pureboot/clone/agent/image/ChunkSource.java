package io.pureboot.clone.agent.image;

import static java.util.Objects.requireNonNull;

/**
 * Where a restore gets the frames of data chunks: the staged image file, or a direct-mode source that compresses each
 * chunk when asked. Implementations are called from several restore workers at once.
 */
public interface ChunkSource extends AutoCloseable {

    /**
     * One chunk's zstd frame and the SHA-256 its raw bytes must have.
     *
     * @param bytes the frame
     * @param sha256 the expected SHA-256 of the decompressed chunk, lower-case hex
     */
    record Frame(byte[] bytes, String sha256) {
        public Frame {
            requireNonNull(bytes, "bytes is null");
            requireNonNull(sha256, "sha256 is null");
        }
    }

    /** Fetches the frame of a data chunk; failures are {@link io.pureboot.clone.agent.AgentException}s. */
    Frame frame(ManifestChunk chunk);

    /**
     * The restore wrote {@code chunk}'s verified bytes, whole and unchanged, at {@code targetOffset} of the target disk
     * (not called for chunks written cut short or with a blanked part). A swarm source offers such chunks to its peers.
     *
     * @param frame the frame the written bytes came in, verified: they have its {@link Frame#sha256()}
     */
    default void written(ManifestChunk chunk, Frame frame, long targetOffset) {
    }

    /** Where the chunk came from, for error messages ("image bytes 1234+567", "https://10.0.0.5:7443"). */
    String describe(ManifestChunk chunk);

    @Override
    void close();
}
