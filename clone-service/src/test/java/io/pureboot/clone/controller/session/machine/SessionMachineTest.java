package io.pureboot.clone.controller.session.machine;

import io.pureboot.clone.controller.MovableClock;
import io.pureboot.clone.controller.session.SessionState;
import static io.pureboot.clone.controller.session.machine.Sessions.ADDRESS;
import static io.pureboot.clone.controller.session.machine.Sessions.SOURCE;
import static io.pureboot.clone.controller.session.machine.Sessions.SOURCE_BYTES;
import static io.pureboot.clone.controller.session.machine.Sessions.T0;
import static io.pureboot.clone.controller.session.machine.Sessions.T1;
import static io.pureboot.clone.controller.session.machine.Sessions.T2;
import static io.pureboot.clone.controller.session.machine.Sessions.TARGET_BYTES;
import static io.pureboot.clone.controller.session.machine.Sessions.direct;
import static io.pureboot.clone.controller.session.machine.Sessions.disk;
import static io.pureboot.clone.controller.session.machine.Sessions.plan;
import static io.pureboot.clone.controller.session.machine.Sessions.resizePlan;
import static io.pureboot.clone.controller.session.machine.Sessions.session;
import static io.pureboot.clone.controller.session.machine.Sessions.staged;
import static io.pureboot.clone.controller.session.machine.Sessions.stagedSwarm;
import static io.pureboot.clone.controller.session.machine.Sessions.target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pureboot.clone.controller.session.TargetState;
import io.pureboot.clone.controller.session.TargetsRun;
import io.pureboot.clone.controller.session.machine.SessionFacts.PlanFacts;
import io.pureboot.clone.controller.session.machine.SessionInput.Cancel;
import io.pureboot.clone.controller.session.machine.SessionInput.DeadlineCheck;
import io.pureboot.clone.controller.session.machine.SessionInput.NodeFailed;
import io.pureboot.clone.controller.session.machine.SessionInput.Progress;
import io.pureboot.clone.controller.session.machine.SessionInput.SourceDone;
import io.pureboot.clone.controller.session.machine.SessionInput.SourceImageComplete;
import io.pureboot.clone.controller.session.machine.SessionInput.SourceListening;
import io.pureboot.clone.controller.session.machine.SessionInput.SwarmPeerDropped;
import io.pureboot.clone.controller.session.machine.SessionInput.SourceProgress;
import io.pureboot.clone.controller.session.machine.SessionInput.StagingChanged;
import io.pureboot.clone.controller.session.machine.SessionInput.Start;
import io.pureboot.clone.controller.session.machine.SessionInput.StartTargets;
import io.pureboot.clone.controller.session.machine.SessionInput.TargetComplete;
import io.pureboot.clone.controller.session.machine.SessionInput.TargetProgress;
import io.pureboot.clone.events.session.CloneMode;
import io.pureboot.clone.events.session.ResizeMode;
import io.pureboot.clone.events.session.SourceRepair;
import io.pureboot.clone.events.storage.StagingStatus;
import io.pureboot.clone.nodeapi.NodeRole;
import io.pureboot.clone.nodeapi.ProgressPhase;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The session machine, one row per rule: a session, time that passes, an input, and what must follow. */
class SessionMachineTest {

    static final Deadlines DEADLINES = new Deadlines(Duration.ofMinutes(2), Duration.ofMinutes(30),
            Duration.ofMinutes(15));
    static final Progress SOME_PROGRESS = new Progress(ProgressPhase.DOWNLOADING, 1, 2, 3);
    static final Start START = new Start(OptionalLong.of(SOURCE_BYTES), Map.of(T1, TARGET_BYTES, T2, TARGET_BYTES));

    /** What a row expects: the session's and each target's state and the effects, or a refusal. */
    record Expected(SessionState state, List<TargetState> targets, List<Class<? extends Effect>> effects,
            String reasonContains, Refusal.Kind refused) {
    }

    static Expected moves(SessionState state, TargetState... targets) {
        return new Expected(state, Arrays.asList(targets), List.of(), null, null);
    }

    static Expected ends(SessionState state, String reason, TargetState... targets) {
        return new Expected(state, Arrays.asList(targets), List.of(Effect.Ended.class), reason, null);
    }

    static Expected refused(Refusal.Kind kind, String message) {
        return new Expected(null, List.of(), List.of(), message, kind);
    }

    static Expected with(Expected expected, Class<? extends Effect> effect) {
        return new Expected(expected.state(), expected.targets(), List.of(effect), expected.reasonContains(), null);
    }

    static Arguments row(String rule, SessionFacts before, Duration later, SessionInput input, Expected expected) {
        return Arguments.of(rule, before, later, input, expected);
    }

    static Stream<Arguments> rules() {
        Duration now = Duration.ZERO;
        return Stream.of(
                // start: the plans gate it
                row("a staged start asks for staging as large as the source disk",
                        staged(SessionState.CREATED, null, target(T1, TargetState.PENDING)), now, START,
                        with(moves(SessionState.PROVISIONING, TargetState.PENDING), Effect.StagingRequested.class)),
                row("a direct start arms the source at once",
                        direct(SessionState.CREATED, target(T1, TargetState.PENDING)), now, START,
                        moves(SessionState.SOURCE_ARMED, TargetState.PENDING)),
                row("no start without a plan",
                        staged(SessionState.CREATED, null, target(T1, TargetState.PENDING, null)), now, START,
                        refused(Refusal.Kind.UNPROCESSABLE, "targets[0]: target node " + T1 + ": no plan yet")),
                row("no start with an infeasible plan; the planner's reasons are given",
                        staged(SessionState.CREATED, null, target(T1, TargetState.PENDING),
                                target(T2, TargetState.PENDING, plan(T2, false))), now, START,
                        refused(Refusal.Kind.UNPROCESSABLE, "targets[1]: target node " + T2 + ": plan version 1 is "
                                + "infeasible: the target is 768 MiB short (partition 2 needs 768 MiB more")),
                row("no start with a plan for another disk",
                        staged(SessionState.CREATED, null, target(T1, TargetState.PENDING,
                                new PlanFacts("wwn-other", 3, resizePlan(true, ResizeMode.SHRINK_SOURCE, TARGET_BYTES)))),
                        now, START, refused(Refusal.Kind.UNPROCESSABLE, "plan version 3 is for disk wwn-other, "
                                + "not the chosen disk " + disk(T1))),
                row("no start with a plan made for another target size",
                        staged(SessionState.CREATED, null, target(T1, TargetState.PENDING)), now,
                        new Start(OptionalLong.of(SOURCE_BYTES), Map.of(T1, TARGET_BYTES * 2)),
                        refused(Refusal.Kind.UNPROCESSABLE, "is outdated: it was made for a target disk of "
                                + TARGET_BYTES + " bytes and the node now reports " + TARGET_BYTES * 2)),
                row("no start with a plan made for another resize mode",
                        staged(SessionState.CREATED, null, target(T1, TargetState.PENDING, new PlanFacts(disk(T1), 1,
                                resizePlan(true, ResizeMode.NONE, TARGET_BYTES)))), now, START,
                        refused(Refusal.Kind.UNPROCESSABLE, "made for resize mode none and the session now uses "
                                + "shrink_source")),
                row("no start while the target's disk is missing from its inventory",
                        staged(SessionState.CREATED, null, target(T1, TargetState.PENDING)), now,
                        new Start(OptionalLong.of(SOURCE_BYTES), Map.of()),
                        refused(Refusal.Kind.UNPROCESSABLE, "the node no longer reports disk " + disk(T1))),
                row("no start before the source reported its disk",
                        staged(SessionState.CREATED, null, target(T1, TargetState.PENDING)), now,
                        new Start(OptionalLong.empty(), Map.of(T1, TARGET_BYTES)),
                        refused(Refusal.Kind.UNPROCESSABLE, "source_disk_id: node " + SOURCE
                                + " has not reported disk wwn-source")),
                row("a started session does not start again",
                        staged(SessionState.PROVISIONING, null, target(T1, TargetState.PENDING)), now, START,
                        refused(Refusal.Kind.CONFLICT, "is provisioning and cannot become provisioning")),
                // staging
                row("a provisioned area arms the source",
                        staged(SessionState.PROVISIONING, null, target(T1, TargetState.PENDING)), now,
                        new StagingChanged(StagingStatus.PROVISIONED, "p", null),
                        moves(SessionState.SOURCE_ARMED, TargetState.PENDING)),
                row("a failed area fails the session",
                        staged(SessionState.PROVISIONING, null, target(T1, TargetState.PENDING)), now,
                        new StagingChanged(StagingStatus.FAILED, null, "no space"),
                        ends(SessionState.FAILED, "staging failed: no space", TargetState.CANCELLED)),
                row("the seal arms the targets of an uploaded image",
                        staged(SessionState.UPLOADED, StagingStatus.UPLOADING, target(T1, TargetState.PENDING)), now,
                        new StagingChanged(StagingStatus.READY, null, null),
                        moves(SessionState.UPLOADED, TargetState.ARMED)),
                row("the seal leaves on-request targets waiting for the operator",
                        session(CloneMode.STAGED, SessionState.UPLOADED, StagingStatus.UPLOADING,
                                TargetsRun.ON_REQUEST, target(T1, TargetState.PENDING)), now,
                        new StagingChanged(StagingStatus.READY, null, null),
                        moves(SessionState.UPLOADED, TargetState.PENDING)),
                row("the operator starts targets only once the image is sealed",
                        session(CloneMode.STAGED, SessionState.UPLOADED, StagingStatus.UPLOADING,
                                TargetsRun.ON_REQUEST, target(T1, TargetState.PENDING)), now, new StartTargets(),
                        refused(Refusal.Kind.CONFLICT, "is not sealed in staging yet")),
                row("a late staging event for an ended session is recorded and changes nothing else",
                        staged(SessionState.CANCELLED, null, target(T1, TargetState.CANCELLED)), now,
                        new StagingChanged(StagingStatus.PROVISIONED, null, null),
                        moves(SessionState.CANCELLED, TargetState.CANCELLED)),
                // the source
                row("the armed source's first report: uploading",
                        staged(SessionState.SOURCE_ARMED, StagingStatus.PROVISIONED, target(T1, TargetState.PENDING)),
                        now, new SourceProgress(SOME_PROGRESS), moves(SessionState.UPLOADING, TargetState.PENDING)),
                row("an image complete before the seal: targets wait",
                        staged(SessionState.UPLOADING, StagingStatus.UPLOADING, target(T1, TargetState.PENDING)), now,
                        new SourceImageComplete("ab", 10),
                        with(moves(SessionState.UPLOADED, TargetState.PENDING), Effect.SourceImageCompleted.class)),
                row("an image complete after the seal arms the targets",
                        staged(SessionState.UPLOADING, StagingStatus.READY, target(T1, TargetState.PENDING)), now,
                        new SourceImageComplete("ab", 10),
                        with(moves(SessionState.UPLOADED, TargetState.ARMED), Effect.SourceImageCompleted.class)),
                row("a target whose plan went infeasible since the start is not armed, and says why",
                        staged(SessionState.UPLOADED, StagingStatus.UPLOADING, target(T1, TargetState.PENDING),
                                target(T2, TargetState.PENDING, plan(T2, false))), now,
                        new StagingChanged(StagingStatus.READY, null, null),
                        new Expected(SessionState.UPLOADED, List.of(TargetState.ARMED, TargetState.FAILED), List.of(),
                                null, null)),
                row("a session whose only target cannot be armed fails with the target's reason",
                        staged(SessionState.UPLOADED, StagingStatus.UPLOADING, target(T1, TargetState.PENDING, null)),
                        now, new StagingChanged(StagingStatus.READY, null, null),
                        ends(SessionState.FAILED, "every target failed: target node " + T1 + " was not armed: no plan",
                                TargetState.FAILED)),
                row("a failed source fails the session and cancels its targets",
                        staged(SessionState.UPLOADING, StagingStatus.UPLOADING, target(T1, TargetState.PENDING)), now,
                        new NodeFailed(NodeRole.SOURCE, SOURCE, "source node failed: disk_error: EIO"),
                        ends(SessionState.FAILED, "source node failed: disk_error: EIO", TargetState.CANCELLED)),
                row("a staged source does not report complete",
                        staged(SessionState.UPLOADING, StagingStatus.UPLOADING, target(T1, TargetState.PENDING)), now,
                        new SourceDone(), refused(Refusal.Kind.FORBIDDEN, "a staged source reports source-complete")),
                // targets
                row("an unarmed target may not report",
                        staged(SessionState.UPLOADED, StagingStatus.UPLOADING, target(T1, TargetState.PENDING)), now,
                        new TargetProgress(T1, SOME_PROGRESS), refused(Refusal.Kind.CONFLICT, "not armed yet")),
                row("a node that is no target may not report as one",
                        staged(SessionState.UPLOADED, StagingStatus.READY, target(T1, TargetState.ARMED)), now,
                        new TargetProgress(UUID.randomUUID(), SOME_PROGRESS),
                        refused(Refusal.Kind.FORBIDDEN, "not a target of the session")),
                row("the first download moves the session on",
                        staged(SessionState.UPLOADED, StagingStatus.READY, target(T1, TargetState.ARMED),
                                target(T2, TargetState.ARMED)), now, new TargetProgress(T1, SOME_PROGRESS),
                        moves(SessionState.DOWNLOADING, TargetState.DOWNLOADING, TargetState.ARMED)),
                row("the last target completing completes the session",
                        staged(SessionState.DOWNLOADING, StagingStatus.DOWNLOADING, target(T1, TargetState.COMPLETED),
                                target(T2, TargetState.DOWNLOADING)), now, new TargetComplete(T2),
                        ends(SessionState.COMPLETED, null, TargetState.COMPLETED, TargetState.COMPLETED)),
                row("a completed session names the targets that failed",
                        staged(SessionState.DOWNLOADING, StagingStatus.DOWNLOADING, target(T1, TargetState.COMPLETED),
                                target(T2, TargetState.DOWNLOADING)), now,
                        new NodeFailed(NodeRole.TARGET, T2, "target node 2 failed: checksum: chunk 17"),
                        ends(SessionState.COMPLETED, "1 of 2 targets failed: target node 2 failed: checksum: chunk 17",
                                TargetState.COMPLETED, TargetState.FAILED)),
                row("when every target failed, the session says each reason",
                        staged(SessionState.DOWNLOADING, StagingStatus.DOWNLOADING,
                                target(T1, TargetState.FAILED).moveTo(TargetState.FAILED, T0, "target node 1 failed: x"),
                                target(T2, TargetState.DOWNLOADING)), now,
                        new NodeFailed(NodeRole.TARGET, T2, "target node 2 failed: y"),
                        ends(SessionState.FAILED, "every target failed: target node 1 failed: x; target node 2 failed: "
                                + "y", TargetState.FAILED, TargetState.FAILED)),
                row("a completed target does not complete twice",
                        staged(SessionState.DOWNLOADING, StagingStatus.DOWNLOADING, target(T1, TargetState.COMPLETED),
                                target(T2, TargetState.DOWNLOADING)), now, new TargetComplete(T1),
                        moves(SessionState.DOWNLOADING, TargetState.COMPLETED, TargetState.DOWNLOADING)),
                row("a failed target does not complete",
                        staged(SessionState.DOWNLOADING, StagingStatus.DOWNLOADING, target(T1, TargetState.FAILED),
                                target(T2, TargetState.DOWNLOADING)), now, new TargetComplete(T1),
                        refused(Refusal.Kind.CONFLICT, "this target is failed and cannot complete")),
                // direct mode
                row("a direct source listening arms its targets",
                        direct(SessionState.SOURCE_ARMED, target(T1, TargetState.PENDING)), now,
                        new SourceListening(ADDRESS, 7443), moves(SessionState.UPLOADING, TargetState.ARMED)),
                row("a direct source that repaired its source says so once, when it first listens",
                        direct(SessionState.SOURCE_ARMED, target(T1, TargetState.PENDING)), now,
                        new SourceListening(ADDRESS, 7443, List.of(new SourceRepair(2, "e2fsck -f -y /dev/sda2", 1,
                                "FIXED"))),
                        with(moves(SessionState.UPLOADING, TargetState.ARMED), Effect.SourceRepaired.class)),
                row("a direct source's listening again (a retry) announces its repairs no second time",
                        direct(SessionState.UPLOADING, target(T1, TargetState.ARMED)), now,
                        new SourceListening(ADDRESS, 7443, List.of(new SourceRepair(2, "e2fsck -f -y /dev/sda2", 1,
                                "FIXED"))),
                        moves(SessionState.UPLOADING, TargetState.ARMED)),
                row("a direct source listens only at its certificate's address",
                        direct(SessionState.SOURCE_ARMED, target(T1, TargetState.PENDING)), now,
                        new SourceListening("10.9.9.9", 7443),
                        refused(Refusal.Kind.UNPROCESSABLE, "address: is not the address in this source's certificate")),
                row("a swarm target's dropped peer of the same session is announced and changes nothing",
                        direct(SessionState.DOWNLOADING, target(T1, TargetState.DOWNLOADING),
                                target(T2, TargetState.DOWNLOADING)), now,
                        new SwarmPeerDropped(T1, T2, "it served chunk 3 with SHA-256 00, expected 11", 3),
                        with(moves(SessionState.DOWNLOADING, TargetState.DOWNLOADING, TargetState.DOWNLOADING),
                                Effect.SwarmPeerDropped.class)),
                row("a swarm target's peer must be another target of the session",
                        direct(SessionState.DOWNLOADING, target(T1, TargetState.DOWNLOADING)), now,
                        new SwarmPeerDropped(T1, T2, "bad chunk", 3),
                        refused(Refusal.Kind.UNPROCESSABLE, "peer_node_id: node " + T2 + " is not a target of")),
                row("a swarm target does not drop itself",
                        direct(SessionState.DOWNLOADING, target(T1, TargetState.DOWNLOADING)), now,
                        new SwarmPeerDropped(T1, T1, "bad chunk", 3),
                        refused(Refusal.Kind.UNPROCESSABLE, "peer_node_id: is this target itself")),
                row("a node that is no target reports no dropped peer",
                        direct(SessionState.DOWNLOADING, target(T1, TargetState.DOWNLOADING)), now,
                        new SwarmPeerDropped(T2, T1, "bad chunk", 3),
                        refused(Refusal.Kind.FORBIDDEN, "this node is not a target of the session")),
                row("a staged session without the swarm option has no swarm peers to drop",
                        staged(SessionState.DOWNLOADING, StagingStatus.DOWNLOADING, target(T1, TargetState.DOWNLOADING),
                                target(T2, TargetState.DOWNLOADING)), now,
                        new SwarmPeerDropped(T1, T2, "bad chunk", 3),
                        refused(Refusal.Kind.CONFLICT, "is staged; the direct calls are for direct sessions and for "
                                + "the targets of a staged session with the swarm option")),
                row("a staged swarm target's dropped peer is announced",
                        stagedSwarm(SessionState.DOWNLOADING, StagingStatus.DOWNLOADING,
                                target(T1, TargetState.DOWNLOADING), target(T2, TargetState.DOWNLOADING)), now,
                        new SwarmPeerDropped(T1, T2, "bad chunk", 3),
                        with(moves(SessionState.DOWNLOADING, TargetState.DOWNLOADING, TargetState.DOWNLOADING),
                                Effect.SwarmPeerDropped.class)),
                row("direct targets pull while the source serves",
                        direct(SessionState.UPLOADING, target(T1, TargetState.ARMED)), now,
                        new TargetProgress(T1, SOME_PROGRESS),
                        moves(SessionState.DOWNLOADING, TargetState.DOWNLOADING)),
                // operators
                row("cancel ends a running session and cancels its targets",
                        staged(SessionState.UPLOADING, StagingStatus.UPLOADING, target(T1, TargetState.PENDING)), now,
                        new Cancel("wrong source"),
                        ends(SessionState.CANCELLED, "wrong source", TargetState.CANCELLED)),
                row("an ended session is not cancelled again",
                        staged(SessionState.CANCELLED, null, target(T1, TargetState.CANCELLED)), now, new Cancel(null),
                        refused(Refusal.Kind.CONFLICT, "is cancelled and cannot become cancelled")),
                row("nodes of an ended session are refused",
                        staged(SessionState.COMPLETED, null, target(T1, TargetState.COMPLETED)), now,
                        new SourceProgress(SOME_PROGRESS), refused(Refusal.Kind.CONFLICT, "is completed")),
                // deadlines
                row("a silent source fails the session",
                        staged(SessionState.UPLOADING, StagingStatus.UPLOADING, target(T1, TargetState.PENDING)),
                        Duration.ofMinutes(3), new DeadlineCheck(),
                        ends(SessionState.FAILED, "source node " + SOURCE + " silent since " + T0 + " (deadline 120 s)",
                                TargetState.CANCELLED)),
                row("a source within its deadline is left alone",
                        staged(SessionState.UPLOADING, StagingStatus.UPLOADING, target(T1, TargetState.PENDING)),
                        Duration.ofMinutes(1), new DeadlineCheck(), moves(SessionState.UPLOADING, TargetState.PENDING)),
                row("a direct source must keep running while its targets download",
                        direct(SessionState.DOWNLOADING, target(T1, TargetState.DOWNLOADING)
                                .seenAt(T0.plusMinutes(3))), Duration.ofMinutes(3), new DeadlineCheck(),
                        ends(SessionState.FAILED, "source node " + SOURCE + " silent since", TargetState.CANCELLED)),
                row("a direct source that stops while a target still needs it fails the session at its deadline",
                        direct(SessionState.UPLOADING, target(T1, TargetState.PENDING)).withSource(T0, null, true),
                        Duration.ofMinutes(3), new DeadlineCheck(),
                        ends(SessionState.FAILED, "source node " + SOURCE + " silent since", TargetState.CANCELLED)),
                row("an armed source that never boots fails the session",
                        staged(SessionState.SOURCE_ARMED, StagingStatus.PROVISIONED, target(T1, TargetState.PENDING)),
                        Duration.ofMinutes(31), new DeadlineCheck(),
                        ends(SessionState.FAILED, "source node " + SOURCE + " did not boot within 30 min",
                                TargetState.CANCELLED)),
                row("a staging area never provisioned fails the session",
                        staged(SessionState.PROVISIONING, null, target(T1, TargetState.PENDING)), Duration.ofMinutes(16),
                        new DeadlineCheck(), ends(SessionState.FAILED, "did not provision the staging area within 15 min",
                                TargetState.CANCELLED)),
                row("an image never sealed fails the session",
                        staged(SessionState.UPLOADED, StagingStatus.UPLOADING, target(T1, TargetState.PENDING)),
                        Duration.ofMinutes(16), new DeadlineCheck(),
                        ends(SessionState.FAILED, "did not seal the image within 15 min", TargetState.CANCELLED)),
                row("an armed target that never boots fails, and the session settles from the others",
                        staged(SessionState.DOWNLOADING, StagingStatus.DOWNLOADING, target(T1, TargetState.COMPLETED),
                                target(T2, TargetState.ARMED)), Duration.ofMinutes(31), new DeadlineCheck(),
                        ends(SessionState.COMPLETED, "target node " + T2 + " did not boot within 30 min",
                                TargetState.COMPLETED, TargetState.FAILED)),
                row("a silent target fails its own part only",
                        staged(SessionState.DOWNLOADING, StagingStatus.DOWNLOADING,
                                target(T1, TargetState.DOWNLOADING).seenAt(T0.plusMinutes(2)),
                                target(T2, TargetState.DOWNLOADING)), Duration.ofMinutes(3), new DeadlineCheck(),
                        moves(SessionState.DOWNLOADING, TargetState.DOWNLOADING, TargetState.FAILED)),
                row("an operator's wait has no deadline",
                        session(CloneMode.STAGED, SessionState.UPLOADED, StagingStatus.READY, TargetsRun.ON_REQUEST,
                                target(T1, TargetState.PENDING)), Duration.ofDays(30), new DeadlineCheck(),
                        moves(SessionState.UPLOADED, TargetState.PENDING)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void rule(String rule, SessionFacts before, Duration later, SessionInput input, Expected expected) {
        MovableClock clock = new MovableClock(T0.toInstant());
        clock.advance(later);
        SessionMachine machine = new SessionMachine(clock, DEADLINES);
        if (expected.refused() != null) {
            assertThatThrownBy(() -> machine.decide(before, input)).isInstanceOf(Refusal.class)
                    .hasMessageContaining(expected.reasonContains())
                    .extracting(refusal -> ((Refusal) refusal).kind()).isEqualTo(expected.refused());
            return;
        }
        Decision decision = machine.decide(before, input);
        assertThat(decision.after().state()).isEqualTo(expected.state());
        assertThat(decision.after().targets()).extracting(SessionFacts.TargetFacts::state)
                .containsExactlyElementsOf(expected.targets());
        assertThat(decision.effects()).extracting(Object::getClass).containsExactlyElementsOf(expected.effects());
        if (expected.reasonContains() != null) {
            assertThat(decision.after().failureReason()).contains(expected.reasonContains());
        } else if (expected.state().isTerminal()) {
            assertThat(decision.after().failureReason()).isNull();
        }
    }
}
