package io.pureboot.clone.agent.clone;

import static java.util.Objects.requireNonNull;

import io.pureboot.clone.agent.direct.RemoteChunkSource;
import io.pureboot.clone.agent.disk.BlockDevice;
import io.pureboot.clone.agent.image.ChunkSource;
import io.pureboot.clone.agent.image.Manifest;
import io.pureboot.clone.agent.image.ProgressListener;
import io.pureboot.clone.events.resize.ResizePlan;
import java.net.URI;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.net.ssl.SSLContext;

/**
 * Direct mode on a target: the source's streamed manifest, then the restore exactly as from staging, each data chunk
 * fetched from the source (several at once) and verified against the SHA-256 the source sent with it. The restore
 * journal makes a rerun ask only for the chunks not yet written. The source is told when this target is done.
 */
public final class DirectTarget {

    private final TargetRestore restore;

    public DirectTarget(TargetRestore restore) {
        this.restore = requireNonNull(restore, "restore is null");
    }

    public TargetRestore.Result restore(BlockDevice disk, URI source, SSLContext tls, Duration retryBudget,
            ResizePlan plan, TargetRestore.Options options, Consumer<String> phases, ProgressListener progress) {
        return restore(disk, source, tls, retryBudget, plan, options, phases, progress, remote -> remote);
    }

    /**
     * As above, the chunks taken from what {@code around} makes of the source (the swarm's chunk source, which asks
     * the session's other targets first); what it makes is closed after the restore, the source after that.
     */
    public TargetRestore.Result restore(BlockDevice disk, URI source, SSLContext tls, Duration retryBudget,
            ResizePlan plan, TargetRestore.Options options, Consumer<String> phases, ProgressListener progress,
            Function<RemoteChunkSource, ChunkSource> around) {
        try (RemoteChunkSource remote = new RemoteChunkSource(source, tls, retryBudget)) {
            Manifest manifest = remote.manifest();
            ChunkSource chunks = around.apply(remote);
            TargetRestore.Result result;
            try {
                result = restore.restore(disk, manifest, chunks, plan, options, phases, progress);
            } finally {
                if (chunks != remote) {
                    chunks.close();
                }
            }
            remote.done();
            return result;
        }
    }
}
