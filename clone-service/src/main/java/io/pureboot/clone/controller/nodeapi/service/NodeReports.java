package io.pureboot.clone.controller.nodeapi.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.pureboot.clone.controller.security.NodeCaller;
import io.pureboot.clone.controller.session.CloneSession;
import io.pureboot.clone.controller.session.SessionTarget;
import io.pureboot.clone.controller.session.machine.SessionInput;
import io.pureboot.clone.controller.session.service.SessionEngine;
import io.pureboot.clone.events.EventCodec;
import io.pureboot.clone.events.resize.ResizePlan;
import io.pureboot.clone.nodeapi.AgentMode;
import io.pureboot.clone.nodeapi.Instructions;
import io.pureboot.clone.nodeapi.NodeRole;
import io.pureboot.clone.platform.rest.ApiException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
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

    public NodeReports(SessionEngine engine) {
        this.engine = engine;
    }

    /** A node gave up: a short machine-readable code and a one-line message for the operator. */
    public record Failure(String code, String message) {
    }

    /** The staged source's image is complete in staging. */
    public record ImageComplete(long imageSizeBytes, String manifestSha256) {
    }

    public Uni<Instructions> instructions(NodeCaller caller) {
        if (caller.role() == NodeRole.INVENTORY) {
            return Uni.createFrom().item(Instructions.inventory());
        }
        return Panache.withSession(() -> activeSession(caller).chain(session -> {
            AgentMode mode = AgentMode.forClone(caller.role(), session.mode);
            if (caller.role() == NodeRole.SOURCE) {
                return Uni.createFrom().item(new Instructions(session.id, mode, NodeRole.SOURCE, session.sourceDiskId,
                        session.resizeMode, null, null, session.repairSource));
            }
            return target(caller).map(target -> {
                // A target is armed only with its plan, so a target that may run always has one.
                if (target.plan == null) {
                    throw ApiException.conflict("this target has no plan and is not armed");
                }
                return new Instructions(session.id, mode, NodeRole.TARGET, target.diskId, session.resizeMode,
                        readPlan(target.plan), target.planVersion, false);
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
            case SOURCE -> apply(caller, new SessionInput.SourceProgress(report));
            case TARGET -> apply(caller, new SessionInput.TargetProgress(caller.nodeId(), report));
        };
    }

    public Uni<Void> sourceComplete(NodeCaller caller, ImageComplete report) {
        if (caller.role() != NodeRole.SOURCE) {
            return Uni.createFrom().failure(ApiException.forbidden("only the source reports source-complete"));
        }
        return apply(caller, new SessionInput.SourceImageComplete(report.manifestSha256(), report.imageSizeBytes()));
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

    private Uni<Void> apply(NodeCaller caller, SessionInput input) {
        return engine.apply(caller.sessionId(), input).replaceWithVoid();
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
