package io.pureboot.clone.events.resize;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.pureboot.clone.events.EventPayload;
import java.util.UUID;

/**
 * A target's plan was computed by the planner or edited by an operator; versions rise by one.
 *
 * <p>A plan belongs to one (session, target node, target disk): the key clone-service gives its
 * targets. The highest version of that key is the target's current plan; a target that is given
 * another disk gets plans under the new key, and the old key's plans no longer apply. The planner
 * computes a plan by itself as soon as it knows the source's and the target's inventories, and again
 * whenever either changes (until the source is captured, the source's layout; at any time, the target
 * disk), so a consumer needs no other signal than this event to know whether a target can start.
 *
 * @param sessionId the clone session
 * @param targetNodeId the target's node id, as in the session's targets
 * @param targetDiskId the stable id of the target disk the plan was made for
 * @param version 1, 2, ... per (session, node, disk); the highest is current
 * @param origin computed by the planner or edited by an operator
 * @param plan the layout; {@code plan.feasible} says whether the target may start with it, and when it
 *     is false, {@code plan.violations} (and the one-line {@code plan.error_message}) say why
 */
public record ResizePlanPublished(
        UUID sessionId,
        String targetNodeId,
        String targetDiskId,
        int version,
        Origin origin,
        ResizePlan plan) implements EventPayload {

    /** Who made this version of the plan. */
    public enum Origin {
        @JsonProperty("computed") COMPUTED,
        @JsonProperty("edited") EDITED
    }

    public ResizePlanPublished {
        requireNonNull(sessionId, "sessionId is null");
        requireNonNull(targetNodeId, "targetNodeId is null");
        requireNonNull(targetDiskId, "targetDiskId is null");
        requireNonNull(origin, "origin is null");
        requireNonNull(plan, "plan is null");
    }

    @Override
    public String subject() {
        return sessionId.toString();
    }
}
