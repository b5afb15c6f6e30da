package io.pureboot.clone.controller.node;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A machine that boots from the network into the PureBoot agent. */
@Entity
@Table(name = "node")
public class Node extends PanacheEntityBase {

    @Id
    public UUID id;

    /** Unique among the nodes that are not retired (a retired machine may be registered again). */
    @Column(nullable = false)
    public String mac;

    @Column(nullable = false)
    public String name;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "last_inventory_at")
    public OffsetDateTime lastInventoryAt;

    /** The disks last reported, as the JSON list of DiskInventory the agent sent. */
    @Column(name = "last_inventory")
    public String lastInventory;

    /** An operator asked this node to boot into inventory mode at its next network boot. */
    @Column(name = "inventory_requested", nullable = false)
    public boolean inventoryRequested;

    /** When an operator retired the node; null while it is registered. */
    @Column(name = "retired_at")
    public OffsetDateTime retiredAt;

    public boolean retired() {
        return retiredAt != null;
    }
}
