package io.pureboot.clone.controller.nodeapi.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.pureboot.clone.controller.security.NodeCaller;
import io.pureboot.clone.controller.session.CloneSession;
import io.pureboot.clone.controller.session.SessionTarget;
import io.pureboot.clone.controller.session.machine.SessionInput;
import io.pureboot.clone.controller.session.service.ProgressLedger;
import io.pureboot.clone.controller.session.service.SessionEngine;
import io.pureboot.clone.events.EventCodec;
import io.pureboot.clone.events.resize.ResizePlan;
import io.pureboot.clone.events.session.SourceRepair;
import io.pureboot.clone.nodeapi.AgentMode;
import io.pureboot.clone.nodeapi.Instructions;
import io.pureboot.clone.nodeapi.NodeRole;
import io.pureboot.clone.platform.rest.ApiException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Locale;
import org.jboss.logging.Logger;

/**
 * What node agents report, handed to their session's machine. Every call acts only on the session and role of the
 * caller's token, and repeating a call that already took effect changes nothing.
 */
@ApplicationScoped
public class NodeReports {

    private static final Logger LOG = Logger.getLogger(NodeReports.class);

    private final SessionEngine engine;
    private final ProgressLedger ledger;

    public NodeReports(SessionEngine engine, ProgressLedger ledger) {
        this.engine = engine;
        this.ledger = ledger;
    }

    /** A node gave up: a short machine-readable code and a one-line message for the operator. */
    public record Failure(String code, String message) {
    }

    /** The staged source's image is complete in staging, after these repairs of the source (repair_source). */
    public record ImageComplete(long imageSizeBytes, String manifestSha256, List<SourceRepair> repairs) {
    }

    public Uni<Instructions> instructions(NodeCaller caller) {
        if (caller.role() == NodeRole.INVENTORY) {
            return Uni.createFrom().item(Instructions.inventory());
        }
        return Panache.withSession(() -> activeSession(caller).chain(session -> {
            AgentMode mode = AgentMode.forClone(caller.role(), session.mode);
            if (caller.role() == NodeRole.SOURCE) {
                return Uni.createFrom().item(new Instructions(session.id, mode, NodeRole.SOURCE, session.sourceDiskId,
                        session.resizeMode, null, null, session.repairSource, false));
            }
            return target(caller).map(target -> {
                // A target is armed only with its plan, so a target that may run always has one.
                if (target.plan == null) {
                    throw ApiException.conflict("this target has no plan and is not armed");
                }
                return new Instructions(session.id, mode, NodeRole.TARGET, target.diskId, session.resizeMode,
                        readPlan(target.plan), target.planVersion, false, session.swarm);
            });
        }));
    }

    public Uni<Void> progress(NodeCaller caller, SessionInput.Progress report) {
        if (caller.role() != NodeRole.INVENTORY && !report.phase().isFor(caller.role())) {
            return Uni.createFrom().failure(ApiException.invalidField("phase", report.phase().jsonName()
                    + " is not a phase of a " + caller.role().jsonName() + " node"));
        }
        return switch (caller.role()) {
            case INVENTORY -> Uni.createFrom().voidItem();
            case SOURCE -> progress(caller, report, new SessionInput.SourceProgress(report));
            case TARGET -> progress(caller, report, new SessionInput.TargetProgress(caller.nodeId(), report));
        };
    }

    /** Kept by the ledger when it can change only figures; otherwise the machine applies it (and says so next time). */
    private Uni<Void> progress(NodeCaller caller, SessionInput.Progress report, SessionInput input) {
        ProgressLedger.Reporter reporter = reporter(caller);
        if (ledger.offer(reporter, report)) {
            return Uni.createFrom().voidItem();
        }
        return engine.apply(caller.sessionId(), input).invoke(after -> ledger.learn(reporter, report.phase(), after))
                .replaceWithVoid();
    }

    private static ProgressLedger.Reporter reporter(NodeCaller caller) {
        return new ProgressLedger.Reporter(caller.sessionId(), caller.nodeId(), caller.role());
    }

    public Uni<Void> sourceComplete(NodeCaller caller, ImageComplete report) {
        if (caller.role() != NodeRole.SOURCE) {
            return Uni.createFrom().failure(ApiException.forbidden("only the source reports source-complete"));
        }
        // The source did not end as it began: said in the log here and in the audit (source-completed).
        for (SourceRepair repair : report.repairs()) {
            LOG.warnf("source node %s of clone session %s repaired partition %d as the session asked: '%s' exited "
                    + "with %d: %s", caller.nodeId(), caller.sessionId(), repair.partition(), repair.tool(),
                    repair.exitCode(), repair.summary());
        }
        return apply(caller, new SessionInput.SourceImageComplete(report.manifestSha256(), report.imageSizeBytes(),
                report.repairs()));
    }

    public Uni<Void> complete(NodeCaller caller) {
        return switch (caller.role()) {
            case INVENTORY -> Uni.createFrom().voidItem();
            case SOURCE -> apply(caller, new SessionInput.SourceDone());
            case TARGET -> apply(caller, new SessionInput.TargetComplete(caller.nodeId()));
        };
    }

    public Uni<Void> failed(NodeCaller caller, Failure report) {
        if (caller.role() == NodeRole.INVENTORY) {
            return Uni.createFrom().voidItem();
        }
        String role = caller.role().name().toLowerCase(Locale.ROOT);
        LOG.warnf("%s node %s of clone session %s failed: code %s: %s", role, caller.nodeId(), caller.sessionId(),
                report.code(), report.message());
        String reason = role + " node " + caller.nodeId() + " failed: " + report.code() + ": " + report.message();
        return apply(caller, new SessionInput.NodeFailed(caller.role(), caller.nodeId(), reason));
    }

    /**
     * Any other call of a node first has the machine apply the report the ledger still keeps for it, so that its last
     * figures (a bar at 100 %) are written before the state they led to, in the order the node sent them.
     */
    private Uni<Void> apply(NodeCaller caller, SessionInput input) {
        Uni<?> keptFirst = ledger.take(reporter(caller))
                .<Uni<?>>map(kept -> engine.apply(caller.sessionId(), caller.role() == NodeRole.SOURCE
                                ? new SessionInput.SourceProgress(kept)
                                : new SessionInput.TargetProgress(caller.nodeId(), kept))
                        // A refused report changes nothing; the call itself is what the node waits for.
                        .onFailure(ApiException.class).recoverWithNull())
                .orElseGet(() -> Uni.createFrom().voidItem());
        return keptFirst.chain(() -> engine.apply(caller.sessionId(), input)).replaceWithVoid();
    }

    private Uni<CloneSession> activeSession(NodeCaller caller) {
        return engine.find(caller.sessionId()).invoke(session -> {
            if (session.state.isTerminal()) {
                throw ApiException.conflict("clone session " + session.id + " is " + session.state.jsonName());
            }
        });
    }

    private static Uni<SessionTarget> target(NodeCaller caller) {
        return SessionTarget.<SessionTarget>findById(new SessionTarget.Key(caller.sessionId(), caller.nodeId()))
                .onItem().ifNull().failWith(() -> ApiException.forbidden("this node is not a target of the session"));
    }

    private static ResizePlan readPlan(String json) {
        try {
            return EventCodec.mapper().readValue(json, ResizePlan.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored plan is unreadable", e);
        }
    }
}
