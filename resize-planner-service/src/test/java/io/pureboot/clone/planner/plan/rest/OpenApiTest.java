package io.pureboot.clone.planner.plan.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every public operation is described: a tag and a summary each. */
@QuarkusTest
class OpenApiTest {

    @Test
    void everyOperationHasATagAndASummary() {
        JsonPath document = given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .extract().jsonPath();
        Map<String, Map<String, Map<String, Object>>> paths = document.getMap("paths");

        assertThat(paths).containsKeys("/api/v1/clone-sessions/{sessionId}/analyze",
                "/api/v1/clone-sessions/{sessionId}/plan", "/api/v1/clone-sessions/{sessionId}/plan/versions",
                "/api/v1/clone-sessions/{sessionId}/plans", "/api/v1/inventories/{nodeId}");
        assertThat(paths.get("/api/v1/clone-sessions/{sessionId}/plan")).containsKeys("get", "put");
        paths.forEach((path, operations) -> operations.forEach((method, operation) -> {
            if (!List.of("get", "put", "post", "delete", "patch").contains(method)) {
                return;
            }
            assertThat(operation.get("summary")).as("%s %s summary", method, path).isNotNull();
            assertThat((List<?>) operation.get("tags")).as("%s %s tags", method, path).isNotEmpty();
        }));
    }
}
