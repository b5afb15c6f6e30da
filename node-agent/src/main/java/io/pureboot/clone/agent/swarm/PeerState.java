package io.pureboot.clone.agent.swarm;

import java.util.BitSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** What a swarm target knows of one peer: its last have map, when it was seen and grew, and whether it was dropped. */
final class PeerState {

    final PeerClient client;
    final AtomicInteger failures = new AtomicInteger();
    final AtomicBoolean polling = new AtomicBoolean();
    private volatile BitSet have = new BitSet();
    private volatile int haveCount;
    private volatile long lastSeenNanos;
    private volatile long lastGrowthNanos;
    private volatile String droppedBecause;
    private volatile boolean pollFailing;

    PeerState(PeerClient client) {
        this.client = client;
    }

    String nodeId() {
        return client.peer().nodeId();
    }

    /** A have map was read at {@code now}. */
    void seen(BitSet latest, long now) {
        int count = latest.cardinality();
        if (lastSeenNanos == 0 || count > haveCount) {
            lastGrowthNanos = now;
        }
        have = latest;
        haveCount = count;
        lastSeenNanos = now;
        failures.set(0);
        pollFailing = false;
    }

    /** A have map could not be read; true when the one before could (worth a log line). */
    boolean pollFailed(String reason) {
        boolean first = !pollFailing;
        pollFailing = true;
        return first;
    }

    boolean holds(int index) {
        return droppedBecause == null && have.get(index);
    }

    /** Holds a chunk at {@code from} or later: it went past the chunks before. */
    boolean holdsFrom(int from) {
        return have.nextSetBit(from) >= 0;
    }

    int haveCount() {
        return haveCount;
    }

    boolean live(long now, long staleNanos) {
        return droppedBecause == null && lastSeenNanos != 0 && now - lastSeenNanos < staleNanos;
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
