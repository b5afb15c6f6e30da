package io.pureboot.clone.controller.session.machine;

import io.pureboot.clone.nodeapi.NodeRole;
import io.pureboot.clone.controller.session.SessionState;
import io.pureboot.clone.controller.session.TargetState;
import io.pureboot.clone.controller.session.TargetsRun;
import io.pureboot.clone.controller.session.machine.SessionFacts.TargetFacts;
import io.pureboot.clone.controller.session.machine.SessionInput.Cancel;
import io.pureboot.clone.controller.session.machine.SessionInput.DeadlineCheck;
import io.pureboot.clone.controller.session.machine.SessionInput.NodeFailed;
import io.pureboot.clone.controller.session.machine.SessionInput.SourceDone;
import io.pureboot.clone.controller.session.machine.SessionInput.SourceImageComplete;
import io.pureboot.clone.controller.session.machine.SessionInput.SourceListening;
import io.pureboot.clone.controller.session.machine.SessionInput.SourceProgress;
import io.pureboot.clone.controller.session.machine.SessionInput.StagingChanged;
import io.pureboot.clone.controller.session.machine.SessionInput.Start;
import io.pureboot.clone.controller.session.machine.SessionInput.StartTargets;
import io.pureboot.clone.controller.session.machine.SessionInput.SwarmPeerDropped;
import io.pureboot.clone.controller.session.machine.SessionInput.TargetComplete;
import io.pureboot.clone.controller.session.machine.SessionInput.TargetProgress;
import io.pureboot.clone.events.session.CloneMode;
import io.pureboot.clone.events.storage.StagingStatus;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Every rule of a session's life in one place: which input moves a session or a target from which state to
 * which, when staging counts as sealed, when targets are armed (only with a current feasible plan), when a direct
 * source must keep running, how a session settles from its targets, and the deadlines of every party.
 *
 * <p>Pure: no I/O, time from the clock it was given. It answers each input with a {@link Decision} (the session
 * after it and the effects to carry out) or a {@link Refusal}; {@code SessionEngine} applies decisions.
 */
public final class SessionMachine {

    private static final Set<SessionState> STAGED_SOURCE_RUNS = EnumSet.of(SessionState.SOURCE_ARMED,
            SessionState.UPLOADING);
    /** A direct source serves while its targets download from it. */
    private static final Set<SessionState> DIRECT_SOURCE_RUNS = EnumSet.of(SessionState.SOURCE_ARMED,
            SessionState.UPLOADING, SessionState.DOWNLOADING);

    private final Clock clock;
    private final DeadlineRules deadlines;

    public SessionMachine(Clock clock, Deadlines deadlines) {
        this.clock = clock;
        this.deadlines = new DeadlineRules(deadlines);
    }

    /** The states in which the source of a session of this mode runs its clone mode (and boots into it). */
    public static Set<SessionState> sourceRuns(CloneMode mode) {
        return mode == CloneMode.DIRECT ? DIRECT_SOURCE_RUNS : STAGED_SOURCE_RUNS;
    }

    /**
     * Whether storage-service sealed the image: the area is read-only from then on. Before the seal a target
     * would find it still writable and be refused.
     */
    public static boolean sealed(StagingStatus status) {
        return status == StagingStatus.READY || status == StagingStatus.DOWNLOADING;
    }

    public Decision decide(SessionFacts session, SessionInput input) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        return switch (input) {
            case Start start -> start(session, start, now);
            case StartTargets ignored -> startTargets(session, now);
            case Cancel cancel -> {
                requireMove(session, SessionState.CANCELLED);
                yield end(session, SessionState.CANCELLED, cancel.reason() == null || cancel.reason().isBlank()
                        ? "cancelled by an operator" : cancel.reason(), now);
            }
            case StagingChanged changed -> staging(session, changed, now);
            case DeadlineCheck ignored -> deadlines(session, now);
            case SourceProgress ignored -> sourceProgress(sourceArmed(session), now);
            case TargetProgress progress -> targetProgress(running(session), progress, now);
            case SourceImageComplete complete -> sourceImageComplete(sourceArmed(session), complete, now);
            case SourceListening listening -> sourceListening(sourceArmed(session), listening, now);
            case SourceDone ignored -> sourceDone(sourceArmed(session), now);
            case SwarmPeerDropped dropped -> swarmPeerDropped(running(session), dropped);
            case TargetComplete complete -> targetComplete(running(session), complete, now);
            case NodeFailed failed -> nodeFailed(failed.role() == NodeRole.SOURCE ? sourceArmed(session)
                    : running(session), failed, now);
        };
    }

    /**
     * Starts a created session, only when the source disk is known and every target has a current feasible plan
     * for its chosen disk: a staged session asks for its staging area, a direct one arms its source at once.
     */
    private Decision start(SessionFacts session, Start start, OffsetDateTime now) {
        SessionState next = session.mode() == CloneMode.DIRECT ? SessionState.SOURCE_ARMED : SessionState.PROVISIONING;
        requireMove(session, next);
        List<Refusal.Field> problems = new ArrayList<>();
        if (start.sourceDiskBytes().isEmpty()) {
            problems.add(new Refusal.Field("source_disk_id", "node " + session.sourceNodeId()
                    + " has not reported disk " + session.sourceDiskId() + "; boot it into inventory mode first"));
        }
        for (int i = 0; i < session.targets().size(); i++) {
            TargetFacts target = session.targets().get(i);
            Long size = start.targetDiskBytes().get(target.nodeId());
            Optional<String> problem = PlanGate.problem(target, session.resizeMode(), start.sourceDiskBytes(),
                    size == null ? OptionalLong.empty() : OptionalLong.of(size));
            int index = i;
            problem.ifPresent(reason -> problems.add(new Refusal.Field("targets[" + index + "]",
                    "target node " + target.nodeId() + ": " + reason)));
        }
        if (!problems.isEmpty()) {
            throw Refusal.unprocessable(problems);
        }
        SessionFacts started = session.withState(next, now, null);
        return next == SessionState.PROVISIONING
                ? new Decision(started, List.of(new Effect.StagingRequested(start.sourceDiskBytes().getAsLong())))
                : Decision.unchanged(started);
    }

    private Decision startTargets(SessionFacts session, OffsetDateTime now) {
        if (session.state() != SessionState.UPLOADED) {
            throw Refusal.conflict("clone session " + session.id() + " is " + session.state().jsonName()
                    + "; targets start once the image is uploaded");
        }
        if (!sealed(session.stagingStatus())) {
            throw Refusal.conflict("the image of clone session " + session.id()
                    + " is not sealed in staging yet; retry once its staging status is ready");
        }
        return arm(session, now);
    }

    private Decision staging(SessionFacts session, StagingChanged changed, OffsetDateTime now) {
        SessionFacts recorded = session.withStaging(changed.status(), now);
        if (recorded.state().isTerminal()) {
            return Decision.unchanged(recorded);
        }
        return switch (changed.status()) {
            case PROVISIONED -> Decision.unchanged(recorded.state() == SessionState.PROVISIONING
                    ? recorded.withState(SessionState.SOURCE_ARMED, now, null) : recorded);
            case FAILED -> end(recorded, SessionState.FAILED, "staging failed: " + changed.reason(), now);
            case READY, DOWNLOADING -> armAfterUpload(recorded, now);
            case PENDING, PROVISIONING, UPLOADING, CLEANUP, DELETED -> Decision.unchanged(recorded);
        };
    }

    private Decision sourceProgress(SessionFacts session, OffsetDateTime now) {
        SessionFacts seen = session.withSource(now, session.manifestSha256(), session.sourceDone());
        return Decision.unchanged(seen.state() == SessionState.SOURCE_ARMED
                ? seen.withState(SessionState.UPLOADING, now, null) : seen);
    }

    private Decision targetProgress(SessionFacts session, TargetProgress progress, OffsetDateTime now) {
        TargetFacts target = target(session, progress.nodeId());
        if (target.state() == TargetState.PENDING) {
            throw Refusal.conflict("this target is not armed yet");
        }
        if (target.state().isTerminal()) {
            throw Refusal.conflict("this target is " + target.state().jsonName());
        }
        SessionFacts seen = session.withTarget(target.nodeId(), t -> (t.state() == TargetState.DOWNLOADING ? t
                : t.moveTo(TargetState.DOWNLOADING, now, null)).seenAt(now));
        // The first download moves the session on; direct targets pull while the source still serves.
        boolean firstDownload = session.mode() == CloneMode.DIRECT ? session.state() == SessionState.UPLOADING
                : session.state() == SessionState.UPLOADED;
        return Decision.unchanged(firstDownload ? seen.withState(SessionState.DOWNLOADING, now, null) : seen);
    }

    private Decision sourceImageComplete(SessionFacts session, SourceImageComplete complete, OffsetDateTime now) {
        if (session.mode() != CloneMode.STAGED) {
            throw Refusal.forbidden("a direct source reports complete; source-complete is for staged sources");
        }
        if (complete.manifestSha256().equals(session.manifestSha256())) {
            return Decision.unchanged(session);
        }
        requireMove(session, SessionState.UPLOADED);
        SessionFacts uploaded = session.withSource(now, complete.manifestSha256(), true)
                .withState(SessionState.UPLOADED, now, null);
        Decision armed = armAfterUpload(uploaded, now);
        List<Effect> effects = new ArrayList<>();
        effects.add(new Effect.SourceImageCompleted(complete.manifestSha256(), complete.repairs()));
        effects.addAll(armed.effects());
        return new Decision(armed.after(), effects);
    }

    private Decision sourceListening(SessionFacts session, SourceListening listening, OffsetDateTime now) {
        requireDirect(session);
        if (session.directAddress() == null) {
            throw Refusal.conflict("this source has no certificate yet; POST /api/v1/node/direct/certificate first");
        }
        if (!session.directAddress().equals(listening.address())) {
            throw Refusal.unprocessable(List.of(new Refusal.Field("address", "is not the address in this source's "
                    + "certificate (" + session.directAddress() + ")")));
        }
        SessionFacts seen = session.withSource(now, session.manifestSha256(), false);
        boolean first = seen.state() == SessionState.SOURCE_ARMED;
        Decision armed = arm(first ? seen.withState(SessionState.UPLOADING, now, null) : seen, now);
        if (!first || listening.repairs().isEmpty()) {
            return armed;
        }
        // The source did not end as it began: said once, as a staged source's repairs are in source-completed.
        List<Effect> effects = new ArrayList<>();
        effects.add(new Effect.SourceRepaired(listening.repairs()));
        effects.addAll(armed.effects());
        return new Decision(armed.after(), effects);
    }

    /**
     * A target says it dropped a peer: announced when the peer is another target of the session, which is all a
     * target's certificate lets it serve; anything else is no peer this target could have had.
     */
    private Decision swarmPeerDropped(SessionFacts session, SwarmPeerDropped dropped) {
        requireSwarmCalls(session);
        target(session, dropped.nodeId());
        if (dropped.peerNodeId().equals(dropped.nodeId())) {
            throw Refusal.unprocessable(List.of(new Refusal.Field("peer_node_id", "is this target itself")));
        }
        if (session.target(dropped.peerNodeId()) == null) {
            throw Refusal.unprocessable(List.of(new Refusal.Field("peer_node_id", "node " + dropped.peerNodeId()
                    + " is not a target of clone session " + session.id())));
        }
        return new Decision(session, List.of(new Effect.SwarmPeerDropped(dropped.nodeId(), dropped.peerNodeId(),
                dropped.reason(), dropped.chunk())));
    }

    private Decision sourceDone(SessionFacts session, OffsetDateTime now) {
        if (session.mode() != CloneMode.DIRECT) {
            throw Refusal.forbidden(
                    "a staged source reports source-complete; complete is for targets and direct sources");
        }
        // The session itself ends with its targets; the source only says it stopped serving.
        return Decision.unchanged(session.withSource(now, session.manifestSha256(), true));
    }

    private Decision targetComplete(SessionFacts session, TargetComplete complete, OffsetDateTime now) {
        TargetFacts target = target(session, complete.nodeId());
        if (target.state() == TargetState.COMPLETED) {
            return Decision.unchanged(session);
        }
        if (target.state() != TargetState.ARMED && target.state() != TargetState.DOWNLOADING) {
            throw Refusal.conflict("this target is " + target.state().jsonName() + " and cannot complete");
        }
        return settle(session.withTarget(target.nodeId(), t -> t.moveTo(TargetState.COMPLETED, now, null).seenAt(now)),
                now);
    }

    private Decision nodeFailed(SessionFacts session, NodeFailed failed, OffsetDateTime now) {
        return switch (failed.role()) {
            case INVENTORY -> Decision.unchanged(session);
            case SOURCE -> end(session, SessionState.FAILED, failed.reason(), now);
            case TARGET -> {
                TargetFacts target = target(session, failed.nodeId());
                if (target.state() == TargetState.PENDING) {
                    throw Refusal.conflict("this target is not armed yet");
                }
                yield target.state().isTerminal() ? Decision.unchanged(session)
                        : settle(session.withTarget(target.nodeId(),
                                t -> t.moveTo(TargetState.FAILED, now, failed.reason())), now);
            }
        };
    }

    /** Fails the part of every party that missed its deadline, so that an operator sees why instead of a hang. */
    private Decision deadlines(SessionFacts session, OffsetDateTime now) {
        if (session.state().isTerminal() || session.state() == SessionState.CREATED) {
            return Decision.unchanged(session);
        }
        Optional<String> sessionMissed = deadlines.missedBy(session, now);
        if (sessionMissed.isPresent()) {
            return end(session, SessionState.FAILED, sessionMissed.get(), now);
        }
        SessionFacts checked = session.withTargets(target -> deadlines.missedBy(target, now)
                .map(reason -> target.moveTo(TargetState.FAILED, now, reason)).orElse(target));
        return checked.equals(session) ? Decision.unchanged(session) : settle(checked, now);
    }

    /** Arms the targets once the image is complete and sealed, when they run right after the upload. */
    private Decision armAfterUpload(SessionFacts session, OffsetDateTime now) {
        return session.state() == SessionState.UPLOADED && session.targetsRun() == TargetsRun.AFTER_UPLOAD
                && sealed(session.stagingStatus()) ? arm(session, now) : Decision.unchanged(session);
    }

    /**
     * Lets every waiting target boot into its restore mode, each only with its plan: a target whose plan went
     * missing or infeasible since the start fails with the reason instead of restoring a layout nobody checked.
     */
    private Decision arm(SessionFacts session, OffsetDateTime now) {
        SessionFacts armed = session.withTargets(target -> target.state() != TargetState.PENDING ? target
                : PlanGate.problem(target, session.resizeMode())
                        .map(problem -> target.moveTo(TargetState.FAILED, now, "target node " + target.nodeId()
                                + " was not armed: " + problem))
                        .orElseGet(() -> target.moveTo(TargetState.ARMED, now, null)));
        return settle(armed, now);
    }

    /**
     * Ends the session once no target is left running: completed when at least one target completed (the failed
     * ones say why), failed when none did, with each target's reason.
     */
    private Decision settle(SessionFacts session, OffsetDateTime now) {
        if (session.state().isTerminal() || session.targets().stream().anyMatch(t -> !t.state().isTerminal())) {
            return Decision.unchanged(session);
        }
        List<TargetFacts> failed = session.targets().stream().filter(t -> t.state() != TargetState.COMPLETED).toList();
        String reasons = failed.stream().map(SessionMachine::reason).collect(Collectors.joining("; "));
        if (failed.size() == session.targets().size()) {
            return end(session, SessionState.FAILED, "every target failed: " + reasons, now);
        }
        return end(session, SessionState.COMPLETED, failed.isEmpty() ? null
                : failed.size() + " of " + session.targets().size() + " targets failed: " + reasons, now);
    }

    private static String reason(TargetFacts target) {
        return target.failureReason() != null ? target.failureReason()
                : "target node " + target.nodeId() + " " + target.state().jsonName();
    }

    /** Ends the session: its unfinished targets are cancelled and cleanup is requested, once. */
    private static Decision end(SessionFacts session, SessionState state, String reason, OffsetDateTime now) {
        if (!session.state().canMoveTo(state)) {
            throw new IllegalStateException("clone session " + session.id() + " is " + session.state().jsonName()
                    + " and cannot end as " + state.jsonName());
        }
        SessionFacts ended = session.withState(state, now, reason)
                .withTargets(t -> t.state().isTerminal() ? t : t.moveTo(TargetState.CANCELLED, now, null));
        return new Decision(ended, List.of(new Effect.Ended(state, reason)));
    }

    private static void requireMove(SessionFacts session, SessionState next) {
        if (!session.state().canMoveTo(next)) {
            throw Refusal.conflict("clone session " + session.id() + " is " + session.state().jsonName()
                    + " and cannot become " + next.jsonName());
        }
    }

    private static void requireSwarmCalls(SessionFacts session) {
        String refused = swarmCallsRefused(session.id(), session.mode(), session.swarm());
        if (refused != null) {
            throw Refusal.conflict(refused);
        }
    }

    /**
     * Why a node of a session may not make the direct and swarm calls, or null when it may: they are for direct
     * sessions (whose targets may run the swarm on their own setting) and, in a staged session, for the targets when
     * the session has the swarm option ({@code swarmTarget}). The one rule for the machine's drop reports and the
     * node API's direct calls.
     */
    public static String swarmCallsRefused(UUID sessionId, CloneMode mode, boolean swarmTarget) {
        if (mode == CloneMode.DIRECT || swarmTarget) {
            return null;
        }
        return "clone session " + sessionId + " is staged; the direct calls are for direct sessions and for the "
                + "targets of a staged session with the swarm option";
    }

    private static void requireDirect(SessionFacts session) {
        if (session.mode() != CloneMode.DIRECT) {
            throw Refusal.conflict("clone session " + session.id()
                    + " is staged; the direct calls are for direct sessions");
        }
    }

    /** Nodes act on running sessions only. */
    private static SessionFacts running(SessionFacts session) {
        if (session.state().isTerminal()) {
            throw Refusal.conflict("clone session " + session.id() + " is " + session.state().jsonName());
        }
        return session;
    }

    /** A source acts only once it was armed: before, it has no part to play (and no token). */
    private static SessionFacts sourceArmed(SessionFacts session) {
        running(session);
        if (session.state() == SessionState.CREATED || session.state() == SessionState.PROVISIONING) {
            throw Refusal.conflict("the source of clone session " + session.id() + " is not armed yet");
        }
        return session;
    }

    private static TargetFacts target(SessionFacts session, UUID nodeId) {
        TargetFacts target = session.target(nodeId);
        if (target == null) {
            throw Refusal.forbidden("this node is not a target of the session");
        }
        return target;
    }

}
