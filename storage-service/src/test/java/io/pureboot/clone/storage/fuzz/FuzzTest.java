package io.pureboot.clone.storage.fuzz;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.pureboot.clone.storage.testing.StagingServers;
import io.pureboot.clone.storage.testing.TestBackends;
import io.pureboot.clone.testing.fuzz.OpenApiFuzzer;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import java.net.URL;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Every operation of storage-service's OpenAPI document with hostile input (docs/api-errors.md): no 5xx, the
 * documented error body on every 4xx, hostile input never accepted, and the backends unchanged by each refusal.
 */
@QuarkusTest
class FuzzTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @TestHTTPResource("/")
    URL root;

    @Test
    @TestSecurity(user = "fuzz", roles = {"admin", "operator", "viewer"})
    void everyOperationRefusesHostileInputWithTheDocumentedErrorAndChangesNothing() {
        String backend = TestBackends.register(TestBackends.nfs(TestBackends.uniqueName("fuzz")));
        String base = root.toString().replaceAll("/$", "");

        OpenApiFuzzer.Result result = OpenApiFuzzer.run(new OpenApiFuzzer.Config(base, path -> true,
                path -> path.startsWith("/internal/") ? Map.of("Authorization", "Bearer test-internal-token") : Map.of(),
                (path, parameter) -> parameter.equals("id") ? backend : UUID.randomUUID().toString(),
                FuzzTest::sample,
                () -> given().get("/api/v1/storage-backends").asString()
                        + given().get("/api/v1/storage-backends/" + backend + "/staging-areas").asString(), Set.of()));

        System.out.println("storage-service fuzz: " + result.summary());
        assertThat(result.failures()).as(result.summary()).isEmpty();
        assertThat(result.operations()).isGreaterThanOrEqualTo(9);
    }

    /** A valid NFS backend, so that the one hostile field is what is refused. */
    private static JsonNode sample(String field) {
        return switch (field) {
            case "name" -> NODES.textNode("fuzz-sample");
            case "role" -> NODES.textNode("source");
            case "backend_type" -> NODES.textNode("nfs");
            case "nfs_server" -> NODES.textNode(StagingServers.NFS_SERVER);
            case "nfs_export" -> NODES.textNode(StagingServers.NFS_EXPORT);
            case "nfs_options" -> NODES.textNode("vers=3,proto=tcp");
            case "iscsi_target", "iscsi_portal", "iscsi_username", "iscsi_password", "iscsi_management" ->
                    NODES.nullNode();
            default -> null;
        };
    }
}
