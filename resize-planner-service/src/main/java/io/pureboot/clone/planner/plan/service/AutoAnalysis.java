package io.pureboot.clone.planner.plan.service;

import io.pureboot.clone.events.node.DiskInventory;
import io.pureboot.clone.events.resize.ResizePlan;
import io.pureboot.clone.events.resize.ResizePlanPublished;
import io.pureboot.clone.events.session.TargetRef;
import io.pureboot.clone.planner.inventory.NodeDisk;
import io.pureboot.clone.planner.plan.CaptureLayout;
import io.pureboot.clone.planner.plan.LayoutPlanner;
import io.pureboot.clone.planner.plan.PlanBasis;
import io.pureboot.clone.planner.plan.PlanOptions;
import io.pureboot.clone.planner.plan.TargetDisk;
import io.pureboot.clone.planner.session.PlannedSession;
import io.pureboot.clone.planner.session.SessionStatus;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The analysis that runs by itself. Once the planner knows a session's source disk and a target's
 * disk, whichever of the session definition and the two inventories arrives last, the target gets a
 * computed plan, published through the outbox like an operator's; when either disk is reported again
 * with a change (the source's only until it is captured), the target gets a new version. A target's
 * current plan that was made from the same capture layout and target disk stays, an operator's edit
 * included. The options of the current version are kept; the operator may still re-run or edit.
 *
 * <p>Runs inside the inbox transaction of the event that brought the change, after the event's own
 * effect. Session events and inventories arrive on two consumers at once: {@link #serialised} makes
 * their handlers take turns, so that neither misses what the other has not committed yet.
 */
@ApplicationScoped
public class AutoAnalysis {

    private static final Logger LOG = Logger.getLogger(AutoAnalysis.class);
    /** The advisory lock the planner's event handlers take turns on ("planner" in ASCII). */
    private static final long TURN = 0x706c616e6e6572L;
    private static final List<SessionStatus> OPEN = List.of(SessionStatus.DEFINED, SessionStatus.SOURCE_CAPTURED);

    private final PlanService plans;

    public AutoAnalysis(PlanService plans) {
        this.plans = plans;
    }

    /** Runs an event's handling once no other handler of session events or inventories is running. */
    public Uni<Void> serialised(Supplier<Uni<Void>> handling) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(
                                "select count(*) from (select pg_advisory_xact_lock(?1)) as turn", Long.class)
                        .setParameter(1, TURN)
                        .getSingleResult())
                .chain(ignored -> handling.get());
    }

    /** A session was defined or redefined (its row locked by the caller): plan every target that can be. */
    public Uni<Void> sessionDefined(PlannedSession session) {
        if (session == null || session.status.closed()) {
            return Uni.createFrom().voidItem();
        }
        return plan(session, session.targetList());
    }

    /** A node reported its disks: plan again every open session it is the source or a target of. */
    public Uni<Void> inventoryReported(String nodeId) {
        return PlannedSession.<PlannedSession>find("status in ?1 order by sessionId", OPEN)
                .withLock(LockModeType.PESSIMISTIC_WRITE).list()
                .chain(sessions -> Multi.createFrom().iterable(sessions)
                        .onItem().transformToUniAndConcatenate(session -> plan(session,
                                nodeId.equals(session.sourceNodeId) ? session.targetList()
                                        : session.targetList().stream().filter(t -> t.nodeId().equals(nodeId)).toList()))
                        .collect().last())
                .replaceWithVoid();
    }

    private Uni<Void> plan(PlannedSession session, List<TargetRef> targets) {
        if (targets.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return capture(session).chain(capture -> {
            if (capture == null) {
                return Uni.createFrom().voidItem();
            }
            session.capture(capture);
            return Multi.createFrom().iterable(targets)
                    .onItem().transformToUniAndConcatenate(target -> planTarget(session, capture, target))
                    .collect().last()
                    .replaceWithVoid();
        });
    }

    /** The layout to plan from: frozen once the source is captured, else the source's latest inventory's; null while unknown. */
    private Uni<CaptureLayout> capture(PlannedSession session) {
        CaptureLayout stored = session.capture();
        if (stored != null && session.status == SessionStatus.SOURCE_CAPTURED) {
            return Uni.createFrom().item(stored);
        }
        if (session.sourceNodeId == null || session.sourceDiskId == null) {
            return Uni.createFrom().nullItem();
        }
        return NodeDisk.<NodeDisk>findById(new NodeDisk.Key(session.sourceNodeId, session.sourceDiskId)).map(disk -> {
            if (disk == null) {
                return null;
            }
            try {
                return plans.captureOf(session, disk);
            } catch (IllegalArgumentException e) {
                LOG.warnf("session %s: the source disk %s of node %s cannot be planned: %s", session.sessionId,
                        session.sourceDiskId, session.sourceNodeId, e.getMessage());
                return null;
            }
        });
    }

    private Uni<Void> planTarget(PlannedSession session, CaptureLayout capture, TargetRef target) {
        return NodeDisk.<NodeDisk>findById(new NodeDisk.Key(target.nodeId(), target.diskId())).chain(disk -> {
            if (disk == null) {
                return Uni.createFrom().voidItem();
            }
            TargetDisk targetDisk;
            try {
                DiskInventory inventory = disk.toInventory();
                targetDisk = new TargetDisk(inventory.sizeBytes(), inventory.logicalSectorSize());
            } catch (IllegalArgumentException e) {
                LOG.warnf("session %s: target disk %s of node %s cannot be planned: %s", session.sessionId,
                        target.diskId(), target.nodeId(), e.getMessage());
                return Uni.createFrom().voidItem();
            }
            PlanBasis basis = new PlanBasis(capture, targetDisk);
            return PlanService.latest(session.sessionId, target).chain(latest -> {
                if (latest != null && latest.planBasis().equals(basis)) {
                    return Uni.createFrom().voidItem();
                }
                PlanOptions options = latest == null ? PlanOptions.DEFAULT : latest.planOptions();
                if (!LayoutPlanner.checkOptions(capture, options).isEmpty()) {
                    LOG.infof("session %s, target %s: the options of plan version %d no longer fit the source; "
                            + "planned with the defaults", session.sessionId, target.nodeId(), latest.version);
                    options = PlanOptions.DEFAULT;
                }
                ResizePlan plan = LayoutPlanner.plan(capture, targetDisk, options);
                LOG.infof("session %s, target %s disk %s: plan version %d computed (%s)", session.sessionId,
                        target.nodeId(), target.diskId(), latest == null ? 1 : latest.version + 1,
                        plan.feasible() ? "feasible" : "infeasible: " + plan.errorMessage());
                return plans.store(session, target, latest == null ? 1 : latest.version + 1,
                        ResizePlanPublished.Origin.COMPUTED, plan, basis, options).replaceWithVoid();
            });
        });
    }
}
