package io.pureboot.clone.agent.swarm;

import java.util.BitSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What a swarm target knows of one peer: the chunks it is known to hold (its last have map, and the chunks it served
 * since), its progress as it said with its last answer, when that grew, whether its last request failed, and whether
 * it was dropped. A peer never asked yet is presumed live: asking it is how a target finds out.
 */
final class PeerState {

    final PeerClient client;
    final AtomicInteger failures = new AtomicInteger();
    final AtomicBoolean polling = new AtomicBoolean();
    /** Held by the one request that makes first contact; the others wait for its outcome. */
    final ReentrantLock firstContact = new ReentrantLock();
    private final BitSet known = new BitSet();
    private volatile int count;
    private volatile int top = -1;
    private volatile long lastGrowthNanos;
    private volatile String droppedBecause;
    private volatile long failingSinceNanos;
    private volatile boolean answered;

    PeerState(PeerClient client) {
        this.client = client;
    }

    String nodeId() {
        return client.peer().nodeId();
    }

    /** It answered at {@code now}, holding this much; {@code progress} may be null (it did not say). */
    synchronized void heard(HeldChunks.Progress progress, long now) {
        failingSinceNanos = 0;
        if (!answered) {
            lastGrowthNanos = now;
        }
        answered = true;
        if (progress == null) {
            return;
        }
        if (progress.count() > count) {
            lastGrowthNanos = now;
        }
        count = progress.count();
        top = progress.top();
    }

    /** Its have map was read at {@code now}. */
    synchronized void haveMap(BitSet latest, long now) {
        known.clear();
        known.or(latest);
        heard(new HeldChunks.Progress(latest.cardinality(), latest.length() - 1), now);
        failures.set(0);
    }

    /** It served this chunk (and so holds it), as its next have map would say. */
    synchronized void served(int index) {
        known.set(index);
    }

    /** It answered once at least, with the certificate of the node the peer list names. */
    boolean answered() {
        return answered;
    }

    /** A request failed at {@code now}; true when the one before did not (worth a log line). */
    synchronized boolean failed(long now) {
        if (failingSinceNanos != 0) {
            return false;
        }
        failingSinceNanos = now;
        return true;
    }

    synchronized boolean holds(int index) {
        return droppedBecause == null && known.get(index);
    }

    /** Holds a chunk at {@code from} or later: it went past the chunks before. */
    boolean holdsFrom(int from) {
        return top >= from;
    }

    int count() {
        return count;
    }

    /**
     * Not dropped, and not failing every request for {@code staleNanos}: a peer whose requests time out because its
     * machine is busy (TLS handshakes of a whole swarm at once) is given that long before it is given up on.
     */
    boolean live(long now, long staleNanos) {
        long since = failingSinceNanos;
        return droppedBecause == null && (since == 0 || now - since < staleNanos);
    }

    /** Its last request failed. */
    boolean failing() {
        return failingSinceNanos != 0;
    }

    /** When it last held more (or first answered); 0 before it answered. */
    long lastGrowthNanos() {
        return lastGrowthNanos;
    }

    boolean dropped() {
        return droppedBecause != null;
    }

    String droppedBecause() {
        return droppedBecause;
    }

    /** Never asked again; true the first time only. */
    synchronized boolean drop(String reason) {
        if (droppedBecause != null) {
            return false;
        }
        droppedBecause = reason;
        return true;
    }
}
