package io.pureboot.clone.agent.swarm;

import java.util.BitSet;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The chunks this target has written whole and verified, with where they are on its disk and the hash they were
 * verified against: what its chunk server offers to the session's other targets. Thread-safe.
 */
public final class HeldChunks {

    /**
     * A written chunk.
     *
     * @param sha256 the hash its bytes were verified against before they were written
     * @param targetOffset where it starts on this target's disk
     * @param length its length
     */
    public record Held(String sha256, long targetOffset, int length) {
    }

    private final Map<Integer, Held> held = new ConcurrentHashMap<>();
    private final BitSet bitmap = new BitSet();

    public void add(int index, Held chunk) {
        held.put(index, chunk);
        synchronized (bitmap) {
            bitmap.set(index);
        }
    }

    /** Stops offering a chunk (its bytes on the disk changed since). */
    public void forget(int index) {
        held.remove(index);
        synchronized (bitmap) {
            bitmap.clear(index);
        }
    }

    public Optional<Held> get(int index) {
        return Optional.ofNullable(held.get(index));
    }

    public int count() {
        return held.size();
    }

    /** The held chunks as {@link BitSet#toByteArray()} (bit i of byte i / 8 is chunk i), the have endpoint's body. */
    public byte[] bitmap() {
        synchronized (bitmap) {
            return bitmap.toByteArray();
        }
    }
}
