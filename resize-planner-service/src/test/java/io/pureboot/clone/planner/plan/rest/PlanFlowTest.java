package io.pureboot.clone.planner.plan.rest;

import static io.pureboot.clone.planner.plan.rest.PlannerInputs.CLONE_SERVICE;
import static io.pureboot.clone.planner.plan.rest.PlannerInputs.GIB;
import static io.pureboot.clone.planner.plan.rest.PlannerInputs.MIB;
import static io.pureboot.clone.planner.plan.rest.PlannerInputs.WAIT;
import static io.pureboot.clone.planner.plan.rest.PlannerInputs.awaitInventory;
import static io.pureboot.clone.planner.plan.rest.PlannerInputs.awaitSession;
import static io.pureboot.clone.planner.plan.rest.PlannerInputs.blankDisk;
import static io.pureboot.clone.planner.plan.rest.PlannerInputs.define;
import static io.pureboot.clone.planner.plan.rest.PlannerInputs.linuxDisk;
import static io.pureboot.clone.planner.plan.rest.PlannerInputs.plansOf;
import static io.pureboot.clone.planner.plan.rest.PlannerInputs.report;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.lessThan;

import io.pureboot.clone.events.EventCatalog;
import io.pureboot.clone.events.EventCodec;
import io.pureboot.clone.events.Topics;
import io.pureboot.clone.events.resize.PartitionAction;
import io.pureboot.clone.events.resize.ResizePlanPublished;
import io.pureboot.clone.events.session.CloneSessionCancelled;
import io.pureboot.clone.events.session.CloneSessionSourceCompleted;
import io.pureboot.clone.events.session.ResizeMode;
import io.pureboot.clone.events.session.TargetRef;
import io.pureboot.clone.planner.plan.Bytes;
import io.pureboot.clone.platform.security.RoleHierarchyAugmentor;
import io.pureboot.clone.platform.security.Roles;
import io.pureboot.clone.testing.KafkaTestClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The planner over the real broker and database: inventories and a session come in as clone-service
 * publishes them, plans are analysed and edited over HTTP, and the plan events go out on Kafka.
 * Ids are random per run because the topics outlive it.
 */
@QuarkusTest
@TestSecurity(user = "test-operator", roles = Roles.OPERATOR, augmentors = RoleHierarchyAugmentor.class)
class PlanFlowTest {

    private static KafkaTestClient broker;

    @BeforeAll
    static void connect() {
        broker = KafkaTestClient.connect(ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
    }

    @AfterAll
    static void disconnect() {
        broker.close();
    }

    @Test
    void inventoriesInAnalyzeEditValidateAndPlanEventsOut() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        UUID session = UUID.randomUUID();
        String source = "source-" + run;
        String small = "small-" + run;
        String large = "large-" + run;
        try (KafkaTestClient.Reader plans = broker.readFromEnd(Topics.RESIZE_PLANS)) {
            report(broker, source, linuxDisk("wwn-source-" + run, 500L * 1000 * 1000 * 1000));
            report(broker, small, blankDisk("wwn-small-" + run, 240L * 1000 * 1000 * 1000));
            report(broker, large, blankDisk("wwn-large-" + run, 1000L * 1000 * 1000 * 1000));
            define(broker, session, source, "wwn-source-" + run, ResizeMode.SHRINK_SOURCE,
                    new TargetRef(small, "wwn-small-" + run), new TargetRef(large, "wwn-large-" + run));
            awaitInventory(source, small, large);
            awaitSession(session);

            JsonPath analysis = given().contentType(ContentType.JSON).body("{}")
                    .post("/api/v1/clone-sessions/{id}/analyze", session)
                    .then().statusCode(200)
                    .body("plans", hasSize(2))
                    .body("pending_targets", hasSize(0))
                    .body("capture.find { it.partition == 2 }.capture_size_bytes", equalTo(23622320128L))
                    .extract().jsonPath();
            assertThat(analysis.getList("plans.version", Integer.class)).containsOnly(1);
            assertThat(analysis.getList("plans.feasible", Boolean.class)).containsOnly(true);
            assertThat(analysis.getString("plans.find { it.target_node_id == '" + small + "' }.partitions[1].action"))
                    .isEqualTo("shrink");
            assertThat(analysis.getString("plans.find { it.target_node_id == '" + large + "' }.partitions[1].action"))
                    .isEqualTo("grow");

            given().get("/api/v1/clone-sessions/{id}/plan", session)
                    .then().statusCode(400).body("fields[0].field", equalTo("target"))
                    .body("message", containsString("choose one with ?target="));

            JsonPath current = given().queryParam("target", small).get("/api/v1/clone-sessions/{id}/plan", session)
                    .then().statusCode(200).body("version", equalTo(1)).body("origin", equalTo("computed"))
                    .extract().jsonPath();
            long minimum = current.getLong("partitions[1].minimum_size_bytes");

            // The operator gives root 10 GiB less and lets swap follow; the body is the GET answer, edited.
            Map<String, Object> edit = current.getMap("");
            List<Map<String, Object>> partitions = new ArrayList<>(current.getList("partitions"));
            Map<String, Object> root = new HashMap<>(partitions.get(1));
            root.put("new_size_bytes", current.getLong("partitions[1].new_size_bytes") - 10 * GIB);
            root.put("action", "shrink");
            partitions.set(1, root);
            Map<String, Object> swap = new HashMap<>(partitions.get(2));
            swap.remove("new_start_bytes");
            partitions.set(2, swap);
            edit = new HashMap<>(edit);
            edit.put("partitions", partitions);
            given().contentType(ContentType.JSON).body(edit).queryParam("target", small)
                    .put("/api/v1/clone-sessions/{id}/plan", session)
                    .then().statusCode(200)
                    .body("version", equalTo(2)).body("origin", equalTo("edited")).body("feasible", equalTo(true))
                    .body("partitions[2].new_start_bytes", equalTo(((Number) root.get("current_start_bytes")).longValue()
                            + ((Number) root.get("new_size_bytes")).longValue()));

            // Below the minimum and claiming to be feasible: refused, with the partition and the shortfall.
            root.put("new_size_bytes", minimum - MIB);
            edit.put("version", 2);
            edit.put("feasible", true);
            given().contentType(ContentType.JSON).body(edit).queryParam("target", small)
                    .put("/api/v1/clone-sessions/{id}/plan", session)
                    .then().statusCode(422)
                    .body("fields.field", hasItem("partitions[1].new_size_bytes"))
                    .body("message", containsString("partition 2 (ext4): new size"))
                    .body("message", containsString("is below its minimum"))
                    .body("message", containsString("by 1.0 MiB (1048576 bytes)"));

            // An edit made on version 1 after version 2 exists is refused.
            root.put("new_size_bytes", minimum);
            edit.put("version", 1);
            given().contentType(ContentType.JSON).body(edit).queryParam("target", small)
                    .put("/api/v1/clone-sessions/{id}/plan", session)
                    .then().statusCode(409).body("message", containsString("is at version 2"));

            given().queryParam("target", small).get("/api/v1/clone-sessions/{id}/plan/versions", session)
                    .then().statusCode(200).body("version", equalTo(List.of(1, 2)))
                    .body("origin", equalTo(List.of("computed", "edited")));
            given().get("/api/v1/clone-sessions/{id}/plans", session)
                    .then().statusCode(200).body("targets", hasSize(2))
                    .body("targets.find { it.node_id == '" + small + "' }.plan.version", equalTo(2));

            List<ResizePlanPublished> events = plans.await(plansOf(session), 3, WAIT).stream()
                    .map(event -> EventCodec.payload(event, EventCatalog.RESIZE_PLAN_PUBLISHED)).toList();
            assertThat(events).extracting(ResizePlanPublished::targetNodeId, ResizePlanPublished::version,
                    ResizePlanPublished::origin).containsExactlyInAnyOrder(
                            tuple(small, 1, ResizePlanPublished.Origin.COMPUTED),
                            tuple(large, 1, ResizePlanPublished.Origin.COMPUTED),
                            tuple(small, 2, ResizePlanPublished.Origin.EDITED));
            ResizePlanPublished edited = events.stream().filter(e -> e.version() == 2).findFirst().orElseThrow();
            assertThat(edited.plan().feasible()).isTrue();
            assertThat(edited.plan().partitions().get(1).action()).isEqualTo(PartitionAction.SHRINK);
            assertThat(edited.targetDiskId()).isEqualTo("wwn-small-" + run);
        }
    }

    @Test
    void analysisNamesTheInventoriesItLacks() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        UUID session = UUID.randomUUID();
        String source = "source-" + run;
        String target = "target-" + run;
        define(broker, session, source, "wwn-source-" + run, ResizeMode.GROW_TARGET, new TargetRef(target, "wwn-t-" + run));
        awaitSession(session);

        given().post("/api/v1/clone-sessions/{id}/analyze", session)
                .then().statusCode(409)
                .body("fields[0].field", equalTo("source"))
                .body("message", containsString("node " + source + " (the source) has not reported its disks yet"));

        report(broker, source, linuxDisk("wwn-other-" + run, 500L * 1000 * 1000 * 1000));
        awaitInventory(source);
        given().post("/api/v1/clone-sessions/{id}/analyze", session)
                .then().statusCode(409)
                .body("message", containsString("reported no disk wwn-source-" + run))
                .body("message", containsString("it has wwn-other-" + run));

        report(broker, source, linuxDisk("wwn-source-" + run, 500L * 1000 * 1000 * 1000));
        await().atMost(WAIT).untilAsserted(() -> given().get("/api/v1/inventories/{node}", source)
                .then().body("disks[0].stable_id", equalTo("wwn-source-" + run)));
        given().post("/api/v1/clone-sessions/{id}/analyze", session)
                .then().statusCode(200)
                .body("plans", hasSize(0))
                .body("pending_targets[0].node_id", equalTo(target))
                .body("pending_targets[0].reason", containsString("has not reported its disks yet"));
        given().queryParam("target", target).post("/api/v1/clone-sessions/{id}/analyze", session)
                .then().statusCode(409).body("fields[0].field", equalTo("target"));
        given().get("/api/v1/clone-sessions/{id}/plans", session)
                .then().statusCode(200).body("targets[0].inventory_reported", equalTo(false))
                .body("targets[0].plan", equalTo(null));
    }

    @Test
    void badRequestsGetTheirReasonAndNeverA500() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        UUID session = UUID.randomUUID();
        String source = "source-" + run;
        String target = "target-" + run;
        report(broker, source, linuxDisk("wwn-source-" + run, 500L * 1000 * 1000 * 1000));
        define(broker, session, source, "wwn-source-" + run, ResizeMode.SHRINK_SOURCE,
                new TargetRef(target, "wwn-t-" + run));
        awaitInventory(source);
        awaitSession(session);

        // Until the target reports its disk it has no plan, and nothing can be edited.
        given().post("/api/v1/clone-sessions/{id}/analyze", UUID.randomUUID()).then().statusCode(404);
        given().get("/api/v1/clone-sessions/{id}/plan", session).then().statusCode(404)
                .body("message", containsString("it has no plan yet"))
                .body("message", containsString("as soon as the source's and the target's disks are reported"));
        given().contentType(ContentType.JSON).body("{\"partitions\":[{\"partition\":1}]}")
                .put("/api/v1/clone-sessions/{id}/plan", session)
                .then().statusCode(409).body("message", containsString("has no plan yet"));
        report(broker, target, blankDisk("wwn-t-" + run, 500L * 1000 * 1000 * 1000));
        awaitInventory(target);
        given().queryParam("target", "nobody").get("/api/v1/clone-sessions/{id}/plan", session).then().statusCode(404);
        given().contentType(ContentType.JSON).body("{\"grow_policy\":\"sideways\"}")
                .post("/api/v1/clone-sessions/{id}/analyze", session)
                .then().statusCode(400).body("fields[0].field", equalTo("grow_policy"));
        given().contentType(ContentType.JSON).body("{\"grow_partition\":1}")
                .post("/api/v1/clone-sessions/{id}/analyze", session)
                .then().statusCode(422).body("fields[0].field", equalTo("grow_partition"))
                .body("message", containsString("partition 1 (vfat) cannot grow"));
        given().contentType(ContentType.JSON).body("{\"delete_partitions\":[9]}")
                .post("/api/v1/clone-sessions/{id}/analyze", session)
                .then().statusCode(422).body("message", containsString("partition 9 does not exist"));

        given().contentType(ContentType.JSON).body("{\"grow_partition\":2}")
                .post("/api/v1/clone-sessions/{id}/analyze", session)
                .then().statusCode(200).body("plans[0].grow_policy", equalTo("one_partition"));
        given().contentType(ContentType.JSON).body("{not json").put("/api/v1/clone-sessions/{id}/plan", session)
                .then().statusCode(400);
        given().contentType(ContentType.JSON).body("{\"partitions\":[]}").put("/api/v1/clone-sessions/{id}/plan", session)
                .then().statusCode(400).body("fields[0].field", equalTo("partitions"));
        given().contentType(ContentType.JSON)
                .body("{\"partitions\":[{\"partition\":1},{\"partition\":2,\"new_size_bytes\":9223372036854775807},"
                        + "{\"partition\":7}]}")
                .put("/api/v1/clone-sessions/{id}/plan", session)
                .then().statusCode(422)
                .body("fields.field", hasItem("partitions[1].new_size_bytes"))
                .body("fields.field", hasItem("partitions[2].partition"))
                .body("fields.field", hasItem("partitions"));
        given().queryParam("version", 0).get("/api/v1/clone-sessions/{id}/plan", session).then().statusCode(400);
        given().queryParam("version", "latest").get("/api/v1/clone-sessions/{id}/plan", session)
                .then().statusCode(lessThan(500));
        given().contentType(ContentType.JSON).post("/api/v1/clone-sessions/{id}/analyze", session)
                .then().statusCode(200).body("plans[0].grow_policy", equalTo("proportional"));

        broker.send(CLONE_SERVICE, EventCatalog.CLONE_SESSION_CANCELLED, new CloneSessionCancelled(session, "test"));
        await().atMost(WAIT).untilAsserted(() -> given().get("/api/v1/clone-sessions/{id}/plans", session)
                .then().body("status", equalTo("cancelled")));
        given().post("/api/v1/clone-sessions/{id}/analyze", session)
                .then().statusCode(409).body("message", containsString("is cancelled"));
    }

    @Test
    void theCaptureLayoutFollowsTheSourceUntilItIsCapturedThenStays() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        UUID session = UUID.randomUUID();
        String source = "source-" + run;
        String target = "target-" + run;
        String sourceDisk = "wwn-source-" + run;
        report(broker, source, linuxDisk(sourceDisk, 500L * 1000 * 1000 * 1000, 20 * GIB));
        report(broker, target, blankDisk("wwn-t-" + run, 240L * 1000 * 1000 * 1000));
        define(broker, session, source, sourceDisk, ResizeMode.SHRINK_SOURCE, new TargetRef(target, "wwn-t-" + run));
        awaitInventory(source, target);
        awaitSession(session);
        String rootCapture = "capture.find { it.partition == 2 }.capture_size_bytes";

        given().post("/api/v1/clone-sessions/{id}/analyze", session).then().statusCode(200)
                .body(rootCapture, equalTo(23622320128L)).body("capture_frozen", equalTo(false));

        // Before capture, a new source inventory moves the capture layout.
        report(broker, source, linuxDisk(sourceDisk, 500L * 1000 * 1000 * 1000, 30 * GIB));
        await().atMost(WAIT).untilAsserted(() -> given().get("/api/v1/inventories/{node}", source).then()
                .body("disks[0].partitions[1].minimum_size_bytes", equalTo(30 * GIB)));
        given().post("/api/v1/clone-sessions/{id}/analyze", session).then().statusCode(200)
                .body(rootCapture, equalTo(Bytes.alignUp(33 * GIB, MIB)));

        broker.send(CLONE_SERVICE, EventCatalog.CLONE_SESSION_SOURCE_COMPLETED,
                new CloneSessionSourceCompleted(session, 40 * GIB, "ab".repeat(32)));
        await().atMost(WAIT).untilAsserted(() -> given().get("/api/v1/clone-sessions/{id}/plans", session)
                .then().body("status", equalTo("source_captured")));

        // After capture the image exists: the layout every target starts from no longer moves.
        report(broker, source, linuxDisk(sourceDisk, 500L * 1000 * 1000 * 1000, 60 * GIB));
        await().atMost(WAIT).untilAsserted(() -> given().get("/api/v1/inventories/{node}", source).then()
                .body("disks[0].partitions[1].minimum_size_bytes", equalTo(60 * GIB)));
        given().post("/api/v1/clone-sessions/{id}/analyze", session).then().statusCode(200)
                .body("capture_frozen", equalTo(true))
                .body(rootCapture, equalTo(Bytes.alignUp(33 * GIB, MIB)))
                // Versions 1 and 2 were computed by themselves when the inventories came; the operator's
                // analyses computed nothing new, and after capture the source's new inventory changes nothing.
                .body("plans[0].version", equalTo(2))
                .body("plans[0].partitions[1].minimum_size_bytes", equalTo(Bytes.alignUp(33 * GIB, MIB)));
    }
}
