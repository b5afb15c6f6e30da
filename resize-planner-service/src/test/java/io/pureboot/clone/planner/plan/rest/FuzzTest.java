package io.pureboot.clone.planner.plan.rest;

import static io.pureboot.clone.planner.plan.rest.PlannerInputs.GIB;
import static io.pureboot.clone.planner.plan.rest.PlannerInputs.awaitInventory;
import static io.pureboot.clone.planner.plan.rest.PlannerInputs.awaitSession;
import static io.pureboot.clone.planner.plan.rest.PlannerInputs.define;
import static io.pureboot.clone.planner.plan.rest.PlannerInputs.linuxDisk;
import static io.pureboot.clone.planner.plan.rest.PlannerInputs.report;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.pureboot.clone.events.session.ResizeMode;
import io.pureboot.clone.events.session.TargetRef;
import io.pureboot.clone.testing.KafkaTestClient;
import io.pureboot.clone.testing.fuzz.OpenApiFuzzer;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import java.net.URL;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * Every operation of the planner's OpenAPI document with hostile input (docs/api-errors.md), against a session
 * with a planned target: no 5xx, the documented error body on every 4xx, hostile input never accepted, and the
 * plans, their versions and the inventories unchanged by each refusal.
 */
@QuarkusTest
class FuzzTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @TestHTTPResource("/")
    URL root;

    @Test
    @TestSecurity(user = "fuzz", roles = {"admin", "operator", "viewer"})
    void everyOperationRefusesHostileInputWithTheDocumentedErrorAndChangesNothing() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        UUID session = UUID.randomUUID();
        String source = "fuzz-source-" + run;
        String target = "fuzz-target-" + run;
        try (KafkaTestClient broker = KafkaTestClient.connect(ConfigProvider.getConfig()
                .getValue("kafka.bootstrap.servers", String.class))) {
            report(broker, source, linuxDisk("wwn-s-" + run, 100 * GIB));
            report(broker, target, linuxDisk("wwn-t-" + run, 200 * GIB));
            awaitInventory(source, target);
            define(broker, session, source, "wwn-s-" + run, ResizeMode.GROW_TARGET, new TargetRef(target, "wwn-t-" + run));
            awaitSession(session);
            await().atMost(PlannerInputs.WAIT).untilAsserted(() -> given().get("/api/v1/clone-sessions/{id}/plan",
                    session).then().statusCode(200));
        }
        String base = root.toString().replaceAll("/$", "");

        OpenApiFuzzer.Result result = OpenApiFuzzer.run(new OpenApiFuzzer.Config(base, path -> true,
                path -> Map.of(),
                (path, parameter) -> parameter.equals("nodeId") ? target : session.toString(),
                field -> sample(field, target, "wwn-t-" + run),
                () -> given().get("/api/v1/clone-sessions/{id}/plans", session).asString()
                        + given().get("/api/v1/clone-sessions/{id}/plan/versions", session).asString()
                        + given().get("/api/v1/inventories/{node}", target).asString()
                        + given().get("/api/v1/inventories/{node}", source).asString(), Set.of()));

        System.out.println("resize-planner-service fuzz: " + result.summary());
        assertThat(result.failures()).as(result.summary()).isEmpty();
        assertThat(result.operations()).isGreaterThanOrEqualTo(6);
    }

    /** Valid values where the schema alone cannot tell: the session's target and its disk. */
    private static JsonNode sample(String field, String target, String disk) {
        return switch (field) {
            case "target" -> NODES.textNode(target);
            case "disk" -> NODES.textNode(disk);
            case "version" -> NODES.numberNode(1);
            case "partition" -> NODES.numberNode(1);
            case "action" -> NODES.textNode("keep");
            case "new_size_bytes", "new_start_bytes" -> NODES.nullNode();
            case "grow_policy" -> NODES.textNode("proportional");
            case "grow_partition" -> NODES.nullNode();
            case "delete_partitions" -> NODES.arrayNode();
            default -> null;
        };
    }
}
