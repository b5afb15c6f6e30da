package io.pureboot.clone.planner.inventory;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** The newest inventory the planner has for one node. Its disks are {@link NodeDisk} rows. */
@Entity
@Table(name = "node_inventory")
public class NodeInventory extends PanacheEntityBase {

    @Id
    @Column(name = "node_id")
    public String nodeId;

    public String mac;

    public String hostname;

    @Column(name = "reported_at", nullable = false)
    public OffsetDateTime reportedAt;

    @Column(name = "reports_received", nullable = false)
    public long reportsReceived;
}
