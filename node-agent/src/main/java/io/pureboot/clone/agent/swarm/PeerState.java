package io.pureboot.clone.agent.swarm;

import java.util.BitSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a swarm target knows of one peer: the chunks it is known to hold (its last have map, and the chunks it served
 * since), its progress as it said with its last answer, when that grew, whether its last request failed, and whether
 * it was dropped. A peer never asked yet is presumed live: asking it is how a target finds out.
 */
final class PeerState {

    final PeerClient client;
    final AtomicInteger failures = new AtomicInteger();
    final AtomicBoolean polling = new AtomicBoolean();
    private final BitSet known = new BitSet();
    private volatile int count;
    private volatile int top = -1;
    private volatile long lastGrowthNanos;
    private volatile String droppedBecause;
    private volatile boolean failing;

    PeerState(PeerClient client, long now) {
        this.client = client;
        this.lastGrowthNanos = now;
    }

    String nodeId() {
        return client.peer().nodeId();
    }

    /** It answered at {@code now}, holding this much; {@code progress} may be null (it did not say). */
    synchronized void heard(HeldChunks.Progress progress, long now) {
        failing = false;
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

    /** A request failed; true when the one before did not (worth a log line). */
    boolean failed() {
        boolean first = !failing;
        failing = true;
        return first;
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

    /** Not dropped, and its last request did not fail. */
    boolean live() {
        return droppedBecause == null && !failing;
    }

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
