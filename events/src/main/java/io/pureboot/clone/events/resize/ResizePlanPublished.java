package io.pureboot.clone.events.resize;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.pureboot.clone.events.EventPayload;

/** A target's plan was computed by the planner or edited by an operator; versions rise by one. */
public record ResizePlanPublished(
        String sessionId,
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
        requireNonNull(origin, "origin is null");
        requireNonNull(plan, "plan is null");
    }

    @Override
    public String subject() {
        return sessionId;
    }
}
