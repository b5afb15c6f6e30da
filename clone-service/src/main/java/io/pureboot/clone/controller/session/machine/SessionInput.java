package io.pureboot.clone.controller.session.machine;

import io.pureboot.clone.events.session.SourceRepair;
import io.pureboot.clone.events.storage.StagingStatus;
import io.pureboot.clone.nodeapi.NodeRole;
import io.pureboot.clone.nodeapi.ProgressPhase;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;

/** Everything that can happen to a session: what operators, nodes, storage-service and time say. */
public sealed interface SessionInput {

    /**
     * An operator starts the session.
     *
     * @param sourceDiskBytes the source disk's size in the source's latest inventory, empty when it has not reported it
     * @param targetDiskBytes each target's disk size in its node's latest inventory (a missing key: not reported)
     */
    record Start(OptionalLong sourceDiskBytes, Map<UUID, Long> targetDiskBytes) implements SessionInput {
    }

    /** An operator starts the targets of an image that waits in staging (targets_run on_request). */
    record StartTargets() implements SessionInput {
    }

    record Cancel(String reason) implements SessionInput {
    }

    /**
     * storage-service reports the staging area's status.
     *
     * @param stagingPath the area's path, when the event names it
     * @param reason why it failed, for a failed area
     */
    record StagingChanged(StagingStatus status, String stagingPath, String reason) implements SessionInput {
    }

    /** What a node reports every couple of seconds. */
    record Progress(ProgressPhase phase, long bytesDone, long bytesTotal, long rateBytesPerSecond) {
    }

    /** The source reports progress. */
    record SourceProgress(Progress report) implements SessionInput {
    }

    /** A target reports progress. */
    record TargetProgress(UUID nodeId, Progress report) implements SessionInput {
    }

    /**
     * A staged source's image is complete in staging.
     *
     * @param repairs what the source agent repaired on the source before capturing it (repair_source), for the audit
     */
    record SourceImageComplete(String manifestSha256, long imageSizeBytes, List<SourceRepair> repairs)
            implements SessionInput {

        public SourceImageComplete {
            repairs = repairs == null ? List.of() : List.copyOf(repairs);
        }

        /** An image captured without repairs. */
        public SourceImageComplete(String manifestSha256, long imageSizeBytes) {
            this(manifestSha256, imageSizeBytes, List.of());
        }
    }

    /**
     * A direct source listens at {@code address} (which must be its certificate's) on {@code port}.
     *
     * @param repairs what the source agent repaired on the source before serving it (repair_source), for the audit
     */
    record SourceListening(String address, int port, List<SourceRepair> repairs) implements SessionInput {

        public SourceListening {
            repairs = repairs == null ? List.of() : List.copyOf(repairs);
        }

        /** A source that repaired nothing. */
        public SourceListening(String address, int port) {
            this(address, port, List.of());
        }
    }

    /**
     * A target of a swarm session dropped one of its peers (docs/swarm.md).
     *
     * @param nodeId the reporting target
     * @param peerNodeId the dropped peer, which must be another target of the session
     * @param chunk the chunk the peer served wrong, null when dropped for failed requests
     */
    record SwarmPeerDropped(UUID nodeId, UUID peerNodeId, String reason, Integer chunk) implements SessionInput {
    }

    /** A direct source served every target and stopped. */
    record SourceDone() implements SessionInput {
    }

    record TargetComplete(UUID nodeId) implements SessionInput {
    }

    /** A node gave up; {@code reason} says who, with the node's code and message. */
    record NodeFailed(NodeRole role, UUID nodeId, String reason) implements SessionInput {
    }

    /** Time passed: the deadlines are checked against the machine's clock. */
    record DeadlineCheck() implements SessionInput {
    }
}
