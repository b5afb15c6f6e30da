package io.pureboot.clone.agent.swarm;

import java.time.Duration;
import java.util.BitSet;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The chunks this target has written whole and verified, with where they are on its disk and the hash they were
 * verified against: what its chunk server offers to the session's other targets. A peer may wait for a chunk
 * ({@link #await}): it is woken as soon as the chunk is added. Thread-safe.
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

    /**
     * How far this target got, sent with every answer of its chunk server so that a peer waiting for it sees it grow
     * without asking for its whole map.
     *
     * @param count chunks held
     * @param top the highest index held, -1 when none
     */
    public record Progress(int count, int top) {
    }

    private final Map<Integer, Held> held = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition added = lock.newCondition();
    private final BitSet bitmap = new BitSet();

    public void add(int index, Held chunk) {
        held.put(index, chunk);
        lock.lock();
        try {
            bitmap.set(index);
            added.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Stops offering a chunk (its bytes on the disk changed since). */
    public void forget(int index) {
        held.remove(index);
        lock.lock();
        try {
            bitmap.clear(index);
        } finally {
            lock.unlock();
        }
    }

    public Optional<Held> get(int index) {
        return Optional.ofNullable(held.get(index));
    }

    /** The chunk as soon as it is held, or empty if it is not within {@code longest}. */
    public Optional<Held> await(int index, Duration longest) throws InterruptedException {
        long left = longest.toNanos();
        lock.lock();
        try {
            while (!bitmap.get(index) && left > 0) {
                left = added.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
        return get(index);
    }

    public int count() {
        return held.size();
    }

    public Progress progress() {
        lock.lock();
        try {
            return new Progress(bitmap.cardinality(), bitmap.length() - 1);
        } finally {
            lock.unlock();
        }
    }

    /** The held chunks as {@link BitSet#toByteArray()} (bit i of byte i / 8 is chunk i), the have endpoint's body. */
    public byte[] bitmap() {
        lock.lock();
        try {
            return bitmap.toByteArray();
        } finally {
            lock.unlock();
        }
    }
}
