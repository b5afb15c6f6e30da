package io.pureboot.clone.storage.backend;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every operation is described: a tag and a summary each; the internal ones name their token. */
@QuarkusTest
class OpenApiTest {

    @Test
    void everyOperationHasATagAndASummary() {
        JsonPath document = given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .extract().jsonPath();
        Map<String, Map<String, Map<String, Object>>> paths = document.getMap("paths");

        assertThat(paths).containsKeys("/api/v1/storage-backends", "/api/v1/storage-backends/{id}",
                "/api/v1/storage-backends/{id}/test", "/api/v1/storage-backends/{id}/space",
                "/api/v1/storage-backends/{id}/staging-areas", "/internal/v1/staging/{sessionId}",
                "/internal/v1/staging/{sessionId}/mount");
        assertThat(paths.get("/api/v1/storage-backends/{id}")).containsKeys("get", "put", "delete");
        assertThat(paths.get("/internal/v1/staging/{sessionId}/mount")).containsKeys("get", "post");
        paths.forEach((path, operations) -> operations.forEach((method, operation) -> {
            if (!List.of("get", "put", "post", "delete", "patch").contains(method)) {
                return;
            }
            assertThat(operation.get("summary")).as("%s %s summary", method, path).isNotNull();
            assertThat((List<?>) operation.get("tags")).as("%s %s tags", method, path).isNotEmpty();
            if (path.startsWith("/internal/")) {
                assertThat(operation.get("security").toString()).as("%s %s token", method, path).contains("service-token");
            }
        }));
    }
}
