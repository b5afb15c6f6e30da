package io.pureboot.clone.controller.session.machine;

import io.pureboot.clone.events.session.SourceRepair;
import java.util.List;
import java.util.UUID;

/** What applying a decision must do besides writing the new state, in the same transaction. */
public sealed interface Effect {

    /** The session ended: its node tokens die and the end is announced, which releases the staging area. */
    record Ended(io.pureboot.clone.controller.session.SessionState state, String reason) implements Effect {
    }

    /** A staged session started: storage-service is asked for a staging area this large. */
    record StagingRequested(long sizeBytes) implements Effect {
    }

    /** A direct source repaired its filesystems before serving them: announced once, when it first listens. */
    record SourceRepaired(List<SourceRepair> repairs) implements Effect {

        public SourceRepaired {
            repairs = List.copyOf(repairs);
        }
    }

    /** A swarm target dropped a peer of the same session: announced for the audit, each time it is reported. */
    record SwarmPeerDropped(UUID nodeId, UUID peerNodeId, String reason, Integer chunk)
            implements Effect {
    }

    /** The source's image is complete: announced once, with what the source agent repaired on the source. */
    record SourceImageCompleted(String manifestSha256, List<SourceRepair> repairs) implements Effect {

        public SourceImageCompleted {
            repairs = List.copyOf(repairs);
        }
    }
}
