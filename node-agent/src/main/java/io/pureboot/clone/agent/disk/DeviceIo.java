package io.pureboot.clone.agent.disk;

import io.pureboot.clone.agent.AgentException;
import io.pureboot.clone.agent.FailureKind;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** Positional whole-buffer reads and writes that name the device and offset when they fail. */
public final class DeviceIo {

    private DeviceIo() {
    }

    /** Reads {@code length} bytes at {@code offset} into {@code target} from {@code targetOffset}. */
    public static void readFully(FileChannel channel, String device, long offset, byte[] target, int targetOffset,
            int length) {
        ByteBuffer buffer = ByteBuffer.wrap(target, targetOffset, length);
        try {
            while (buffer.hasRemaining()) {
                int read = channel.read(buffer, offset + (buffer.position() - targetOffset));
                if (read < 0) {
                    throw new AgentException(FailureKind.DISK, device + ": unexpected end at byte "
                            + (offset + buffer.position() - targetOffset));
                }
            }
        } catch (IOException e) {
            throw new AgentException(FailureKind.DISK, device + ": cannot read " + length + " bytes at offset " + offset
                    + ": " + e.getMessage(), e);
        }
    }

    public static byte[] read(FileChannel channel, String device, long offset, int length) {
        byte[] bytes = new byte[length];
        readFully(channel, device, offset, bytes, 0, length);
        return bytes;
    }

    /** Writes the remaining bytes of {@code source} at {@code offset}. */
    public static void writeFully(FileChannel channel, String device, long offset, ByteBuffer source) {
        int start = source.position();
        int length = source.remaining();
        try {
            while (source.hasRemaining()) {
                channel.write(source, offset + (source.position() - start));
            }
        } catch (IOException e) {
            throw new AgentException(FailureKind.DISK, device + ": cannot write " + length + " bytes at offset "
                    + offset + ": " + e.getMessage(), e);
        }
    }

    /** Writes {@code length} bytes of {@code source} at {@code offset}. */
    public static void writeFully(FileChannel channel, String device, long offset, byte[] source, int sourceOffset,
            int length) {
        writeFully(channel, device, offset, ByteBuffer.wrap(source, sourceOffset, length));
    }
}
