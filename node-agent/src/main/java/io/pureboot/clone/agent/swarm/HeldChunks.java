package io.pureboot.clone.agent.swarm;

import java.time.Duration;
import java.util.BitSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The chunks this target has written whole and verified, with where they are on its disk and the hash they were
 * verified against: what its chunk server offers to the session's other targets. A peer may wait for a chunk
 * ({@link #await}): it is woken as soon as the chunk is added. The frames the last chunks came in are kept (bounded):
 * peers ask for a chunk mostly within seconds of its writing, and a kept frame is sent as it is instead of being read
 * back from the disk, hashed and compressed again. Thread-safe.
 */
public final class HeldChunks {

    /** The bytes of received frames kept for the chunk server. */
    static final long KEPT_FRAME_BYTES = 32L << 20;

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
    /** Guarded by itself; in the order the frames were added. */
    private final LinkedHashMap<Integer, byte[]> keptFrames = new LinkedHashMap<>();
    private long keptBytes;

    /** Offers a written chunk whose frame is not at hand: the chunk server reads it back from the disk. */
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

    /**
     * Offers a written chunk with the verified frame it came in, kept while it is among the last
     * {@link #KEPT_FRAME_BYTES} of frames added.
     */
    public void add(int index, Held chunk, byte[] frame) {
        keep(index, frame);
        add(index, chunk);
    }

    /** The frame {@code index} came in, while it is kept. */
    Optional<byte[]> keptFrame(int index) {
        synchronized (keptFrames) {
            return Optional.ofNullable(keptFrames.get(index));
        }
    }

    private void keep(int index, byte[] frame) {
        synchronized (keptFrames) {
            byte[] replaced = keptFrames.put(index, frame);
            keptBytes += frame.length - (replaced == null ? 0 : replaced.length);
            Iterator<byte[]> oldest = keptFrames.values().iterator();
            while (keptBytes > KEPT_FRAME_BYTES && oldest.hasNext()) {
                keptBytes -= oldest.next().length;
                oldest.remove();
            }
        }
    }

    /** Stops offering a chunk (its bytes on the disk changed since). */
    public void forget(int index) {
        held.remove(index);
        synchronized (keptFrames) {
            byte[] kept = keptFrames.remove(index);
            keptBytes -= kept == null ? 0 : kept.length;
        }
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
