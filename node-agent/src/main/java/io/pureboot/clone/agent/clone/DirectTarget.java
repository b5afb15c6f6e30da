package io.pureboot.clone.agent.clone;

import static java.util.Objects.requireNonNull;

import io.pureboot.clone.agent.direct.RemoteChunkSource;
import io.pureboot.clone.agent.disk.BlockDevice;
import io.pureboot.clone.agent.image.Manifest;
import io.pureboot.clone.agent.image.ProgressListener;
import io.pureboot.clone.events.resize.ResizePlan;
import java.net.URI;
import java.time.Duration;
import java.util.function.Consumer;
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
        try (RemoteChunkSource remote = new RemoteChunkSource(source, tls, retryBudget)) {
            Manifest manifest = remote.manifest();
            TargetRestore.Result result = restore.restore(disk, manifest, remote, plan, options, phases, progress);
            remote.done();
            return result;
        }
    }
}
