package io.pureboot.clone.planner.plan.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import io.pureboot.clone.testing.KafkaTestClient;
import io.pureboot.clone.events.CloudEvent;
import io.pureboot.clone.events.EventCatalog;
import io.pureboot.clone.events.node.DiskInventory;
import io.pureboot.clone.events.node.NodeInventoryReported;
import io.pureboot.clone.events.node.PartitionInventory;
import io.pureboot.clone.events.node.PartitionTableType;
import io.pureboot.clone.events.session.CloneMode;
import io.pureboot.clone.events.session.CloneSessionDefined;
import io.pureboot.clone.events.session.ResizeMode;
import io.pureboot.clone.events.session.TargetRef;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

/** What clone-service sends the planner (inventories, session definitions), sent over the real broker. */
final class PlannerInputs {

    static final String CLONE_SERVICE = "/pureboot/clone-service";
    static final long MIB = 1L << 20;
    static final long GIB = 1L << 30;
    static final Duration WAIT = Duration.ofSeconds(60);
    private static final String ESP = "c12a7328-f81f-11d2-ba4b-00a0c93ec93b";
    private static final String LINUX = "0fc63daf-8483-4772-8e79-3d69d8477de4";
    private static final String SWAP = "0657fd6d-a4ab-43c4-84e5-0933c84b4f4f";

    private PlannerInputs() {
    }

    static Predicate<CloudEvent> plansOf(UUID session) {
        return event -> event.type().equals(EventCatalog.RESIZE_PLAN_PUBLISHED.name())
                && session.toString().equals(event.subject());
    }

    static void report(KafkaTestClient broker, String node, DiskInventory... disks) {
        broker.send(CLONE_SERVICE, EventCatalog.NODE_INVENTORY_REPORTED, new NodeInventoryReported(node,
                "52:54:00:00:00:01", node, OffsetDateTime.now(ZoneOffset.UTC), List.of(disks)));
    }

    static void define(KafkaTestClient broker, UUID session, String source, String sourceDisk, ResizeMode mode,
            TargetRef... targets) {
        broker.send(CLONE_SERVICE, EventCatalog.CLONE_SESSION_DEFINED, new CloneSessionDefined(session,
                CloneMode.STAGED, source, sourceDisk, List.of(targets), mode, "backend-1"));
    }

    static void awaitInventory(String... nodes) {
        for (String node : nodes) {
            await().atMost(WAIT).untilAsserted(() -> given().get("/api/v1/inventories/{node}", node)
                    .then().statusCode(200));
        }
    }

    static void awaitSession(UUID session) {
        await().atMost(WAIT).untilAsserted(() -> given().get("/api/v1/clone-sessions/{id}/plans", session)
                .then().statusCode(200));
    }

    /** ESP, ext4 root with 20 GiB minimum, 8 GiB swap at the end: the Linux GPT golden layout. */
    static DiskInventory linuxDisk(String id, long size) {
        return linuxDisk(id, size, 20 * GIB);
    }

    static DiskInventory linuxDisk(String id, long size, long rootMinimum) {
        long sectors = size / 512;
        long usableEnd = (sectors - 33) * 512;
        long swapStart = usableEnd / MIB * MIB - 8 * GIB;
        return new DiskInventory(id, "/dev/sda", "S-" + id, id, "DISK", sectors * 512, 512, 4096,
                PartitionTableType.GPT, List.of(
                        new PartitionInventory(1, MIB, 512 * MIB, ESP, "EFI", List.of(), "vfat", null, null, null,
                                null, false, false, false),
                        new PartitionInventory(2, 513 * MIB, swapStart - 513 * MIB, LINUX, "root", List.of(), "ext4",
                                "root", null, rootMinimum, rootMinimum, true, true, false),
                        new PartitionInventory(3, swapStart, 8 * GIB, SWAP, "swap", List.of(), "swap", null, null,
                                null, null, false, false, false)));
    }

    static DiskInventory blankDisk(String id, long size) {
        return new DiskInventory(id, "/dev/sdb", "S-" + id, id, "DISK", size / 512 * 512, 512, 4096,
                PartitionTableType.GPT, List.of());
    }
}
