package io.pureboot.clone.agent.image;

import static java.util.Objects.requireNonNull;

import io.pureboot.clone.agent.AgentException;
import io.pureboot.clone.agent.FailureKind;
import io.pureboot.clone.agent.disk.DeviceIo;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Frames read from a staged disk.img.zst at the positions the manifest gives (positional reads, thread-safe). */
public final class StagedChunkSource implements ChunkSource {

    private final FileChannel image;
    private final String imageName;

    private StagedChunkSource(FileChannel image, String imageName) {
        this.image = image;
        this.imageName = imageName;
    }

    /** Opens the image of {@code manifest} in {@code directory}, checking it is as long as the manifest says. */
    public static StagedChunkSource open(Path directory, Manifest manifest) {
        requireNonNull(manifest, "manifest is null");
        Path imageFile = directory.resolve(Manifest.IMAGE_FILE_NAME);
        FileChannel image;
        try {
            image = FileChannel.open(imageFile, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new AgentException(FailureKind.STAGING, "cannot read " + imageFile + ": " + e.getMessage(), e);
        }
        try {
            if (image.size() < manifest.imageBytes()) {
                throw new AgentException(FailureKind.IMAGE_CORRUPT, imageFile + " has " + image.size()
                        + " bytes, the manifest says " + manifest.imageBytes());
            }
        } catch (IOException | AgentException e) {
            closeQuietly(image);
            if (e instanceof AgentException agent) {
                throw agent;
            }
            throw new AgentException(FailureKind.STAGING, "cannot read " + imageFile + ": " + e.getMessage(), e);
        }
        return new StagedChunkSource(image, imageFile.toString());
    }

    @Override
    public Frame frame(ManifestChunk chunk) {
        try {
            return new Frame(DeviceIo.read(image, imageName, chunk.compressedOffset(), chunk.compressedSize()),
                    chunk.sha256());
        } catch (AgentException e) {
            throw new AgentException(FailureKind.STAGING, e.getMessage(), e);
        }
    }

    @Override
    public String describe(ManifestChunk chunk) {
        return "image bytes " + chunk.compressedOffset() + "+" + chunk.compressedSize();
    }

    @Override
    public void close() {
        closeQuietly(image);
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // read-only; nothing to lose
        }
    }
}
