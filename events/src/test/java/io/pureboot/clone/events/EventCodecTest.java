package io.pureboot.clone.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pureboot.clone.events.node.DiskInventory;
import io.pureboot.clone.events.node.NodeInventoryReported;
import io.pureboot.clone.events.node.PartitionInventory;
import io.pureboot.clone.events.node.PartitionTableType;
import io.pureboot.clone.events.resize.PartitionAction;
import io.pureboot.clone.events.resize.PartitionPlan;
import io.pureboot.clone.events.resize.ResizePlan;
import io.pureboot.clone.events.resize.ResizePlanPublished;
import io.pureboot.clone.events.session.CloneMode;
import io.pureboot.clone.events.session.CloneSessionDefined;
import io.pureboot.clone.events.session.CloneSessionFailed;
import io.pureboot.clone.events.session.CloneSessionSourceRepaired;
import io.pureboot.clone.events.session.CloneSessionSwarmPeerDropped;
import io.pureboot.clone.events.session.ResizeMode;
import io.pureboot.clone.events.session.SourceRepair;
import io.pureboot.clone.events.session.TargetRef;
import io.pureboot.clone.events.storage.BackendType;
import io.pureboot.clone.events.storage.StagingStatus;
import io.pureboot.clone.events.storage.StagingStatusChanged;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventCodecTest {

    private static final String SOURCE = "/pureboot/test";
    private static final UUID SESSION = UUID.fromString("3f2b8c1e-7a4d-4e2b-9c1a-5d6e7f8a9b0c");

    @Test
    void inventoryEventSurvivesTheRoundTrip() {
        var root = new PartitionInventory(2, 1 << 20, 512L << 20, "0fc63daf-8483-4772-8e79-3d69d8477de4", "root",
                List.of(), "ext4", "rootfs", "7d0c5bd4-2f44-4a0e-9f0a-6f1b3d8c1e11", 100L << 20, 120L << 20,
                true, true, false);
        var disk = new DiskInventory("wwn-0x5000c500a1b2c3d4", "/dev/sda", "Z1X2", "0x5000c500a1b2c3d4", "ST1000",
                1L << 30, 512, 4096, PartitionTableType.GPT, List.of(root));
        var payload = new NodeInventoryReported("node-1", "52:54:00:12:34:56", "rack1-u7",
                OffsetDateTime.of(2026, 11, 26, 12, 0, 0, 0, ZoneOffset.UTC), List.of(disk));

        CloudEvent event = EventCodec.wrap(SOURCE, EventCatalog.NODE_INVENTORY_REPORTED, payload);
        CloudEvent parsed = EventCodec.fromJson(EventCodec.toJson(event));

        // JSON numbers come back as the narrowest node type, so compare the serialised forms.
        assertThat(EventCodec.toJson(parsed)).isEqualTo(EventCodec.toJson(event));
        assertThat(parsed.id()).isEqualTo(event.id());
        assertThat(EventCodec.payload(parsed, EventCatalog.NODE_INVENTORY_REPORTED)).isEqualTo(payload);
        assertThat(parsed.subject()).isEqualTo("node-1");
    }

    @Test
    void envelopeUsesCloudEventsAttributeNamesAndSnakeCaseData() {
        var payload = new CloneSessionDefined(SESSION, CloneMode.STAGED, "src", "disk-a",
                List.of(new TargetRef("t1", "disk-b")), ResizeMode.SHRINK_SOURCE, "backend-1");

        String json = EventCodec.toJson(EventCodec.wrap(SOURCE, EventCatalog.CLONE_SESSION_DEFINED, payload));

        assertThat(json)
                .contains("\"specversion\":\"1.0\"")
                .contains("\"datacontenttype\":\"application/json\"")
                .contains("\"type\":\"io.pureboot.clone-session.defined\"")
                .contains("\"subject\":\"" + SESSION + "\"")
                .contains("\"resize_mode\":\"shrink_source\"")
                .contains("\"storage_backend_id\":\"backend-1\"")
                .contains("\"mode\":\"staged\"");
    }

    @Test
    void theSwarmTravelsInTheDefinitionAndADroppedPeerNamesBothTargetsAndTheChunk() {
        var defined = new CloneSessionDefined(SESSION, CloneMode.DIRECT, "src", "d", List.of(), ResizeMode.NONE, null,
                false, true);
        assertThat(EventCodec.toJson(EventCodec.wrap(SOURCE, EventCatalog.CLONE_SESSION_DEFINED, defined)))
                .contains("\"swarm\":true");
        assertThat(new CloneSessionDefined(SESSION, CloneMode.DIRECT, "src", "d", List.of(), ResizeMode.NONE, null)
                .swarm()).isFalse();

        String json = EventCodec.toJson(EventCodec.wrap(SOURCE, EventCatalog.CLONE_SESSION_SWARM_PEER_DROPPED,
                new CloneSessionSwarmPeerDropped(SESSION, "node-t1", "node-t2", "bad chunk", 7)));
        assertThat(json)
                .contains("\"type\":\"io.pureboot.clone-session.swarm-peer-dropped\"")
                .contains("\"subject\":\"" + SESSION + "\"")
                .contains("\"target_node_id\":\"node-t1\"")
                .contains("\"peer_node_id\":\"node-t2\"")
                .contains("\"chunk\":7");
        assertThatThrownBy(() -> new CloneSessionSwarmPeerDropped(SESSION, "node-t1", "node-t2", "bad chunk", -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("chunk is negative: -1");
    }

    @Test
    void everyCatalogTypeRoundTrips() {
        var plan = new ResizePlan(1L << 30, 1L << 29, ResizeMode.SHRINK_SOURCE, PartitionTableType.GPT, 1 << 20,
                List.of(new PartitionPlan(1, 1 << 20, 1L << 29, 1 << 20, 1L << 28, 1L << 27, "ext4",
                        PartitionAction.SHRINK, null)), true, null);
        var published = new ResizePlanPublished(SESSION, "t1", "disk-b", 2, ResizePlanPublished.Origin.EDITED, plan);
        var staging = new StagingStatusChanged(SESSION, "b-1", BackendType.NFS, "pureboot-staging/" + SESSION,
                StagingStatus.PROVISIONING, StagingStatus.PROVISIONED, null, null);

        var repaired = new CloneSessionSourceRepaired(SESSION, List.of(new SourceRepair(2, "e2fsck -f -y /dev/sda2", 1,
                "Pass 5: Checking group summary information; Block bitmap differences: -(1025--1030) FIXED")));

        var dropped = new CloneSessionSwarmPeerDropped(SESSION, "node-t1", "node-t2",
                "it served chunk 7 with SHA-256 00ff, expected 11ee", 7);
        var droppedForFailures = new CloneSessionSwarmPeerDropped(SESSION, "node-t1", "node-t3",
                "3 requests in a row failed, the last: connection refused", null);

        for (var pair : List.<Object[]>of(
                new Object[] {EventCatalog.RESIZE_PLAN_PUBLISHED, published},
                new Object[] {EventCatalog.STAGING_STATUS_CHANGED, staging},
                new Object[] {EventCatalog.CLONE_SESSION_SOURCE_REPAIRED, repaired},
                new Object[] {EventCatalog.CLONE_SESSION_SWARM_PEER_DROPPED, dropped},
                new Object[] {EventCatalog.CLONE_SESSION_SWARM_PEER_DROPPED, droppedForFailures})) {
            @SuppressWarnings("unchecked")
            EventType<EventPayload> type = (EventType<EventPayload>) pair[0];
            EventPayload payload = (EventPayload) pair[1];
            CloudEvent parsed = EventCodec.fromJson(EventCodec.toJson(EventCodec.wrap(SOURCE, type, payload)));
            assertThat(EventCodec.payload(parsed, type)).isEqualTo(payload);
            assertThat(EventCatalog.byName(parsed.type())).contains(type);
        }
    }

    @Test
    void sessionIdsTravelAsUuidTextAndAnythingElseIsMalformed() {
        CloudEvent event = EventCodec.wrap(SOURCE, EventCatalog.CLONE_SESSION_FAILED,
                new CloneSessionFailed(SESSION, "disk gone"));
        assertThat(EventCodec.toJson(event)).contains("\"session_id\":\"" + SESSION + "\"");

        var data = event.data().deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) data).put("session_id", "session-1");
        CloudEvent foreign = new CloudEvent(event.specversion(), event.id(), event.source(), event.type(),
                "session-1", event.time(), event.datacontenttype(), data);
        assertThatThrownBy(() -> EventCodec.payload(foreign, EventCatalog.CLONE_SESSION_FAILED))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("has invalid data")
                .hasMessageContaining("session-1");
    }

    @Test
    void typeNamesAreUniqueAndTopicsKnown() {
        assertThat(EventCatalog.ALL).extracting(EventType::name).doesNotHaveDuplicates();
        assertThat(EventCatalog.ALL).extracting(EventType::topic).allMatch(Topics.ALL::contains);
    }

    @Test
    void malformedJsonIsRejectedWithTheReason() {
        assertThatThrownBy(() -> EventCodec.fromJson("{\"specversion\":\"0.3\",\"id\":\"" + java.util.UUID.randomUUID()
                + "\",\"source\":\"x\",\"type\":\"t\",\"subject\":\"s\",\"time\":\"2026-01-01T00:00:00Z\",\"data\":{}}"))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("unsupported CloudEvents specversion: 0.3");
        assertThatThrownBy(() -> EventCodec.fromJson("not json"))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageStartingWith("not a valid CloudEvent");
    }

    @Test
    void payloadOfTheWrongTypeIsRefused() {
        var payload = new CloneSessionDefined(SESSION, CloneMode.DIRECT, "src", "d", List.of(), ResizeMode.NONE, null);
        CloudEvent event = EventCodec.wrap(SOURCE, EventCatalog.CLONE_SESSION_DEFINED, payload);

        assertThatThrownBy(() -> EventCodec.payload(event, EventCatalog.CLONE_SESSION_FAILED))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("expected io.pureboot.clone-session.failed");
    }
}
