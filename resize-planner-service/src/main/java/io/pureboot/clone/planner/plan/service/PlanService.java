package io.pureboot.clone.planner.plan.service;

import io.pureboot.clone.events.EventCatalog;
import io.pureboot.clone.events.node.DiskInventory;
import io.pureboot.clone.events.resize.PlanViolation;
import io.pureboot.clone.events.resize.ResizePlan;
import io.pureboot.clone.events.resize.ResizePlanPublished;
import io.pureboot.clone.events.session.TargetRef;
import io.pureboot.clone.planner.inventory.NodeDisk;
import io.pureboot.clone.planner.inventory.NodeInventory;
import io.pureboot.clone.planner.plan.CaptureLayout;
import io.pureboot.clone.planner.plan.LayoutPlanner;
import io.pureboot.clone.planner.plan.Margins;
import io.pureboot.clone.planner.plan.PartitionEdit;
import io.pureboot.clone.planner.plan.PlanBasis;
import io.pureboot.clone.planner.plan.PlanEditor;
import io.pureboot.clone.planner.plan.PlanOptions;
import io.pureboot.clone.planner.plan.PlanVersion;
import io.pureboot.clone.planner.plan.TargetDisk;
import io.pureboot.clone.planner.plan.config.PlannerConfig;
import io.pureboot.clone.planner.session.PlannedSession;
import io.pureboot.clone.planner.session.SessionStatus;
import io.pureboot.clone.platform.outbox.Outbox;
import io.pureboot.clone.platform.rest.ApiError;
import io.pureboot.clone.platform.rest.ApiException;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Analyses sessions into per-target plans and takes operators' edits. Every new plan version is
 * stored and published (through the outbox) in one transaction. Writes to one session are
 * serialised by locking its row, so versions rise by one without gaps or clashes.
 */
@ApplicationScoped
public class PlanService {

    private static final String NO_PLAN_YET = ": the planner makes one as soon as the source's and the target's disks"
            + " are reported; POST .../analyze names the inventory that is missing";

    private final Outbox outbox;
    private final PlannerConfig config;

    public PlanService(Outbox outbox, PlannerConfig config) {
        this.outbox = outbox;
        this.config = config;
    }

    /**
     * Computes a new plan version for every target of the session, or for the one named.
     *
     * <p>Without a target, the capture layout is recomputed from the source's latest inventory (until
     * the source is captured) and targets that have not reported are listed as pending. With a target,
     * the session's capture layout is reused, so that the target's plan starts from the same layout as
     * the others', and a missing target inventory is a 409.
     */
    @WithTransaction
    public Uni<Analysis> analyze(UUID sessionId, String nodeId, String diskId, PlanOptions options) {
        return lockedSession(sessionId).chain(session -> {
            boolean one = nodeId != null;
            List<TargetRef> targets = one ? List.of(target(session, nodeId, diskId)) : session.targetList();
            if (targets.isEmpty()) {
                return Uni.createFrom().failure(ApiException.conflict("clone session " + sessionId
                        + " has no targets to plan"));
            }
            return capture(session, one).chain(capture -> {
                List<PlanViolation> problems = LayoutPlanner.checkOptions(capture, options);
                if (!problems.isEmpty()) {
                    return Uni.createFrom().failure(ApiException.unprocessable(messages("the options cannot be used",
                            problems), problems.stream().map(p -> new ApiError.FieldError(p.field(), p.message()))
                            .toList()));
                }
                session.capture(capture);
                List<PlanVersion> plans = new ArrayList<>();
                List<Analysis.PendingTarget> pending = new ArrayList<>();
                return Multi.createFrom().iterable(targets)
                        .onItem().transformToUniAndConcatenate(target -> planTarget(session, capture, target, options,
                                one, plans, pending))
                        .collect().last()
                        .map(ignored -> new Analysis(session, capture, plans, pending));
            });
        });
    }

    /**
     * Takes an operator's edit of a target's current plan. The edit is checked against every rule
     * with the limits of the plan's basis, never the client's; a plan that breaks one is refused with
     * 422 and a field per violation. An edit that changes nothing returns the current version.
     */
    @WithTransaction
    public Uni<PlanVersion> edit(UUID sessionId, String nodeId, String diskId, Integer baseVersion,
            List<PartitionEdit> edits) {
        return lockedSession(sessionId).chain(session -> {
            TargetRef target = target(session, nodeId, diskId);
            return latest(sessionId, target).chain(latest -> {
                if (latest == null) {
                    return Uni.createFrom().failure(ApiException.conflict("target " + target.nodeId() + " of clone "
                            + "session " + sessionId + " has no plan yet" + NO_PLAN_YET));
                }
                if (baseVersion != null && baseVersion != latest.version) {
                    return Uni.createFrom().failure(ApiException.conflict("the plan of target " + target.nodeId()
                            + " is at version " + latest.version + " and this edit was made on version " + baseVersion
                            + ": reload the plan and edit again"));
                }
                PlanBasis basis = latest.planBasis();
                ResizePlan plan = PlanEditor.apply(basis.capture(), basis.target(), edits);
                if (!plan.feasible()) {
                    return Uni.createFrom().failure(ApiException.unprocessable(messages("the edited plan of target "
                            + target.nodeId() + " breaks " + plan.violations().size() + " rule"
                            + (plan.violations().size() == 1 ? "" : "s"), plan.violations()),
                            fields(plan.violations(), edits)));
                }
                if (plan.partitions().equals(latest.resizePlan().partitions())) {
                    return Uni.createFrom().item(latest);
                }
                return store(session, target, latest.version + 1, ResizePlanPublished.Origin.EDITED, plan, basis,
                        latest.planOptions());
            });
        });
    }

    /** A target's current plan, or the version asked for. */
    @WithSession
    public Uni<PlanVersion> plan(UUID sessionId, String nodeId, String diskId, Integer version) {
        return session(sessionId).chain(session -> {
            TargetRef target = target(session, nodeId, diskId);
            Uni<PlanVersion> found = version == null ? latest(sessionId, target)
                    : PlanVersion.findById(new PlanVersion.Key(sessionId, target.nodeId(), target.diskId(), version));
            return found.onItem().ifNull().failWith(() -> version == null
                    ? ApiException.notFound("plan of target " + target.nodeId() + " of clone session", sessionId
                            + " (it has no plan yet" + NO_PLAN_YET + ")")
                    : ApiException.notFound("version " + version + " of the plan of target " + target.nodeId()
                            + " of clone session", sessionId));
        });
    }

    /** Every version of a target's plan, oldest first. */
    @WithSession
    public Uni<List<PlanVersion>> versions(UUID sessionId, String nodeId, String diskId) {
        return session(sessionId).chain(session -> {
            TargetRef target = target(session, nodeId, diskId);
            return PlanVersion.list("sessionId = ?1 and targetNodeId = ?2 and targetDiskId = ?3 order by version",
                    sessionId, target.nodeId(), target.diskId());
        });
    }

    /** Every target of the session with its current plan. */
    @WithSession
    public Uni<SessionPlans> plans(UUID sessionId) {
        return session(sessionId).chain(session -> Multi.createFrom().iterable(session.targetList())
                .onItem().transformToUniAndConcatenate(target -> NodeDisk.<NodeDisk>findById(
                                new NodeDisk.Key(target.nodeId(), target.diskId()))
                        .chain(disk -> latest(sessionId, target).map(plan -> new SessionPlans.TargetPlan(
                                target.nodeId(), target.diskId(), disk != null, plan))))
                .collect().asList()
                .map(targets -> new SessionPlans(session, targets)));
    }

    private Uni<PlannedSession> session(UUID sessionId) {
        return PlannedSession.<PlannedSession>findById(sessionId)
                .onItem().ifNull().failWith(() -> notDefined(sessionId));
    }

    private Uni<PlannedSession> lockedSession(UUID sessionId) {
        return PlannedSession.<PlannedSession>findById(sessionId, LockModeType.PESSIMISTIC_WRITE)
                .onItem().ifNull().failWith(() -> notDefined(sessionId))
                .invoke(session -> {
                    if (session.status.closed()) {
                        throw ApiException.conflict("clone session " + sessionId + " is "
                                + session.status.name().toLowerCase(Locale.ROOT)
                                + ": its plans can no longer change");
                    }
                });
    }

    private static ApiException notDefined(UUID sessionId) {
        return ApiException.notFound("clone session", sessionId + " (the planner has received no definition of it)");
    }

    /** The target named, or the only one; a 400 says which to choose when it is ambiguous. */
    private static TargetRef target(PlannedSession session, String nodeId, String diskId) {
        List<TargetRef> targets = session.targetList();
        if (nodeId == null) {
            if (targets.size() == 1) {
                return targets.getFirst();
            }
            throw ApiException.badRequest("target", targets.isEmpty() ? "clone session " + session.sessionId
                    + " has no targets" : "clone session " + session.sessionId + " has " + targets.size()
                    + " targets (" + targets.stream().map(TargetRef::nodeId).collect(Collectors.joining(", "))
                    + "): choose one with ?target=<node_id>");
        }
        List<TargetRef> matches = targets.stream().filter(t -> t.nodeId().equals(nodeId)
                && (diskId == null || t.diskId().equals(diskId))).toList();
        if (matches.isEmpty()) {
            throw ApiException.notFound("target", nodeId + (diskId == null ? "" : " disk " + diskId)
                    + " of clone session " + session.sessionId);
        }
        if (matches.size() > 1) {
            throw ApiException.badRequest("disk", "node " + nodeId + " is a target with disks "
                    + matches.stream().map(TargetRef::diskId).collect(Collectors.joining(", "))
                    + ": choose one with &disk=<disk_id>");
        }
        return matches.getFirst();
    }

    /** The capture layout to plan from: the stored one when it must stay, else the source's latest inventory's. */
    private Uni<CaptureLayout> capture(PlannedSession session, boolean reuse) {
        CaptureLayout stored = session.capture();
        if (stored != null && (reuse || session.status == SessionStatus.SOURCE_CAPTURED)) {
            return Uni.createFrom().item(stored);
        }
        if (session.sourceNodeId == null || session.sourceDiskId == null) {
            return Uni.createFrom().failure(ApiException.conflict("clone session " + session.sessionId
                    + " has no source disk yet"));
        }
        return NodeDisk.<NodeDisk>findById(new NodeDisk.Key(session.sourceNodeId, session.sourceDiskId))
                .chain(disk -> {
                    if (disk == null) {
                        return missing(session.sourceNodeId, session.sourceDiskId, "source").chain(reason -> Uni
                                .createFrom().failure(PlannerException.missingInventory("cannot plan clone session "
                                        + session.sessionId + ": " + reason, List.of(
                                                new ApiError.FieldError("source", reason)))));
                    }
                    try {
                        return Uni.createFrom().item(captureOf(session, disk));
                    } catch (IllegalArgumentException e) {
                        return Uni.createFrom().failure(ApiException.invalidField("source",
                                "the source inventory cannot be planned: " + e.getMessage()));
                    }
                });
    }

    /**
     * The capture layout of the session's source disk as inventoried, with this service's margins and
     * alignment.
     *
     * @throws IllegalArgumentException when the inventory cannot be planned, naming the partition and value
     */
    public CaptureLayout captureOf(PlannedSession session, NodeDisk source) {
        return CaptureLayout.of(source.toInventory(), session.resizeMode,
                new Margins(config.marginPercent(), config.marginMinimumBytes()), config.alignmentBytes());
    }

    private Uni<Void> planTarget(PlannedSession session, CaptureLayout capture, TargetRef target, PlanOptions options,
            boolean strict, List<PlanVersion> plans, List<Analysis.PendingTarget> pending) {
        return NodeDisk.<NodeDisk>findById(new NodeDisk.Key(target.nodeId(), target.diskId())).chain(disk -> {
            if (disk == null) {
                return missing(target.nodeId(), target.diskId(), "target").chain(reason -> {
                    if (strict) {
                        return Uni.createFrom().failure(PlannerException.missingInventory("cannot plan target "
                                + target.nodeId() + " of clone session " + session.sessionId + ": " + reason,
                                List.of(new ApiError.FieldError("target", reason))));
                    }
                    pending.add(new Analysis.PendingTarget(target.nodeId(), target.diskId(), reason));
                    return Uni.createFrom().voidItem();
                });
            }
            DiskInventory inventory = disk.toInventory();
            TargetDisk targetDisk = new TargetDisk(inventory.sizeBytes(), inventory.logicalSectorSize());
            ResizePlan plan = LayoutPlanner.plan(capture, targetDisk, options);
            PlanBasis basis = new PlanBasis(capture, targetDisk);
            return latest(session.sessionId, target)
                    .chain(latest -> sameComputation(latest, plan, basis, options) ? Uni.createFrom().item(latest)
                            : store(session, target, latest == null ? 1 : latest.version + 1,
                                    ResizePlanPublished.Origin.COMPUTED, plan, basis, options))
                    .invoke(plans::add)
                    .replaceWithVoid();
        });
    }

    /**
     * True when the current version is this very computation (the planner's own, from the same basis
     * and options, with the same result): analysing again then adds no version, as an edit that
     * changes nothing adds none, so that the automatic analysis and an operator's re-run do not pile
     * up identical versions.
     */
    private static boolean sameComputation(PlanVersion latest, ResizePlan plan, PlanBasis basis, PlanOptions options) {
        return latest != null && latest.origin == ResizePlanPublished.Origin.COMPUTED
                && latest.planBasis().equals(basis) && latest.planOptions().equals(options)
                && latest.resizePlan().equals(plan);
    }

    public Uni<PlanVersion> store(PlannedSession session, TargetRef target, int version,
            ResizePlanPublished.Origin origin, ResizePlan plan, PlanBasis basis, PlanOptions options) {
        PlanVersion row = new PlanVersion();
        row.sessionId = session.sessionId;
        row.targetNodeId = target.nodeId();
        row.targetDiskId = target.diskId();
        row.version = version;
        row.origin = origin;
        row.feasible = plan.feasible();
        row.plan = PlanVersion.json(plan);
        row.basis = PlanVersion.json(basis);
        row.options = PlanVersion.json(options);
        row.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
        return row.<PlanVersion>persist()
                .call(() -> outbox.publish(EventCatalog.RESIZE_PLAN_PUBLISHED, new ResizePlanPublished(
                        session.sessionId, target.nodeId(), target.diskId(), version, origin, plan)));
    }

    /** The target's current plan (its highest version), or null before its first. */
    static Uni<PlanVersion> latest(UUID sessionId, TargetRef target) {
        return PlanVersion.<PlanVersion>find("sessionId = ?1 and targetNodeId = ?2 and targetDiskId = ?3 "
                + "order by version desc", sessionId, target.nodeId(), target.diskId()).firstResult();
    }

    /** Why a disk's inventory is missing: the node never reported, or reported without that disk. */
    private static Uni<String> missing(String nodeId, String diskId, String role) {
        return NodeInventory.<NodeInventory>findById(nodeId).chain(node -> {
            if (node == null) {
                return Uni.createFrom().item("node " + nodeId + " (the " + role + ") has not reported its disks "
                        + "yet: boot it in inventory mode");
            }
            return NodeDisk.<NodeDisk>list("nodeId = ?1 order by diskId", nodeId).map(disks -> "node " + nodeId
                    + " (the " + role + ") reported no disk " + diskId + " in its inventory of " + node.reportedAt
                    + (disks.isEmpty() ? "; it reported no disks at all" : "; it has "
                    + disks.stream().map(d -> d.diskId).collect(Collectors.joining(", "))));
        });
    }

    private static String messages(String headline, List<PlanViolation> violations) {
        return headline + ": " + violations.stream().map(PlanViolation::message).collect(Collectors.joining("; "));
    }

    /** Each violation named by the request field it concerns: {@code partitions[2].new_size_bytes}. */
    private static List<ApiError.FieldError> fields(List<PlanViolation> violations, List<PartitionEdit> edits) {
        List<ApiError.FieldError> fields = new ArrayList<>();
        for (PlanViolation violation : violations) {
            String field = violation.field();
            if (violation.partition() != null) {
                int index = -1;
                for (int i = 0; i < edits.size() && index < 0; i++) {
                    if (edits.get(i).partition() == violation.partition()) {
                        index = i;
                    }
                }
                field = index < 0 ? "partitions" : "partitions[" + index + "]." + violation.field();
            }
            fields.add(new ApiError.FieldError(field, violation.message()));
        }
        return fields;
    }
}
