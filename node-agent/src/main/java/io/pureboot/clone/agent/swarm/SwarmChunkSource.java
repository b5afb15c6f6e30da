package io.pureboot.clone.agent.swarm;

import static java.util.Objects.requireNonNull;

import io.pureboot.clone.agent.AgentException;
import io.pureboot.clone.agent.FailureKind;
import io.pureboot.clone.agent.image.ChunkCodec;
import io.pureboot.clone.agent.image.ChunkSource;
import io.pureboot.clone.agent.image.ManifestChunk;
import io.pureboot.clone.agent.image.ZeroFrames;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;

/**
 * A restore's chunks from the session's other targets where they can give them, from the origin (the direct source, or
 * the staging server) otherwise. For each chunk: a peer known to hold it; if none is, the chunk's seeder (the members,
 * this target included, sorted by node id, take the chunks in turn) fetches it from the origin and the others ask the
 * seeder for it with a wait, which its chunk server answers as soon as it holds the chunk; unless the seeder's last
 * request failed, it went past the chunk, stalled or fell behind, or the wait lasted too long, then this target fetches
 * it from the origin itself. Have maps are read only to find other holders, at an interval that grows with the swarm
 * (the whole swarm reads about {@link Options#haveBudget()} a second). Every chunk from a peer is checked against the
 * manifest's hash or the origin's before the restore gets it; a peer that serves a bad chunk, or fails requests in a
 * row, is dropped. See docs/swarm.md.
 */
public final class SwarmChunkSource implements ChunkSource {

    /** The hash a chunk must have, from a party this target trusts (the manifest, or the origin). */
    @FunctionalInterface
    public interface TrustedHashes {
        String sha256(ManifestChunk chunk);
    }

    /**
     * Tuning.
     *
     * @param poll the shortest interval between two reads of one peer's have map
     * @param haveBudget have maps read a second by the whole swarm (each target reads each peer's every
     *     {@code members * (members - 1) / haveBudget} seconds, at least every {@code poll})
     * @param waitStep the longest one request waits for the seeder to hold a chunk (then the fallbacks are weighed
     *     again and it asks again); the seeder's server bounds it to {@link SwarmServer#LONGEST_WAIT}
     * @param stale a peer whose requests all failed for this long is not waited for (until it answers again)
     * @param stall a seeder that has not held more for this long (since it first answered) is not waited for
     * @param maxWait the longest wait for a chunk before it is fetched from the origin
     * @param behindBy a seeder holding this many chunks fewer than this target is not waited for
     * @param passSlack a seeder holding a chunk this far past the one waited for is not fetching it
     * @param failuresToDrop failed requests in a row after which a peer is dropped
     * @param connectTimeout timeout of connecting to a peer, and of a have-map request
     * @param chunkTimeout timeout of a chunk request's answer, on top of its wait
     * @param seedAtOnce chunks this target fetches from the origin at once as their seeder while it has peers: one
     *     after the other, each seeded chunk reaches the peers waiting for it early instead of all at the end
     */
    public record Options(Duration poll, int haveBudget, Duration waitStep, Duration stale, Duration stall,
            Duration maxWait,
            int behindBy, int passSlack, int failuresToDrop, Duration connectTimeout, Duration chunkTimeout,
            int seedAtOnce) {
        public Options {
            requireNonNull(poll, "poll is null");
            requireNonNull(waitStep, "waitStep is null");
            requireNonNull(stale, "stale is null");
            requireNonNull(stall, "stall is null");
            requireNonNull(maxWait, "maxWait is null");
            requireNonNull(connectTimeout, "connectTimeout is null");
            requireNonNull(chunkTimeout, "chunkTimeout is null");
            if (failuresToDrop < 1 || behindBy < 1 || passSlack < 1 || haveBudget < 1 || seedAtOnce < 1) {
                throw new IllegalArgumentException(
                        "failuresToDrop, behindBy, passSlack, haveBudget and seedAtOnce must be >= 1");
            }
            if (poll.isNegative() || poll.isZero() || waitStep.isNegative() || waitStep.isZero()) {
                throw new IllegalArgumentException("poll and waitStep must be positive");
            }
        }

        public static Options defaults() {
            // Generous timeouts: on a full link small packets queue and drop behind the chunks (a lost SYN is
            // resent after 1 s, then 3 s), on a busy machine a TLS handshake takes seconds, and a timed-out request
            // costs a new connection and handshake.
            return new Options(Duration.ofSeconds(1), 16, Duration.ofSeconds(10), Duration.ofSeconds(45),
                    Duration.ofSeconds(30), Duration.ofSeconds(90), 64, 64, 3, Duration.ofSeconds(30),
                    Duration.ofSeconds(30), 1);
        }

        /** How often one target reads one peer's have map in a swarm of {@code members} targets. */
        Duration haveInterval(int members) {
            Duration budgeted = Duration.ofMillis(1000L * members * (members - 1) / haveBudget);
            return budgeted.compareTo(poll) > 0 ? budgeted : poll;
        }
    }

    /** Why a chunk was fetched from the origin. */
    public enum OriginReason {
        /** This target is the chunk's seeder. */
        SEEDER,
        /** The seeder's requests all failed (refused, timed out, 5xx) for {@link Options#stale()}. */
        SEEDER_NOT_LIVE,
        /** The seeder has not held more for {@link Options#stall()} since it first answered. */
        SEEDER_STALLED,
        /** The seeder holds {@link Options#behindBy()} chunks fewer than this target. */
        SEEDER_BEHIND,
        /** The seeder holds chunks {@link Options#passSlack()} past this one: it is not fetching it. */
        SEEDER_PASSED,
        /** No peer had it after {@link Options#maxWait()}. */
        WAITED_LONGEST
    }

    /**
     * What came from where, for reports and benchmarks.
     *
     * @param originReasons chunks fetched from the origin, by reason
     * @param dropped the dropped peers, each as {@code <node>: <reason>}
     */
    public record Counts(long fromPeers, long fromOrigin, Map<OriginReason, Long> originReasons,
            List<String> dropped) {
    }

    /** A peer dropped during the restore and why (it served a bad chunk, or failed requests in a row). */
    public record DroppedPeer(String nodeId, String reason) {
    }

    private static final Logger LOG = Logger.getLogger(SwarmChunkSource.class.getName());
    private static final Duration DIRECTORY_EVERY = Duration.ofSeconds(3);
    /** A wait answered long before its end without the chunk (the peer was busy): ask again after this. */
    private static final Duration EARLY_ANSWER_PAUSE = Duration.ofMillis(250);
    /** How long a seeder waits, at most, to hear from every peer before it fetches a chunk no known peer holds. */
    private static final Duration FIRST_CONTACT_WAIT = Duration.ofSeconds(3);
    private static final int FIRST_CONTACTS_AT_ONCE = 4;
    /** A seeder whose request failed (within {@link Options#stale()}) is asked again after this. */
    private static final Duration AFTER_FAILURE_PAUSE = Duration.ofSeconds(1);

    private final String selfId;
    private final ChunkSource origin;
    private final TrustedHashes hashes;
    private final HeldChunks held;
    private final ChunkCodec codec;
    private final Options options;
    private final HttpClient http;
    private final Supplier<List<SwarmPeer>> directory;
    private final Map<String, PeerState> peers = new ConcurrentHashMap<>();
    private final ExecutorService polls = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicLong fromPeers = new AtomicLong();
    private final AtomicLong fromOrigin = new AtomicLong();
    private final Map<OriginReason, AtomicLong> originReasons = new EnumMap<>(OriginReason.class);
    private final Semaphore seeding;
    /**
     * First contacts (TCP and TLS handshakes) made at once: a swarm starting together makes members * (members - 1)
     * of them; all at once on a busy machine they time out, and a timed-out handshake is redone from the start.
     */
    private final Semaphore contacting = new Semaphore(FIRST_CONTACTS_AT_ONCE, true);
    private final Thread poller;

    /**
     * Lists the peers and starts reading their have maps (slowly: the seeders' waits, not the have maps, carry the
     * chunks across).
     *
     * @param selfId this target's node id
     * @param origin the direct source or the staged image; not closed by this source
     * @param hashes trusted hashes of chunks whose manifest entry has none (direct mode: the origin's)
     * @param held this target's written chunks, which its {@link SwarmServer} offers; filled by {@link #written}
     * @param codec decompresses peers' frames to check them
     * @param peerTls {@code SessionCredentials#peerSslContext}
     * @param directory the session's other targets' chunk servers; asked again every few seconds
     */
    public SwarmChunkSource(String selfId, ChunkSource origin, TrustedHashes hashes, HeldChunks held,
            ChunkCodec codec, SSLContext peerTls, Supplier<List<SwarmPeer>> directory, Options options) {
        this.selfId = requireNonNull(selfId, "selfId is null");
        this.origin = requireNonNull(origin, "origin is null");
        this.hashes = requireNonNull(hashes, "hashes is null");
        this.held = requireNonNull(held, "held is null");
        this.codec = requireNonNull(codec, "codec is null");
        this.directory = requireNonNull(directory, "directory is null");
        this.options = requireNonNull(options, "options is null");
        this.http = PeerClient.shared(requireNonNull(peerTls, "peerTls is null"), options.connectTimeout());
        this.seeding = new Semaphore(options.seedAtOnce(), true);
        for (OriginReason reason : OriginReason.values()) {
            originReasons.put(reason, new AtomicLong());
        }
        refreshDirectory();
        this.poller = Thread.ofPlatform().daemon().name("swarm-poller").start(this::pollLoop);
    }

    @Override
    public Frame frame(ManifestChunk chunk) {
        long started = System.nanoTime();
        Set<String> notThere = new HashSet<>();
        while (true) {
            PeerState holder = holder(chunk.index(), notThere);
            if (holder != null) {
                Frame frame = fromPeer(holder, chunk, Duration.ZERO, notThere);
                if (frame != null) {
                    return frame;
                }
                continue;
            }
            String seederId = seeder(chunk.index());
            if (seederId.equals(selfId) && awaitingFirstContact(started)) {
                pause(EARLY_ANSWER_PAUSE, chunk);
                continue;
            }
            OriginReason reason = originNow(seederId, chunk.index(), started);
            if (reason != null) {
                fromOrigin.incrementAndGet();
                originReasons.get(reason).incrementAndGet();
                return reason == OriginReason.SEEDER ? seed(chunk) : origin.frame(chunk);
            }
            Duration left = options.maxWait().minusNanos(System.nanoTime() - started);
            Duration wait = left.compareTo(options.waitStep()) < 0 ? left : options.waitStep();
            long asked = System.nanoTime();
            PeerState seeder = peers.get(seederId);
            Frame frame = fromPeer(seeder, chunk, wait.isNegative() ? Duration.ZERO : wait, null);
            if (frame != null) {
                return frame;
            }
            if (seeder.failing()) {
                pause(AFTER_FAILURE_PAUSE, chunk);
            } else if (System.nanoTime() - asked < wait.toNanos() / 2) {
                pause(EARLY_ANSWER_PAUSE, chunk);
            }
        }
    }

    /**
     * True while a peer (not dropped, not failing) has not answered yet, for at most {@link #FIRST_CONTACT_WAIT}: a
     * target restarted beside peers that already hold its chunks learns so from their have maps before it seeds them
     * from the origin (SwarmCloneTest's resumed target seeded 2 of 32 chunks from the origin without it).
     */
    private boolean awaitingFirstContact(long started) {
        return System.nanoTime() - started < FIRST_CONTACT_WAIT.toNanos()
                && peers.values().stream().anyMatch(peer -> !peer.dropped() && !peer.answered() && !peer.failing());
    }

    /** A chunk this target seeds, from the origin: {@link Options#seedAtOnce()} at a time while it has peers. */
    private Frame seed(ManifestChunk chunk) {
        if (peers.values().stream().allMatch(PeerState::dropped)) {
            return origin.frame(chunk);
        }
        try {
            seeding.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentException(FailureKind.INTERRUPTED, "interrupted before seeding chunk " + chunk.index(), e);
        }
        try {
            return origin.frame(chunk);
        } finally {
            seeding.release();
        }
    }

    @Override
    public void written(ManifestChunk chunk, Frame frame, long targetOffset) {
        held.add(chunk.index(), new HeldChunks.Held(frame.sha256(), targetOffset, chunk.length()), frame.bytes());
    }

    @Override
    public String describe(ManifestChunk chunk) {
        // Chunks from peers are checked here before the restore sees them: what fails later came from the origin.
        return origin.describe(chunk);
    }

    public Counts counts() {
        List<String> dropped = dropped().stream().map(peer -> peer.nodeId() + ": " + peer.reason()).toList();
        Map<OriginReason, Long> reasons = new EnumMap<>(OriginReason.class);
        originReasons.forEach((reason, count) -> reasons.put(reason, count.get()));
        return new Counts(fromPeers.get(), fromOrigin.get(), reasons, dropped);
    }

    /** The peers dropped so far, by node id. */
    public List<DroppedPeer> dropped() {
        return peers.values().stream().filter(PeerState::dropped)
                .map(peer -> new DroppedPeer(peer.nodeId(), peer.droppedBecause()))
                .sorted(Comparator.comparing(DroppedPeer::nodeId)).toList();
    }

    private PeerState holder(int index, Set<String> notThere) {
        List<PeerState> holders = new ArrayList<>();
        for (PeerState peer : peers.values()) {
            if (peer.holds(index) && !notThere.contains(peer.nodeId())) {
                holders.add(peer);
            }
        }
        return holders.isEmpty() ? null : holders.get(ThreadLocalRandom.current().nextInt(holders.size()));
    }

    /**
     * The chunk from {@code peer}, waiting up to {@code wait} for it to hold it, once checked; or null (then the
     * caller looks again). A peer that failed or did not hold it is added to {@code notThere} if given.
     */
    private Frame fromPeer(PeerState peer, ManifestChunk chunk, Duration wait, Set<String> notThere) {
        if (!peer.answered() && !firstContact(peer)) {
            if (notThere != null) {
                notThere.add(peer.nodeId());
            }
            return null;
        }
        PeerClient.ChunkAnswer answer;
        try {
            answer = peer.client.frame(chunk.index(), wait);
        } catch (PeerClient.PeerFailure e) {
            failed(peer, e);
            if (notThere != null) {
                notThere.add(peer.nodeId());
            }
            return null;
        }
        peer.heard(answer.progress(), System.nanoTime());
        if (answer.frame().isEmpty()) {
            if (notThere != null) {
                notThere.add(peer.nodeId());
            }
            return null;
        }
        PeerClient.PeerFrame frame = answer.frame().get();
        String expected = chunk.sha256() != null ? chunk.sha256() : hashes.sha256(chunk);
        byte[] raw = new byte[chunk.length()];
        try {
            codec.decompress(frame.bytes(), 0, frame.bytes().length, raw, chunk.length());
        } catch (ChunkCodec.CorruptFrameException | IllegalStateException e) {
            drop(peer, "it served chunk " + chunk.index() + " in a frame that does not decompress ("
                    + e.getMessage() + ")");
            return null;
        }
        String actual = ZeroFrames.sha256(raw, raw.length);
        if (!actual.equals(expected)) {
            drop(peer, "it served chunk " + chunk.index() + " with SHA-256 " + actual + ", expected " + expected);
            return null;
        }
        peer.failures.set(0);
        peer.served(chunk.index());
        fromPeers.incrementAndGet();
        return new Frame(frame.bytes(), expected);
    }

    /**
     * Reads a peer's have map before it is first asked for a chunk: that proves it is the node the peer list names
     * (checked on every answer) before it sends a chunk for nothing, and tells what it holds. One request per peer;
     * false when it failed (now or in the request before).
     */
    private boolean firstContact(PeerState peer) {
        peer.firstContact.lock();
        try {
            if (peer.answered()) {
                return true;
            }
            if (peer.failing() && !peer.live(System.nanoTime(), options.stale().toNanos())) {
                return false;
            }
            contacting.acquire();
            try {
                peer.haveMap(peer.client.have(), System.nanoTime());
            } finally {
                contacting.release();
            }
            return true;
        } catch (PeerClient.PeerFailure e) {
            failed(peer, e);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentException(FailureKind.INTERRUPTED, "interrupted while contacting swarm peer "
                    + peer.nodeId(), e);
        } finally {
            peer.firstContact.unlock();
        }
    }

    private void failed(PeerState peer, PeerClient.PeerFailure failure) {
        if (peer.failed(System.nanoTime())) {
            LOG.info("swarm peer " + peer.nodeId() + ": " + failure.getMessage());
        }
        if (failure.timedOut()) {
            // slow, not proven bad: a busy peer is not dropped, only not waited for after options.stale
            return;
        }
        int failures = peer.failures.incrementAndGet();
        if (failures >= options.failuresToDrop()) {
            drop(peer, failures + " requests in a row failed, the last: " + failure.getMessage());
        }
    }

    private void drop(PeerState peer, String reason) {
        if (peer.drop(reason)) {
            LOG.warning("dropped swarm peer " + peer.nodeId() + " (" + peer.client.peer().uri() + "): " + reason);
        }
    }

    /**
     * The chunk's seeder: every peer listed and not dropped is a member, live or not, so that targets whose views of
     * who is live differ still agree on the seeders (a seeder that is not live is simply not waited for).
     */
    private String seeder(int index) {
        List<String> members = new ArrayList<>();
        members.add(selfId);
        for (PeerState peer : peers.values()) {
            if (!peer.dropped()) {
                members.add(peer.nodeId());
            }
        }
        members.sort(null);
        return members.get(index % members.size());
    }

    /**
     * Why this target should fetch the chunk from the origin now rather than ask its seeder for it, or null to ask
     * (and wait).
     */
    private OriginReason originNow(String seederId, int index, long started) {
        if (seederId.equals(selfId)) {
            return OriginReason.SEEDER;
        }
        long now = System.nanoTime();
        if (now - started >= options.maxWait().toNanos()) {
            return OriginReason.WAITED_LONGEST;
        }
        PeerState seeder = peers.get(seederId);
        if (!seeder.live(now, options.stale().toNanos())) {
            return OriginReason.SEEDER_NOT_LIVE;
        }
        if (!seeder.answered()) {
            // What it holds is not known yet (a target restarted beside peers that hold everything would otherwise
            // take it as behind: SwarmCloneTest's resumed target did, for 2 of 32 chunks); liveness covers silence.
            return null;
        }
        if (now - seeder.lastGrowthNanos() > options.stall().toNanos()) {
            return OriginReason.SEEDER_STALLED;
        }
        if (seeder.count() + options.behindBy() < held.count()) {
            return OriginReason.SEEDER_BEHIND;
        }
        if (seeder.holdsFrom(index + options.passSlack())) {
            return OriginReason.SEEDER_PASSED;
        }
        return null;
    }

    private void pause(Duration pause, ManifestChunk chunk) {
        try {
            Thread.sleep(pause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentException(FailureKind.INTERRUPTED, "interrupted while waiting for chunk "
                    + chunk.index() + " from the swarm", e);
        }
    }

    /**
     * Reads the peers' have maps one after the other, spread over the interval, so that the swarm's reads are even
     * in time rather than in bursts; lists the peers again every few seconds.
     */
    private void pollLoop() {
        long listed = System.nanoTime();
        boolean first = true;
        while (!closed.get()) {
            List<PeerState> live = peers.values().stream().filter(peer -> !peer.dropped()).toList();
            Duration interval = options.haveInterval(peers.size() + 1);
            long gap = interval.toMillis() / Math.max(1, live.size());
            if (first) {
                // targets started together do not read their peers in step
                gap = ThreadLocalRandom.current().nextLong(gap + 1);
                first = false;
            }
            for (PeerState peer : live.isEmpty() ? List.<PeerState>of() : live) {
                if (!sleep(gap)) {
                    return;
                }
                poll(peer);
            }
            if (live.isEmpty() && !sleep(interval.toMillis())) {
                return;
            }
            if (System.nanoTime() - listed >= DIRECTORY_EVERY.toNanos()) {
                refreshDirectory();
                listed = System.nanoTime();
            }
        }
    }

    private boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
            return !closed.get();
        } catch (InterruptedException e) {
            return false;
        }
    }

    private void refreshDirectory() {
        List<SwarmPeer> listed;
        try {
            listed = directory.get();
        } catch (RuntimeException e) {
            LOG.fine("could not list the swarm peers: " + e.getMessage());
            return;
        }
        for (SwarmPeer peer : listed) {
            if (!peer.nodeId().equals(selfId) && !closed.get()) {
                peers.computeIfAbsent(peer.nodeId(), id -> new PeerState(new PeerClient(peer, http,
                        options.connectTimeout(), options.chunkTimeout())));
            }
        }
    }

    private void poll(PeerState peer) {
        if (peer.dropped() || !peer.polling.compareAndSet(false, true)) {
            return;
        }
        try {
            polls.submit(() -> {
                try {
                    if (!peer.answered()) {
                        firstContact(peer);
                        return;
                    }
                    peer.haveMap(peer.client.have(), System.nanoTime());
                } catch (PeerClient.PeerFailure e) {
                    // A peer not listening yet, or gone: not live until it answers; dropped only for chunks.
                    if (peer.failed(System.nanoTime())) {
                        LOG.info("swarm peer " + peer.nodeId() + ": " + e.getMessage());
                    }
                } finally {
                    peer.polling.set(false);
                }
            });
        } catch (RejectedExecutionException e) {
            peer.polling.set(false);
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        poller.interrupt();
        polls.shutdownNow();
        http.close();
    }
}
