package io.pureboot.clone.agent.image;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The frame and SHA-256 of an all-zero chunk, per length, computed once: unused chunks cost no compression. */
public final class ZeroFrames {

    public record Frame(byte[] compressed, String sha256) {
    }

    private final ChunkCodec codec;
    private final Map<Integer, Frame> frames = new ConcurrentHashMap<>();

    public ZeroFrames(ChunkCodec codec) {
        this.codec = codec;
    }

    public Frame frame(int length) {
        return frames.computeIfAbsent(length, this::build);
    }

    private Frame build(int length) {
        byte[] zeros = new byte[length];
        byte[] target = new byte[codec.maxCompressedLength(length)];
        int size = codec.compress(zeros, length, target);
        return new Frame(Arrays.copyOf(target, size), sha256(zeros, length));
    }

    public static String sha256(byte[] bytes, int length) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(bytes, 0, length);
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
