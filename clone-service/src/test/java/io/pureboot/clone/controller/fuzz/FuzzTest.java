package io.pureboot.clone.controller.fuzz;

import static io.pureboot.clone.controller.Operators.admin;
import static io.pureboot.clone.controller.Operators.randomMac;
import static io.pureboot.clone.controller.Operators.registerNode;
import static io.pureboot.clone.controller.Operators.tokenOf;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.pureboot.clone.controller.Operators;
import io.pureboot.clone.controller.Sessions;
import io.pureboot.clone.testing.fuzz.HostileInventories;
import io.pureboot.clone.testing.fuzz.OpenApiFuzzer;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import java.net.URL;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every operation of clone-service's OpenAPI document with hostile input (docs/api-errors.md): no 5xx, the
 * documented error body on every 4xx, hostile input never accepted, and sessions, nodes and keys unchanged by
 * each refusal. Operator endpoints run as an operator with every role; the node API with a source's token.
 */
@QuarkusTest
class FuzzTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String NODE_API = "/api/v1/node/";

    @TestHTTPResource("/")
    URL root;

    @Test
    @TestSecurity(user = "fuzz", roles = {"admin", "operator", "viewer"})
    void everyOperatorOperationRefusesHostileInputWithTheDocumentedErrorAndChangesNothing() {
        String backend = Sessions.registerBackend();
        String source = registerNode(randomMac(), "fuzz-source");
        String target = registerNode(randomMac(), "fuzz-target");
        Operators.reportDisk(source, "wwn-s", 1L << 30);
        String session = Sessions.createStaged(source, target, backend);
        String key = admin().body(Map.of("name", "fuzz-" + session.substring(0, 8), "role", "viewer"))
                .post("/api/v1/api-keys").then().statusCode(201).extract().path("name");

        OpenApiFuzzer.Result result = OpenApiFuzzer.run(new OpenApiFuzzer.Config(base(),
                path -> !path.startsWith(NODE_API), path -> Map.of(),
                (path, parameter) -> switch (parameter) {
                    case "name" -> key;
                    case "id" -> path.startsWith("/api/v1/nodes") ? source : session;
                    default -> throw new AssertionError("no value for path parameter " + parameter + " of " + path);
                },
                field -> sample(field, source, target, backend, session),
                () -> admin().get("/api/v1/clone-sessions").asString() + admin().get("/api/v1/nodes").asString()
                        + admin().get("/api/v1/api-keys").asString(), Set.of()));

        System.out.println("clone-service operator fuzz: " + result.summary());
        assertThat(result.failures()).as(result.summary()).isEmpty();
        assertThat(result.operations()).isGreaterThanOrEqualTo(15);
    }

    @Test
    void everyNodeApiOperationRefusesHostileInputWithTheDocumentedErrorAndChangesNothing() {
        Sessions.ArmedSource armed = Sessions.armedStagedSource("fuzz-node-source", "fuzz-node-target");
        String token = tokenOf(Sessions.bootScript(armed.sourceMac()));

        OpenApiFuzzer.Result result = OpenApiFuzzer.run(new OpenApiFuzzer.Config(base(),
                path -> path.startsWith(NODE_API), path -> Map.of("Authorization", "Bearer " + token),
                (path, parameter) -> {
                    throw new AssertionError("no value for path parameter " + parameter + " of " + path);
                },
                field -> sample(field, armed.source(), armed.target(), armed.backendId(), armed.sessionId()),
                () -> admin().get("/api/v1/clone-sessions/{id}", armed.sessionId()).asString()
                        + admin().get("/api/v1/nodes/{id}", armed.source()).asString(),
                // Each ends the source's part and voids its token: fuzzed with hostile bodies only. The staging
                // grant asks storage-service, which does not run here (503); it takes no input to fuzz. A ticket
                // and a certificate request are single-use secrets a node makes (BootHardeningTest and
                // DirectLifecycleTest send real ones): fuzzed with hostile bodies only.
                Set.of("POST /api/v1/node/failed", "POST /api/v1/node/complete", "POST /api/v1/node/source-complete",
                        "POST /api/v1/node/staging", "POST /api/v1/node/ticket",
                        "POST /api/v1/node/direct/certificate")));

        System.out.println("clone-service node API fuzz: " + result.summary());
        assertThat(result.failures()).as(result.summary()).isEmpty();
        assertThat(result.operations()).isGreaterThanOrEqualTo(8);
    }

    private String base() {
        return root.toString().replaceAll("/$", "");
    }

    /** Valid values where the schema alone cannot tell (ids that exist, MACs, hashes), so one field is at fault. */
    private static JsonNode sample(String field, String source, String target, String backend, String session) {
        return switch (field) {
            case "mac" -> NODES.textNode(randomMac());
            case "name" -> NODES.textNode("fuzz-sample");
            case "role" -> NODES.textNode("viewer");
            case "clone_mode" -> NODES.textNode("staged");
            case "source_node_id" -> NODES.textNode(source);
            case "node_id" -> NODES.textNode(target);
            case "source_disk_id" -> NODES.textNode("wwn-s");
            case "disk_id" -> NODES.textNode("wwn-t");
            case "staging_backend_id" -> NODES.textNode(backend);
            case "session" -> NODES.textNode(session);
            case "disks" -> HostileInventories.valid();
            case "taken_at" -> NODES.nullNode();
            case "phase" -> NODES.textNode("uploading");
            case "bytes_done" -> NODES.numberNode(1);
            case "bytes_total" -> NODES.numberNode(2);
            case "manifest_sha256" -> NODES.textNode("0".repeat(64));
            case "address" -> NODES.textNode("127.0.0.1");
            case "port" -> NODES.numberNode(9000);
            case "code" -> NODES.textNode("E_FUZZ");
            default -> null;
        };
    }
}
