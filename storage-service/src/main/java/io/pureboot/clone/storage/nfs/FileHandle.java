package io.pureboot.clone.storage.nfs;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.HexFormat;

/** An NFSv3 file handle (RFC 1813 nfs_fh3): opaque to the client, at most 64 bytes. */
public record FileHandle(byte[] bytes) {

    public static final int MAX_SIZE = 64;

    public FileHandle {
        requireNonNull(bytes, "bytes is null");
        if (bytes.length == 0 || bytes.length > MAX_SIZE) {
            throw new IllegalArgumentException("file handle must be 1 to 64 bytes, got " + bytes.length);
        }
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof FileHandle handle && Arrays.equals(bytes, handle.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "FileHandle[" + HexFormat.of().formatHex(bytes) + "]";
    }
}
