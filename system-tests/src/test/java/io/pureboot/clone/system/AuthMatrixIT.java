package io.pureboot.clone.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The auth matrix: every operation of the three services' OpenAPI documents, read from the running services, called
 * with every kind of credential. An operation must document its security requirement (scheme bearer with the least
 * role it needs, or the internal service token) unless it is on the public allow-list below, so a new endpoint cannot
 * be left open by mistake. Expected: 401 without a valid credential; 403 for a role below the operation's; neither
 * for that role or above; a node token never opens an operator operation, an operator credential never the node API.
 */
class AuthMatrixIT {

    @RegisterExtension
    static final CloneStack stack = CloneStack.endToEnd("auth-matrix");

    /** What anyone may call: boot scripts (iPXE has no credential), the published keys, the token exchange. */
    private static final Set<String> PUBLIC = Set.of(
            "clone-service GET /api/v1/boot/chain.ipxe",
            "clone-service GET /api/v1/boot/ipxe",
            "clone-service GET /api/v1/auth/jwks",
            "clone-service POST /api/v1/auth/token",
            // Authenticated by the boot ticket it carries in its body, single-use (docs/tls-and-boot.md).
            "clone-service POST /api/v1/node/ticket");
    private static final List<String> ROLES = List.of("viewer", "operator", "admin");
    private static final Set<String> METHODS = Set.of("get", "post", "put", "delete", "patch");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A kind of credential, the Authorization header it sends and the operator role it holds (null: none). */
    private record Case(String name, String authorization, String role, boolean node) {
    }

    private record Operation(String service, URI base, String method, String path, String role, boolean internal) {

        String key() {
            return service + " " + method.toUpperCase() + " " + path;
        }
    }

    @Test
    void everyOperationOfEveryServiceAnswersEveryCredentialAsItsRoleSays() throws Exception {
        List<Case> cases = cases();
        List<Operation> operations = new ArrayList<>();
        operations.addAll(operations("clone-service", URI.create(stack.cloneUri())));
        operations.addAll(operations("storage-service", URI.create(stack.storageUri())));
        operations.addAll(operations("resize-planner-service", URI.create(stack.plannerUri())));

        List<String> failures = new ArrayList<>();
        Map<String, Integer> statusClasses = new TreeMap<>();
        int checked = 0;
        int publicOperations = 0;
        for (Operation operation : operations) {
            if (operation.role() == null) {
                publicOperations++;
                continue;
            }
            for (Case credential : cases) {
                int status = call(operation, credential);
                checked++;
                statusClasses.merge(credential.name() + " " + (status / 100) + "xx", 1, Integer::sum);
                String problem = judge(operation, credential, status);
                if (problem != null) {
                    failures.add(operation.key() + " with " + credential.name() + ": " + status + ", " + problem);
                }
            }
        }
        System.out.printf("auth matrix: %d operations (%d public, not in the matrix) x %d credentials = %d requests%n",
                operations.size(), publicOperations, cases.size(), checked);
        statusClasses.forEach((kind, count) -> System.out.printf("  %-26s %d%n", kind, count));
        assertThat(failures).as("auth matrix (%d requests)", checked).isEmpty();
        assertThat(checked).isGreaterThan(200);
    }

    /** Null when the answer is what the operation's role and the credential call for. */
    private static String judge(Operation operation, Case credential, int status) {
        if (operation.internal()) {
            return status == 401 ? null : "expected 401: internal endpoints take only the service token";
        }
        boolean valid = credential.role() != null || credential.node();
        if (!valid) {
            return status == 401 ? null : "expected 401";
        }
        if ("node".equals(operation.role())) {
            if (credential.node()) {
                // The token's own role in its session may still refuse (403): only 401 would mean "not a node".
                return status == 401 ? "a node token was not accepted on the node API" : null;
            }
            return status == 403 ? null : "expected 403: operators never open the node API";
        }
        if (credential.node()) {
            return status == 401 || status == 403 ? null : "a node token opened an operator operation";
        }
        boolean allowed = ROLES.indexOf(credential.role()) >= ROLES.indexOf(operation.role());
        if (allowed) {
            return status == 401 || status == 403 ? "expected the " + credential.role() + " to pass" : null;
        }
        return status == 403 ? null : "expected 403 for a " + credential.role() + " on a " + operation.role() + " operation";
    }

    private List<Case> cases() throws Exception {
        String viewerKey = newKey("viewer");
        String operatorKey = newKey("operator");
        long now = System.currentTimeMillis() / 1000;
        String kid = stack.admin().get("/api/v1/auth/jwks").then().statusCode(200).extract().path("keys[0].kid");
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("none", null, null, false));
        cases.add(new Case("malformed", "Bearer not-a-token", null, false));
        cases.add(new Case("unknown-key", "Bearer pbk_" + UUID.randomUUID(), null, false));
        // The test cannot get the issuer's private key: a token that expired an hour ago, signed with another key
        // under the issuer's key id; and a valid-looking one (not expired) signed the same way.
        cases.add(new Case("expired-jwt", "Bearer " + forge(kid, now - 3600), null, false));
        cases.add(new Case("forged-jwt", "Bearer " + forge(kid, now + 600), null, false));
        cases.add(new Case("node-token", "Bearer " + nodeToken(), null, true));
        cases.add(new Case("viewer-jwt", "Bearer " + jwt(viewerKey), "viewer", false));
        cases.add(new Case("operator-jwt", "Bearer " + jwt(operatorKey), "operator", false));
        cases.add(new Case("admin-jwt", "Bearer " + jwt(CloneStack.ADMIN_KEY), "admin", false));
        cases.add(new Case("viewer-api-key", "Bearer " + viewerKey, "viewer", false));
        cases.add(new Case("admin-api-key", "Bearer " + CloneStack.ADMIN_KEY, "admin", false));
        return cases;
    }

    private String newKey(String role) {
        return stack.admin().body(Map.of("name", "matrix-" + role + "-" + UUID.randomUUID(), "role", role))
                .post("/api/v1/api-keys").then().statusCode(201).extract().path("key");
    }

    private String jwt(String apiKey) {
        return stack.admin().auth().oauth2(apiKey).post("/api/v1/auth/token").then().statusCode(200)
                .extract().path("access_token");
    }

    /** An inventory node token, from the boot script of a node asked for its inventory. */
    private String nodeToken() {
        String mac = CloneStack.randomMac();
        String id = stack.admin().body(Map.of("mac", mac, "name", "matrix-" + mac.replace(":", ""))).post("/api/v1/nodes")
                .then().statusCode(201).extract().path("id");
        stack.admin().post("/api/v1/nodes/{id}/request-inventory", id).then().statusCode(200);
        return stack.tokenOf(stack.bootScript(id));
    }

    /** The operations of one service's document and the role each requires (null: public). */
    private List<Operation> operations(String service, URI base) throws Exception {
        HttpResponse<String> document = http.send(HttpRequest.newBuilder(base.resolve("/q/openapi?format=json"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(document.statusCode()).isEqualTo(200);
        JsonPath json = new JsonPath(document.body());
        Map<String, Map<String, Object>> paths = json.getMap("paths");
        List<Operation> operations = new ArrayList<>();
        paths.forEach((path, item) -> item.forEach((method, raw) -> {
            if (!METHODS.contains(method)) {
                return;
            }
            @SuppressWarnings("unchecked")
            List<Map<String, List<String>>> security = (List<Map<String, List<String>>>) ((Map<String, Object>) raw)
                    .get("security");
            Operation operation = operation(service, base, method, path, security);
            if (operation.role() == null) {
                assertThat(PUBLIC).as("%s documents no security requirement and is not on the public allow-list",
                        operation.key()).contains(operation.key());
            }
            operations.add(operation);
        }));
        return operations;
    }

    private static Operation operation(String service, URI base, String method, String path,
            List<Map<String, List<String>>> security) {
        if (security == null || security.isEmpty()) {
            return new Operation(service, base, method, path, null, false);
        }
        Map<String, List<String>> requirement = security.getFirst();
        if (requirement.containsKey("service-token")) {
            return new Operation(service, base, method, path, "service", true);
        }
        List<String> roles = requirement.get("bearer");
        assertThat(roles).as("%s %s %s: roles of the bearer requirement", service, method, path).isNotEmpty();
        String least = roles.contains("node") ? "node"
                : roles.stream().min((left, right) -> ROLES.indexOf(left) - ROLES.indexOf(right)).orElseThrow();
        return new Operation(service, base, method, path, least, false);
    }

    /** Calls the operation with made-up path parameters and an empty JSON body; answers the status. */
    private int call(Operation operation, Case credential) throws IOException, InterruptedException {
        String path = operation.path().replaceAll("\\{[^}]+}", UUID.randomUUID().toString());
        HttpRequest.BodyPublisher body = "get".equals(operation.method()) || "delete".equals(operation.method())
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString("{}");
        HttpRequest.Builder request = HttpRequest.newBuilder(operation.base().resolve(path))
                .timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/json")
                .method(operation.method().toUpperCase(), body);
        if (credential.authorization() != null) {
            request.header("Authorization", credential.authorization());
        }
        // Streams (live progress) answer their headers and then go on: read the status, never the whole body.
        HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream answer = response.body()) {
            int status = response.statusCode();
            if (status == 401 || status == 403) {
                // A refusal is small and ends: clients read the documented error body, like every other refusal's.
                String refusal = new String(answer.readAllBytes(), StandardCharsets.UTF_8);
                assertThat(refusal).as("%s with %s: body of %d", operation.key(), credential.name(), status)
                        .contains("\"status\":" + status);
            }
            return status;
        }
    }

    private static String forge(String kid, long expires) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        Map<String, Object> header = new LinkedHashMap<>(Map.of("alg", "RS256", "typ", "JWT", "kid", kid));
        String claims = "{\"iss\":\"pureboot-clone\",\"sub\":\"mallory\",\"groups\":[\"admin\"],\"iat\":" + (expires - 600)
                + ",\"exp\":" + expires + ",\"jti\":\"" + UUID.randomUUID() + "\"}";
        String headerJson = "{\"alg\":\"" + header.get("alg") + "\",\"typ\":\"JWT\",\"kid\":\"" + kid + "\"}";
        String signingInput = base64.encodeToString(headerJson.getBytes(StandardCharsets.UTF_8)) + "."
                + base64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initSign(pair.getPrivate());
        signature.update(signingInput.getBytes(StandardCharsets.UTF_8));
        return signingInput + "." + base64.encodeToString(signature.sign());
    }
}
