package io.pureboot.clone.events;

import java.util.List;

/** The Kafka topics. Each has one producing service; see docs/architecture.md for consumers. */
public final class Topics {

    /** Clone-session lifecycle, produced by clone-service. */
    public static final String CLONE_SESSIONS = "pureboot.clone-sessions";
    /** Node registry and disk inventories reported by agents, produced by clone-service. */
    public static final String NODE_INVENTORY = "pureboot.node-inventory";
    /** Storage backends and staging areas, produced by storage-service. */
    public static final String STORAGE = "pureboot.storage";
    /** Computed and edited resize plans, produced by resize-planner-service. */
    public static final String RESIZE_PLANS = "pureboot.resize-plans";

    /**
     * Every operator change with who made it, for the audit trail. The one topic with several producers: each service
     * records its own operators' requests.
     */
    public static final String OPERATOR_ACTIONS = "pureboot.operator-actions";

    public static final List<String> ALL = List.of(CLONE_SESSIONS, NODE_INVENTORY, STORAGE, RESIZE_PLANS, OPERATOR_ACTIONS);

    private Topics() {
    }
}
