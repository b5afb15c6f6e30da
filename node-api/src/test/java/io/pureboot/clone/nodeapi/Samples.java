package io.pureboot.clone.nodeapi;

import io.pureboot.clone.events.node.DiskInventory;
import io.pureboot.clone.events.node.PartitionInventory;
import io.pureboot.clone.events.node.PartitionTableType;
import io.pureboot.clone.events.resize.PartitionAction;
import io.pureboot.clone.events.resize.PartitionPlan;
import io.pureboot.clone.events.resize.PlanViolation;
import io.pureboot.clone.events.resize.ResizePlan;
import io.pureboot.clone.events.session.ResizeMode;
import io.pureboot.clone.events.session.SourceRepair;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/** One fully populated instance of every node-API record (every field set, nested records included). */
final class Samples {

    static final UUID SESSION = UUID.fromString("6f1c2a9e-3b1d-4c55-9a3e-0d2b7c1e5f40");
    static final UUID TARGET = UUID.fromString("0b7e1f2a-9c3d-4e5f-8a6b-1c2d3e4f5a6b");

    private Samples() {
    }

    static List<Object> all() {
        return List.of(instructions(), Instructions.inventory(),
                new StagingGrant(StagingGrant.BackendType.NFS, SESSION.toString(), false,
                        new StagingGrant.Nfs("10.0.0.1", "/exports/pureboot", "vers=3,hard"), null),
                new StagingGrant(StagingGrant.BackendType.ISCSI, SESSION.toString(), true, null,
                        new StagingGrant.Iscsi("10.0.0.5:3260", "iqn.2024-01.io.pureboot:s", 1, "node", "secret")),
                new InventoryReport("52:54:00:12:34:56", "node-1", List.of(disk())),
                new ProgressReport(ProgressPhase.GROWING_SOURCE, 200, 1000, 50),
                new SourceComplete(1234, "ab".repeat(32), List.of(new SourceRepair(2, "e2fsck -f -y /dev/sda2", 1,
                        "Block bitmap differences: -(1234--1249); FIXED"))),
                new FailureReport("disk_error", "no disk matches wwn-x"),
                new DirectCertificateRequest("10.1.2.3",
                        "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n"),
                new DirectCertificate("-----BEGIN CERTIFICATE-----", "-----BEGIN CERTIFICATE-----",
                        OffsetDateTime.of(2026, 12, 1, 16, 0, 0, 0, ZoneOffset.UTC)),
                new DirectListening("10.1.2.3", 7443, List.of(new SourceRepair(1, "ntfsfix -d /dev/sda1", 0,
                        "Volume is clean now"))),
                new SwarmEndpoint("10.1.2.9", 7444),
                new DroppedPeer(TARGET, "it served chunk 7 with SHA-256 00ff, expected 11ee", 7),
                new DirectInfo(SESSION, NodeRole.TARGET, new DirectInfo.Endpoint("10.1.2.3", 7443), List.of(TARGET),
                        true, List.of(new DirectInfo.Peer(TARGET, "10.1.2.9", 7444))),
                new BootTicketExchange("pbt_" + "a".repeat(43)),
                new NodeTokenGrant("pbn_" + "b".repeat(43), OffsetDateTime.of(2026, 12, 1, 16, 0, 0, 0, ZoneOffset.UTC)));
    }

    static Instructions instructions() {
        ResizePlan plan = new ResizePlan(2L << 30, 4L << 30, ResizeMode.GROW_TARGET, PartitionTableType.GPT, 512,
                1 << 20, 1 << 20, (4L << 30) - (1 << 20),
                List.of(new PartitionPlan(1, "0FC63DAF-8483-4772-8E79-3D69D8477DE4", 1 << 20, 1L << 30, 1 << 20,
                        3L << 30, 1L << 29, null, 1L << 30, "ext4", PartitionAction.GROW, null)),
                true, null, List.of(new PlanViolation(1, "new_size_bytes", 1L << 20, "an example")));
        return new Instructions(SESSION, AgentMode.CLONE_TARGET_STAGED, NodeRole.TARGET, "wwn-0x5000c500a1b2c3d4",
                ResizeMode.GROW_TARGET, plan, 3, false, true);
    }

    static DiskInventory disk() {
        return new DiskInventory("wwn-0x5000c500a1b2c3d4", "/dev/sda", "S1", "0x5000c500a1b2c3d4", "disk model",
                4L << 30, 512, 4096, PartitionTableType.GPT,
                List.of(new PartitionInventory(1, 1 << 20, 1L << 30, "0FC63DAF-8483-4772-8E79-3D69D8477DE4", "root",
                        List.of("legacy_boot"), "ext4", "root", "4f1c2a9e-3b1d-4c55-9a3e-0d2b7c1e5f41", 1L << 28,
                        1L << 29, true, true, false)));
    }
}
