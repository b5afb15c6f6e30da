package io.pureboot.clone.events;

import io.pureboot.clone.events.node.NodeInventoryReported;
import io.pureboot.clone.events.operator.OperatorActionRecorded;
import io.pureboot.clone.events.resize.ResizePlanPublished;
import io.pureboot.clone.events.session.CloneSessionCancelled;
import io.pureboot.clone.events.session.CloneSessionCompleted;
import io.pureboot.clone.events.session.CloneSessionDefined;
import io.pureboot.clone.events.session.CloneSessionFailed;
import io.pureboot.clone.events.session.CloneSessionSourceCompleted;
import io.pureboot.clone.events.session.CloneSessionSourceRepaired;
import io.pureboot.clone.events.session.CloneSessionStagingRequested;
import io.pureboot.clone.events.session.CloneSessionSwarmPeerDropped;
import io.pureboot.clone.events.storage.StagingStatusChanged;
import io.pureboot.clone.events.storage.StorageBackendChanged;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Every event type of the system, with its CloudEvents type name and topic. docs/events.md describes each. */
public final class EventCatalog {

    public static final EventType<NodeInventoryReported> NODE_INVENTORY_REPORTED =
            new EventType<>("io.pureboot.node.inventory-reported", Topics.NODE_INVENTORY, NodeInventoryReported.class);

    public static final EventType<CloneSessionDefined> CLONE_SESSION_DEFINED =
            new EventType<>("io.pureboot.clone-session.defined", Topics.CLONE_SESSIONS, CloneSessionDefined.class);
    public static final EventType<CloneSessionStagingRequested> CLONE_SESSION_STAGING_REQUESTED =
            new EventType<>("io.pureboot.clone-session.staging-requested", Topics.CLONE_SESSIONS,
                    CloneSessionStagingRequested.class);
    public static final EventType<CloneSessionSourceCompleted> CLONE_SESSION_SOURCE_COMPLETED =
            new EventType<>("io.pureboot.clone-session.source-completed", Topics.CLONE_SESSIONS,
                    CloneSessionSourceCompleted.class);
    public static final EventType<CloneSessionSourceRepaired> CLONE_SESSION_SOURCE_REPAIRED =
            new EventType<>("io.pureboot.clone-session.source-repaired", Topics.CLONE_SESSIONS,
                    CloneSessionSourceRepaired.class);
    public static final EventType<CloneSessionSwarmPeerDropped> CLONE_SESSION_SWARM_PEER_DROPPED =
            new EventType<>("io.pureboot.clone-session.swarm-peer-dropped", Topics.CLONE_SESSIONS,
                    CloneSessionSwarmPeerDropped.class);
    public static final EventType<CloneSessionCompleted> CLONE_SESSION_COMPLETED =
            new EventType<>("io.pureboot.clone-session.completed", Topics.CLONE_SESSIONS, CloneSessionCompleted.class);
    public static final EventType<CloneSessionCancelled> CLONE_SESSION_CANCELLED =
            new EventType<>("io.pureboot.clone-session.cancelled", Topics.CLONE_SESSIONS, CloneSessionCancelled.class);
    public static final EventType<CloneSessionFailed> CLONE_SESSION_FAILED =
            new EventType<>("io.pureboot.clone-session.failed", Topics.CLONE_SESSIONS, CloneSessionFailed.class);

    public static final EventType<StorageBackendChanged> STORAGE_BACKEND_CHANGED =
            new EventType<>("io.pureboot.storage.backend-changed", Topics.STORAGE, StorageBackendChanged.class);
    public static final EventType<StagingStatusChanged> STAGING_STATUS_CHANGED =
            new EventType<>("io.pureboot.storage.staging-status-changed", Topics.STORAGE, StagingStatusChanged.class);

    public static final EventType<ResizePlanPublished> RESIZE_PLAN_PUBLISHED =
            new EventType<>("io.pureboot.resize.plan-published", Topics.RESIZE_PLANS, ResizePlanPublished.class);

    public static final EventType<OperatorActionRecorded> OPERATOR_ACTION_RECORDED =
            new EventType<>("io.pureboot.operator.action-recorded", Topics.OPERATOR_ACTIONS, OperatorActionRecorded.class);

    public static final List<EventType<?>> ALL = List.of(
            NODE_INVENTORY_REPORTED,
            CLONE_SESSION_DEFINED, CLONE_SESSION_STAGING_REQUESTED, CLONE_SESSION_SOURCE_COMPLETED,
            CLONE_SESSION_SOURCE_REPAIRED, CLONE_SESSION_SWARM_PEER_DROPPED,
            CLONE_SESSION_COMPLETED, CLONE_SESSION_CANCELLED, CLONE_SESSION_FAILED,
            STORAGE_BACKEND_CHANGED, STAGING_STATUS_CHANGED,
            RESIZE_PLAN_PUBLISHED,
            OPERATOR_ACTION_RECORDED);

    private static final Map<String, EventType<?>> BY_NAME =
            ALL.stream().collect(Collectors.toUnmodifiableMap(EventType::name, Function.identity()));

    private EventCatalog() {
    }

    /** The event type with this CloudEvents {@code type}, or empty for a type this version does not know. */
    public static Optional<EventType<?>> byName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }
}
