package io.pureboot.clone.planner.plan.rest;

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
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.pureboot.clone.events.EventCatalog;
import io.pureboot.clone.events.EventCodec;
import io.pureboot.clone.events.Topics;
import io.pureboot.clone.events.resize.ResizePlanPublished;
import io.pureboot.clone.events.session.ResizeMode;
import io.pureboot.clone.events.session.TargetRef;
import io.pureboot.clone.platform.security.RoleHierarchyAugmentor;
import io.pureboot.clone.platform.security.Roles;
import io.pureboot.clone.testing.KafkaTestClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The analysis that runs by itself, over the real broker: whichever of the session and the two
 * inventories arrives last brings the plan, published as clone-service reads it; a target given
 * another disk gets a plan for that disk; a disk reported again unchanged adds no version.
 */
@QuarkusTest
@TestSecurity(user = "test-operator", roles = Roles.OPERATOR, augmentors = RoleHierarchyAugmentor.class)
class AutoAnalysisTest {

    private static final long GB = 1000L * 1000 * 1000;

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
    void inventoriesFirstThenTheSessionBringsTheTargetsPlan() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        UUID session = UUID.randomUUID();
        String source = "source-" + run;
        String target = "target-" + run;
        try (KafkaTestClient.Reader plans = broker.readFromEnd(Topics.RESIZE_PLANS)) {
            report(broker, source, linuxDisk("wwn-source-" + run, 500 * GB));
            report(broker, target, blankDisk("wwn-t-" + run, 240 * GB));
            awaitInventory(source, target);
            given().get("/api/v1/clone-sessions/{id}/plans", session).then().statusCode(404);

            define(broker, session, source, "wwn-source-" + run, ResizeMode.SHRINK_SOURCE,
                    new TargetRef(target, "wwn-t-" + run));

            ResizePlanPublished published = only(plans, session);
            assertThat(published.sessionId()).isEqualTo(session);
            assertThat(published.targetNodeId()).isEqualTo(target);
            assertThat(published.targetDiskId()).isEqualTo("wwn-t-" + run);
            assertThat(published.version()).isEqualTo(1);
            assertThat(published.origin()).isEqualTo(ResizePlanPublished.Origin.COMPUTED);
            assertThat(published.plan().feasible()).isTrue();
            assertThat(published.plan().violations()).isEmpty();
            assertThat(published.plan().targetDiskBytes()).isEqualTo(240 * GB);
            given().queryParam("target", target).get("/api/v1/clone-sessions/{id}/plan", session)
                    .then().statusCode(200).body("version", equalTo(1)).body("origin", equalTo("computed"))
                    .body("feasible", equalTo(true));
        }
    }

    @Test
    void sessionFirstThenTheLastInventoryBringsAnInfeasiblePlanWithItsReasons() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        UUID session = UUID.randomUUID();
        String source = "source-" + run;
        String target = "target-" + run;
        try (KafkaTestClient.Reader plans = broker.readFromEnd(Topics.RESIZE_PLANS)) {
            define(broker, session, source, "wwn-source-" + run, ResizeMode.NONE,
                    new TargetRef(target, "wwn-t-" + run));
            awaitSession(session);
            report(broker, source, linuxDisk("wwn-source-" + run, 500 * GB));
            awaitInventory(source);
            given().get("/api/v1/clone-sessions/{id}/plans", session).then().statusCode(200)
                    .body("targets[0].inventory_reported", equalTo(false)).body("targets[0].plan", equalTo(null));

            // Resize mode none copies partitions as they are: a 240 GB disk cannot hold the 500 GB layout.
            report(broker, target, blankDisk("wwn-t-" + run, 240 * GB));

            ResizePlanPublished published = only(plans, session);
            assertThat(published.version()).isEqualTo(1);
            assertThat(published.targetDiskId()).isEqualTo("wwn-t-" + run);
            assertThat(published.plan().feasible()).isFalse();
            assertThat(published.plan().violations()).isNotEmpty();
            assertThat(published.plan().errorMessage()).isNotBlank();
            given().get("/api/v1/clone-sessions/{id}/plans", session).then().statusCode(200)
                    .body("targets[0].plan.version", equalTo(1)).body("targets[0].plan.feasible", equalTo(false));
        }
    }

    @Test
    void aTargetGivenAnotherDiskGetsAPlanForItAndAnUnchangedReportAddsNoVersion() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        UUID session = UUID.randomUUID();
        String source = "source-" + run;
        String target = "target-" + run;
        String first = "wwn-first-" + run;
        String second = "wwn-second-" + run;
        try (KafkaTestClient.Reader plans = broker.readFromEnd(Topics.RESIZE_PLANS)) {
            report(broker, source, linuxDisk("wwn-source-" + run, 500 * GB));
            report(broker, target, blankDisk(first, 240 * GB), blankDisk(second, 1000 * GB));
            awaitInventory(source, target);
            define(broker, session, source, "wwn-source-" + run, ResizeMode.SHRINK_SOURCE, new TargetRef(target, first));
            assertThat(only(plans, session).targetDiskId()).isEqualTo(first);

            define(broker, session, source, "wwn-source-" + run, ResizeMode.SHRINK_SOURCE, new TargetRef(target, second));
            List<ResizePlanPublished> published = published(plans, session, 2);
            ResizePlanPublished forSecond = published.get(1);
            assertThat(forSecond.targetDiskId()).isEqualTo(second);
            assertThat(forSecond.version()).isEqualTo(1);
            assertThat(forSecond.plan().targetDiskBytes()).isEqualTo(1000 * GB);
            given().queryParam("target", target).get("/api/v1/clone-sessions/{id}/plan", session)
                    .then().statusCode(200).body("target_disk_id", equalTo(second)).body("version", equalTo(1));
            given().get("/api/v1/clone-sessions/{id}/plans", session).then().statusCode(200)
                    .body("targets.size()", equalTo(1)).body("targets[0].disk_id", equalTo(second));

            // The same disks again: nothing a plan was made from changed, so no version is added.
            report(broker, target, blankDisk(first, 240 * GB), blankDisk(second, 1000 * GB));
            await().atMost(WAIT).untilAsserted(() -> given().get("/api/v1/inventories/{node}", target)
                    .then().body("reports_received", equalTo(2)));
            given().queryParam("target", target).get("/api/v1/clone-sessions/{id}/plan/versions", session)
                    .then().statusCode(200).body("version", equalTo(List.of(1)));

            // The disk comes back larger (its LUN was grown): a new version for it.
            report(broker, target, blankDisk(first, 240 * GB), blankDisk(second, 2000 * GB));
            ResizePlanPublished grown = published(plans, session, 3).get(2);
            assertThat(grown.targetDiskId()).isEqualTo(second);
            assertThat(grown.version()).isEqualTo(2);
            assertThat(grown.plan().targetDiskBytes()).isEqualTo(2000 * GB);
        }
    }

    /** The plan event of the session, which must be its only one so far. */
    private static ResizePlanPublished only(KafkaTestClient.Reader plans, UUID session) {
        List<ResizePlanPublished> published = published(plans, session, 1);
        assertThat(published).hasSize(1);
        return published.getFirst();
    }

    private static List<ResizePlanPublished> published(KafkaTestClient.Reader plans, UUID session, int count) {
        List<ResizePlanPublished> published = plans.await(plansOf(session), count, WAIT).stream()
                .map(event -> EventCodec.payload(event, EventCatalog.RESIZE_PLAN_PUBLISHED)).toList();
        assertThat(published).hasSize(count);
        return published;
    }
}
