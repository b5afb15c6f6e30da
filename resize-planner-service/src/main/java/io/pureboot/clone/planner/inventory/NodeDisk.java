package io.pureboot.clone.planner.inventory;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.pureboot.clone.events.EventCodec;
import io.pureboot.clone.events.node.DiskInventory;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.io.UncheckedIOException;

/**
 * One disk of a node's latest inventory. The full {@link DiskInventory} is kept as the JSON the
 * agent reported, so fields added to the contract need no migration here.
 */
@Entity
@Table(name = "node_disk")
@IdClass(NodeDisk.Key.class)
public class NodeDisk extends PanacheEntityBase {

    @Id
    @Column(name = "node_id")
    public String nodeId;

    @Id
    @Column(name = "disk_id")
    public String diskId;

    @Column(name = "size_bytes", nullable = false)
    public long sizeBytes;

    @Column(nullable = false)
    public String inventory;

    public static NodeDisk of(String nodeId, DiskInventory disk) {
        NodeDisk row = new NodeDisk();
        row.nodeId = nodeId;
        row.diskId = disk.stableId();
        row.sizeBytes = disk.sizeBytes();
        try {
            row.inventory = EventCodec.mapper().writeValueAsString(disk);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        return row;
    }

    public DiskInventory toInventory() {
        try {
            return EventCodec.mapper().readValue(inventory, DiskInventory.class);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("stored inventory of disk " + diskId + " is unreadable", e);
        }
    }

    /** Composite key: node and disk stable id. */
    public record Key(String nodeId, String diskId) implements Serializable {
    }
}
