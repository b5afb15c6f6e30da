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
import java.util.BitSet;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;

/**
 * A restore's chunks from the session's other targets where they can give them, from the origin (the direct source, or
 * the staging server) otherwise. For each chunk: a random live peer that holds it; if none does, the chunk's seeder
 * (the live members, this target included, sorted by node id, take the chunks in turn) fetches it from the origin and
 * the others wait for it, unless the seeder is not live, went past the chunk, stalled or fell behind, or the wait
 * lasted too long. Every chunk from a peer is checked against the manifest's hash or the origin's before the restore
 * gets it; a peer that serves a bad chunk, or fails requests in a row, is dropped. See docs/swarm.md.
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
     * @param poll how often peers' have maps are read
     * @param stale a peer whose have map could not be read for this long is not live
     * @param stall a seeder whose have map did not grow for this long is not waited for
     * @param maxWait the longest wait for a chunk before it is fetched from the origin
     * @param behindBy a seeder holding this many chunks fewer than this target is not waited for
     * @param passSlack a seeder holding a chunk this far past the one waited for is not fetching it
     * @param failuresToDrop failed requests in a row after which a peer is dropped
     * @param haveTimeout timeout of a have-map request (and of connecting)
     * @param chunkTimeout timeout of a chunk request
     */
    public record Options(Duration poll, Duration stale, Duration stall, Duration maxWait, int behindBy,
            int passSlack, int failuresToDrop, Duration haveTimeout, Duration chunkTimeout) {
        public Options {
            requireNonNull(poll, "poll is null");
            requireNonNull(stale, "stale is null");
            requireNonNull(stall, "stall is null");
            requireNonNull(maxWait, "maxWait is null");
            requireNonNull(haveTimeout, "haveTimeout is null");
            requireNonNull(chunkTimeout, "chunkTimeout is null");
            if (failuresToDrop < 1 || behindBy < 1 || passSlack < 1) {
                throw new IllegalArgumentException("failuresToDrop, behindBy and passSlack must be >= 1");
            }
        }

        public static Options defaults() {
            // Generous timeouts: on a full link small packets queue and drop behind the chunks (a lost SYN is
            // resent after 1 s, then 3 s), and a timed-out request costs a new connection and TLS handshake.
            return new Options(Duration.ofMillis(500), Duration.ofSeconds(20), Duration.ofSeconds(20),
                    Duration.ofSeconds(90), 64, 64, 3, Duration.ofSeconds(10), Duration.ofSeconds(60));
        }
    }

    /** Why a chunk was fetched from the origin. */
    public enum OriginReason {
        /** This target is the chunk's seeder. */
        SEEDER,
        /** The seeder's have map could not be read for {@link Options#stale()}. */
        SEEDER_NOT_LIVE,
        /** The seeder's have map did not grow for {@link Options#stall()}. */
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

    private static final Logger LOG = Logger.getLogger(SwarmChunkSource.class.getName());
    private static final long WAIT_STEP_MILLIS = 20;

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
    private final Thread poller;

    /**
     * Starts polling the peers (and waits for one round of have maps, so the first chunks are shared out at once).
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
        this.http = PeerClient.shared(requireNonNull(peerTls, "peerTls is null"), options.haveTimeout());
        for (OriginReason reason : OriginReason.values()) {
            originReasons.put(reason, new AtomicLong());
        }
        refreshDirectory();
        pollAll().forEach(this::awaitQuietly);
        this.poller = Thread.ofPlatform().daemon().name("swarm-poller").start(this::pollLoop);
    }

    @Override
    public Frame frame(ManifestChunk chunk) {
        long started = System.nanoTime();
        Set<String> notThere = new HashSet<>();
        while (true) {
            PeerState holder = holder(chunk.index(), notThere);
            if (holder != null) {
                Frame frame = fromPeer(holder, chunk, notThere);
                if (frame != null) {
                    fromPeers.incrementAndGet();
                    return frame;
                }
                continue;
            }
            OriginReason reason = originNow(chunk.index(), started);
            if (reason != null) {
                fromOrigin.incrementAndGet();
                originReasons.get(reason).incrementAndGet();
                return origin.frame(chunk);
            }
            try {
                Thread.sleep(WAIT_STEP_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AgentException(FailureKind.INTERRUPTED, "interrupted while waiting for chunk "
                        + chunk.index() + " from the swarm", e);
            }
        }
    }

    @Override
    public void written(ManifestChunk chunk, String sha256, long targetOffset) {
        held.add(chunk.index(), new HeldChunks.Held(sha256, targetOffset, chunk.length()));
    }

    @Override
    public String describe(ManifestChunk chunk) {
        // Chunks from peers are checked here before the restore sees them: what fails later came from the origin.
        return origin.describe(chunk);
    }

    public Counts counts() {
        List<String> dropped = peers.values().stream().filter(PeerState::dropped)
                .map(peer -> peer.nodeId() + ": " + peer.droppedBecause()).sorted().toList();
        Map<OriginReason, Long> reasons = new EnumMap<>(OriginReason.class);
        originReasons.forEach((reason, count) -> reasons.put(reason, count.get()));
        return new Counts(fromPeers.get(), fromOrigin.get(), reasons, dropped);
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

    /** The chunk from {@code peer} once checked, or null (then the caller looks again). */
    private Frame fromPeer(PeerState peer, ManifestChunk chunk, Set<String> notThere) {
        PeerClient.PeerFrame frame;
        try {
            frame = peer.client.frame(chunk.index()).orElse(null);
        } catch (PeerClient.PeerFailure e) {
            int failures = peer.failures.incrementAndGet();
            notThere.add(peer.nodeId());
            if (failures >= options.failuresToDrop()) {
                drop(peer, failures + " requests in a row failed, the last: " + e.getMessage());
            }
            return null;
        }
        if (frame == null) {
            notThere.add(peer.nodeId());
            return null;
        }
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
        return new Frame(frame.bytes(), expected);
    }

    private void drop(PeerState peer, String reason) {
        if (peer.drop(reason)) {
            LOG.warning("dropped swarm peer " + peer.nodeId() + " (" + peer.client.peer().uri() + "): " + reason);
        }
    }

    /**
     * Why this target should fetch the chunk from the origin now rather than wait for a peer to have it, or null to
     * wait.
     */
    private OriginReason originNow(int index, long started) {
        long now = System.nanoTime();
        if (now - started > options.maxWait().toNanos()) {
            return OriginReason.WAITED_LONGEST;
        }
        // Every peer listed and not dropped is a member, live or not, so that targets whose views of who is live
        // differ still agree on the seeders; a seeder that is not live is simply not waited for.
        List<String> members = new ArrayList<>();
        members.add(selfId);
        for (PeerState peer : peers.values()) {
            if (!peer.dropped()) {
                members.add(peer.nodeId());
            }
        }
        members.sort(null);
        String seeder = members.get(index % members.size());
        if (seeder.equals(selfId)) {
            return OriginReason.SEEDER;
        }
        PeerState state = peers.get(seeder);
        if (!state.live(now, options.stale().toNanos())) {
            return OriginReason.SEEDER_NOT_LIVE;
        }
        if (now - state.lastGrowthNanos() > options.stall().toNanos()) {
            return OriginReason.SEEDER_STALLED;
        }
        if (state.haveCount() + options.behindBy() < held.count()) {
            return OriginReason.SEEDER_BEHIND;
        }
        if (state.holdsFrom(index + options.passSlack())) {
            return OriginReason.SEEDER_PASSED;
        }
        return null;
    }

    private void pollLoop() {
        long refreshEvery = Math.max(1, Duration.ofSeconds(3).toMillis() / Math.max(1, options.poll().toMillis()));
        for (long round = 1; !closed.get(); round++) {
            try {
                Thread.sleep(options.poll().toMillis());
            } catch (InterruptedException e) {
                return;
            }
            if (round % refreshEvery == 0) {
                refreshDirectory();
            }
            pollAll();
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
                        options.haveTimeout(), options.chunkTimeout())));
            }
        }
    }

    private List<Future<?>> pollAll() {
        List<Future<?>> started = new ArrayList<>();
        for (PeerState peer : peers.values()) {
            if (peer.dropped() || !peer.polling.compareAndSet(false, true)) {
                continue;
            }
            try {
                started.add(polls.submit(() -> poll(peer)));
            } catch (RejectedExecutionException e) {
                peer.polling.set(false);
            }
        }
        return started;
    }

    private void poll(PeerState peer) {
        try {
            BitSet have = peer.client.have();
            peer.seen(have, System.nanoTime());
        } catch (PeerClient.PeerFailure e) {
            // A peer not listening yet, or gone: it stops being live after options.stale; dropped only for chunks.
            if (peer.pollFailed(e.getMessage())) {
                LOG.info("swarm peer " + peer.nodeId() + ": " + e.getMessage());
            }
        } finally {
            peer.polling.set(false);
        }
    }

    private void awaitQuietly(Future<?> future) {
        try {
            future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            // poll() catches its own failures
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
