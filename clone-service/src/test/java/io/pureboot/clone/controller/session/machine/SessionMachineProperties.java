package io.pureboot.clone.controller.session.machine;

import io.pureboot.clone.nodeapi.ProgressPhase;
import static io.pureboot.clone.controller.session.machine.Sessions.ADDRESS;
import static io.pureboot.clone.controller.session.machine.Sessions.SOURCE;
import static io.pureboot.clone.controller.session.machine.Sessions.SOURCE_BYTES;
import static io.pureboot.clone.controller.session.machine.Sessions.T0;
import static io.pureboot.clone.controller.session.machine.Sessions.TARGET_BYTES;
import static org.assertj.core.api.Assertions.assertThat;

import io.pureboot.clone.controller.MovableClock;
import io.pureboot.clone.nodeapi.NodeRole;
import io.pureboot.clone.controller.session.SessionState;
import io.pureboot.clone.controller.session.TargetState;
import io.pureboot.clone.controller.session.TargetsRun;
import io.pureboot.clone.controller.session.machine.SessionFacts.PlanFacts;
import io.pureboot.clone.controller.session.machine.SessionFacts.TargetFacts;
import io.pureboot.clone.events.session.CloneMode;
import io.pureboot.clone.events.session.ResizeMode;
import io.pureboot.clone.events.storage.StagingStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.Size;

/**
 * Any history a session can have (node reports, staging events, operators' starts and cancels, time passing, in any
 * order, most of them refused) ends the session once, with cleanup requested, never stuck and never counting a target
 * twice.
 */
class SessionMachineProperties {

    private static final List<UUID> NODES = List.of(Sessions.T1, Sessions.T2,
            UUID.fromString("00000000-0000-0000-0000-000000000003"), UUID.fromString("00000000-0000-0000-0000-000000000004"));
    private static final UUID STRANGER = UUID.fromString("00000000-0000-0000-0000-0000000000ff");
    private static final Deadlines DEADLINES = new Deadlines(Duration.ofMinutes(2), Duration.ofMinutes(30),
            Duration.ofMinutes(15));

    /**
     * One step of a history: time passes, then something happens: either what the session's parties would do next
     * in its state (guided, chosen by {@code pick}), or anything at all ({@code noise}), so that histories reach every
     * state and still try every input in every state.
     */
    record Step(Duration later, boolean guided, int pick, SessionInput noise) {

        SessionInput input(SessionFacts session) {
            return guided ? next(session, pick) : noise;
        }
    }

    /** How a target's plan stands when the session is created. */
    enum PlanKind { FEASIBLE, INFEASIBLE, NONE, OTHER_DISK }

    @Property
    void everySessionEndsOnceWithCleanupNeverStuckNeverCountingATargetTwice(
            @ForAll("sessions") SessionFacts created, @ForAll("histories") @Size(max = 60) List<Step> history) {
        MovableClock clock = new MovableClock(T0.toInstant());
        SessionMachine machine = new SessionMachine(clock, DEADLINES);
        SessionFacts session = created;
        int ends = 0;
        List<Step> all = new ArrayList<>(history);
        // Then much time passes: whatever waits on a node or on storage-service has missed its deadline.
        all.add(new Step(Duration.ofDays(1), false, 0, new SessionInput.DeadlineCheck()));
        for (Step step : all) {
            clock.advance(step.later());
            SessionFacts before = session;
            SessionInput input = step.input(before);
            Decision decision;
            try {
                decision = machine.decide(before, input);
            } catch (Refusal refused) {
                continue;
            }
            session = decision.after();
            ends += checkStep(before, decision, input);
        }
        Statistics.label("after every deadline").collect(session.state().isTerminal() ? session.state()
                : "waits for an operator");
        Statistics.label("completed targets").collect(session.targets().stream()
                .filter(target -> target.state() == TargetState.COMPLETED).count());
        assertThat(session.state().isTerminal() || waitsForAnOperator(session))
                .as("after every deadline, %s is neither ended nor waiting for an operator", session).isTrue();
        if (!session.state().isTerminal()) {
            Decision cancelled = machine.decide(session, new SessionInput.Cancel(null));
            ends += checkStep(session, cancelled, new SessionInput.Cancel(null));
            session = cancelled.after();
        }
        assertThat(session.state().isTerminal()).isTrue();
        assertThat(ends).as("cleanup requested once").isEqualTo(1);
        assertThat(session.targets()).allMatch(target -> target.state().isTerminal());
    }

    /** The invariants of one applied step; answers how many times the session ended in it. */
    private static int checkStep(SessionFacts before, Decision decision, SessionInput input) {
        SessionFacts after = decision.after();
        assertThat(after.state() == before.state() || before.state().canMoveTo(after.state()))
                .as("%s -> %s on %s", before.state(), after.state(), input).isTrue();
        List<Effect.Ended> ended = decision.effects().stream().filter(Effect.Ended.class::isInstance)
                .map(Effect.Ended.class::cast).toList();
        boolean endsNow = !before.state().isTerminal() && after.state().isTerminal();
        assertThat(ended).as("end effects on %s", input).hasSize(endsNow ? 1 : 0);
        ended.forEach(end -> assertThat(end.state()).isEqualTo(after.state()));
        if (after.state().isTerminal()) {
            assertThat(after.targets()).as("targets of an ended session").allMatch(t -> t.state().isTerminal());
        }
        if (endsNow && after.state() == SessionState.COMPLETED) {
            assertThat(after.targets()).anyMatch(t -> t.state() == TargetState.COMPLETED);
        }
        for (TargetFacts was : before.targets()) {
            TargetFacts now = after.target(was.nodeId());
            if (was.state().isTerminal()) {
                assertThat(now).as("a target is counted once").isEqualTo(was);
            }
            if (now.state() == TargetState.ARMED || now.state() == TargetState.DOWNLOADING
                    || now.state() == TargetState.COMPLETED) {
                assertThat(PlanGate.problem(now, after.resizeMode())).as("armed only with its plan").isEmpty();
            }
        }
        return endsNow ? 1 : 0;
    }

    /** The waits that are the operator's to end: a session never started, an image kept for targets on request. */
    private static boolean waitsForAnOperator(SessionFacts session) {
        return session.state() == SessionState.CREATED
                || session.state() == SessionState.UPLOADED && session.targetsRun() == TargetsRun.ON_REQUEST
                        && SessionMachine.sealed(session.stagingStatus())
                        && session.targets().stream().noneMatch(t -> t.state() == TargetState.ARMED
                                || t.state() == TargetState.DOWNLOADING);
    }

    @Provide
    Arbitrary<SessionFacts> sessions() {
        Arbitrary<CloneMode> mode = Arbitraries.of(CloneMode.class);
        Arbitrary<TargetsRun> run = Arbitraries.of(TargetsRun.class);
        Arbitrary<List<PlanKind>> plans = Arbitraries.frequency(Tuple.of(12, PlanKind.FEASIBLE),
                Tuple.of(1, PlanKind.INFEASIBLE), Tuple.of(1, PlanKind.NONE), Tuple.of(1, PlanKind.OTHER_DISK))
                .list().ofMinSize(1).ofMaxSize(NODES.size());
        Arbitrary<Boolean> certified = Arbitraries.of(true, true, true, false);
        return Combinators.combine(mode, run, plans, certified).as((m, r, kinds, hasCertificate) -> {
            List<TargetFacts> targets = new ArrayList<>();
            for (int i = 0; i < kinds.size(); i++) {
                UUID node = NODES.get(i);
                targets.add(Sessions.target(node, TargetState.PENDING, plan(node, kinds.get(i))));
            }
            return new SessionFacts(Sessions.SESSION, SOURCE, "wwn-source", m, ResizeMode.SHRINK_SOURCE,
                    m == CloneMode.DIRECT ? TargetsRun.AFTER_UPLOAD : r, false, SessionState.CREATED, null, null,
                    m == CloneMode.DIRECT && hasCertificate ? ADDRESS : null, false, T0, null, null, targets);
        });
    }

    private static PlanFacts plan(UUID node, PlanKind kind) {
        return switch (kind) {
            case FEASIBLE -> Sessions.plan(node, true);
            case INFEASIBLE -> Sessions.plan(node, false);
            case NONE -> null;
            case OTHER_DISK -> new PlanFacts("wwn-other", 2, Sessions.resizePlan(true, ResizeMode.SHRINK_SOURCE,
                    TARGET_BYTES));
        };
    }

    @Provide
    Arbitrary<List<Step>> histories() {
        Arbitrary<Duration> later = Arbitraries.frequencyOf(
                Tuple.of(16, Arbitraries.just(Duration.ZERO)),
                Tuple.of(3, Arbitraries.longs().between(1, 180).map(Duration::ofSeconds)),
                Tuple.of(1, Arbitraries.longs().between(1, 40).map(Duration::ofMinutes)));
        return Combinators.combine(later, Arbitraries.of(true, true, true, false), Arbitraries.integers().between(0, 99),
                inputs()).as(Step::new).list().ofMaxSize(60);
    }

    /** What the parties of a session would do next in its state; {@code pick} chooses among them. */
    private static SessionInput next(SessionFacts session, int pick) {
        List<TargetFacts> targets = session.targets();
        UUID target = targets.get(pick % targets.size()).nodeId();
        boolean direct = session.mode() == CloneMode.DIRECT;
        Map<UUID, Long> sizes = new HashMap<>();
        NODES.forEach(node -> sizes.put(node, TARGET_BYTES));
        return switch (session.state()) {
            case CREATED -> new SessionInput.Start(OptionalLong.of(SOURCE_BYTES), sizes);
            case PROVISIONING -> new SessionInput.StagingChanged(StagingStatus.PROVISIONED, null, null);
            case SOURCE_ARMED -> direct ? new SessionInput.SourceListening(ADDRESS, 7443)
                    : new SessionInput.SourceProgress(new SessionInput.Progress(ProgressPhase.DOWNLOADING, 1, 2, 3));
            case UPLOADING -> direct ? targetStep(target, pick)
                    : pick % 4 == 0 ? new SessionInput.StagingChanged(StagingStatus.READY, null, null)
                    : new SessionInput.SourceImageComplete("aa", 10);
            case UPLOADED -> !SessionMachine.sealed(session.stagingStatus())
                    ? new SessionInput.StagingChanged(StagingStatus.READY, null, null)
                    : pick % 2 == 0 ? new SessionInput.StartTargets() : targetStep(target, pick);
            case DOWNLOADING -> pick % 10 == 0 ? new SessionInput.SourceDone() : targetStep(target, pick);
            case COMPLETED, CANCELLED, FAILED -> new SessionInput.StagingChanged(StagingStatus.DELETED, null, null);
        };
    }

    private static SessionInput targetStep(UUID target, int pick) {
        return switch (pick % 5) {
            case 0, 1 -> new SessionInput.TargetProgress(target, new SessionInput.Progress(ProgressPhase.DOWNLOADING, 1, 2, 3));
            case 2, 3 -> new SessionInput.TargetComplete(target);
            default -> new SessionInput.NodeFailed(NodeRole.TARGET, target, "target node " + target + " failed");
        };
    }

    private static Arbitrary<SessionInput> inputs() {
        Arbitrary<UUID> node = Arbitraries.of(NODES.get(0), NODES.get(1), NODES.get(2), NODES.get(3), STRANGER);
        Arbitrary<SessionInput.Progress> progress = Arbitraries.longs().between(0, 100)
                .map(done -> new SessionInput.Progress(ProgressPhase.DOWNLOADING, done, 100, 1));
        Arbitrary<SessionInput> start = Arbitraries.of(true, true, true, false).flatMap(sourceKnown -> Arbitraries
                .of(TARGET_BYTES, TARGET_BYTES, TARGET_BYTES * 2).map(size -> {
                    Map<UUID, Long> sizes = new HashMap<>();
                    NODES.forEach(n -> sizes.put(n, size));
                    return new SessionInput.Start(sourceKnown ? OptionalLong.of(SOURCE_BYTES) : OptionalLong.empty(),
                            sizes);
                }));
        return Arbitraries.frequencyOf(
                Tuple.of(4, start),
                Tuple.of(1, Arbitraries.just(new SessionInput.StartTargets())),
                Tuple.of(1, Arbitraries.of("stop", "").map(SessionInput.Cancel::new)),
                Tuple.of(6, Arbitraries.of(StagingStatus.class)
                        .map(status -> new SessionInput.StagingChanged(status, null, "r"))),
                Tuple.of(4, progress.map(SessionInput.SourceProgress::new)),
                Tuple.of(6, Combinators.combine(node, progress).as(SessionInput.TargetProgress::new)),
                Tuple.of(3, Arbitraries.of("aa", "bb")
                        .map(sha -> new SessionInput.SourceImageComplete(sha, 10))),
                Tuple.of(3, Arbitraries.of(ADDRESS, ADDRESS, "10.9.9.9")
                        .map(address -> new SessionInput.SourceListening(address, 7443))),
                Tuple.of(1, Arbitraries.just(new SessionInput.SourceDone())),
                Tuple.of(5, node.map(SessionInput.TargetComplete::new)),
                Tuple.of(2, Combinators.combine(Arbitraries.of(NodeRole.class), node)
                        .as((role, n) -> new SessionInput.NodeFailed(role, n, role + " node " + n + " failed"))),
                Tuple.of(3, Arbitraries.just(new SessionInput.DeadlineCheck())));
    }
}
