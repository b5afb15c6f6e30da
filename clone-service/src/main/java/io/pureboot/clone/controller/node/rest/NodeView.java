package io.pureboot.clone.controller.node.rest;

import io.pureboot.clone.controller.node.Node;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A node as the API shows it; {@code retiredAt} is set once an operator retired it. */
public record NodeView(UUID id, String mac, String name, OffsetDateTime createdAt, OffsetDateTime lastInventoryAt,
        OffsetDateTime retiredAt) {

    public static NodeView of(Node node) {
        return new NodeView(node.id, node.mac, node.name, node.createdAt, node.lastInventoryAt, node.retiredAt);
    }
}
