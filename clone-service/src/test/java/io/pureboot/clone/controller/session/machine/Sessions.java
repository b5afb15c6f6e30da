package io.pureboot.clone.controller.session.machine;

import io.pureboot.clone.controller.session.SessionState;
import io.pureboot.clone.controller.session.TargetState;
import io.pureboot.clone.controller.session.TargetsRun;
import io.pureboot.clone.controller.session.machine.SessionFacts.PlanFacts;
import io.pureboot.clone.controller.session.machine.SessionFacts.TargetFacts;
import io.pureboot.clone.events.node.PartitionTableType;
import io.pureboot.clone.events.resize.PlanViolation;
import io.pureboot.clone.events.resize.ResizePlan;
import io.pureboot.clone.events.session.CloneMode;
import io.pureboot.clone.events.session.ResizeMode;
import io.pureboot.clone.events.storage.StagingStatus;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** Sessions and targets as the machine sees them, for its tests. */
final class Sessions {

    static final OffsetDateTime T0 = OffsetDateTime.parse("2026-01-01T00:00:00Z");
    static final UUID SESSION = UUID.fromString("00000000-0000-0000-0000-00000000000a");
    static final UUID SOURCE = UUID.fromString("00000000-0000-0000-0000-000000000005");
    static final UUID T1 = UUID.fromString("00000000-0000-0000-0000-000000000001");
    static final UUID T2 = UUID.fromString("00000000-0000-0000-0000-000000000002");
    static final long SOURCE_BYTES = 8L << 30;
    static final long TARGET_BYTES = 4L << 30;
    static final String ADDRESS = "10.0.0.5";

    private Sessions() {
    }

    static SessionFacts session(CloneMode mode, SessionState state, StagingStatus staging, TargetsRun run,
            TargetFacts... targets) {
        return new SessionFacts(SESSION, SOURCE, "wwn-source", mode, ResizeMode.SHRINK_SOURCE, run, false, state,
                staging, null, mode == CloneMode.DIRECT ? ADDRESS : null, false, T0, null, null, List.of(targets));
    }

    /** A staged session with the swarm option. */
    static SessionFacts stagedSwarm(SessionState state, StagingStatus staging, TargetFacts... targets) {
        return new SessionFacts(SESSION, SOURCE, "wwn-source", CloneMode.STAGED, ResizeMode.SHRINK_SOURCE,
                TargetsRun.AFTER_UPLOAD, true, state, staging, null, null, false, T0, null, null, List.of(targets));
    }

    static SessionFacts staged(SessionState state, StagingStatus staging, TargetFacts... targets) {
        return session(CloneMode.STAGED, state, staging, TargetsRun.AFTER_UPLOAD, targets);
    }

    static SessionFacts direct(SessionState state, TargetFacts... targets) {
        return session(CloneMode.DIRECT, state, null, TargetsRun.AFTER_UPLOAD, targets);
    }

    static TargetFacts target(UUID node, TargetState state) {
        return target(node, state, plan(node, true));
    }

    static TargetFacts target(UUID node, TargetState state, PlanFacts plan) {
        return new TargetFacts(node, disk(node), state, T0, null, null, plan);
    }

    static String disk(UUID node) {
        return "wwn-" + node.toString().substring(35);
    }

    /** Version 1 of a plan for the node's chosen disk, made for the sizes above. */
    static PlanFacts plan(UUID node, boolean feasible) {
        return new PlanFacts(disk(node), 1, resizePlan(feasible, ResizeMode.SHRINK_SOURCE, TARGET_BYTES));
    }

    static ResizePlan resizePlan(boolean feasible, ResizeMode mode, long targetBytes) {
        List<PlanViolation> violations = feasible ? List.of() : List.of(new PlanViolation(2, "new_size_bytes",
                768L << 20, "partition 2 needs 768 MiB more than the target has"));
        return new ResizePlan(SOURCE_BYTES, targetBytes, mode, PartitionTableType.GPT, 512, 1 << 20, 1 << 20,
                targetBytes - (1 << 20), List.of(), feasible, feasible ? null : "the target is 768 MiB short",
                violations);
    }
}
