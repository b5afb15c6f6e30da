package io.pureboot.clone.events.session;

import static java.util.Objects.requireNonNull;

/** A target of a clone session: a node and the stable id of the disk to overwrite. */
public record TargetRef(String nodeId, String diskId) {

    public TargetRef {
        requireNonNull(nodeId, "nodeId is null");
        requireNonNull(diskId, "diskId is null");
    }
}
