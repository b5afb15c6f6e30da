package io.pureboot.clone.controller.direct;

import static io.pureboot.clone.controller.Operators.admin;
import static io.pureboot.clone.controller.Operators.node;
import static io.pureboot.clone.controller.Operators.randomMac;
import static io.pureboot.clone.controller.Operators.registerNode;
import static io.pureboot.clone.controller.Operators.reportDisk;
import static io.pureboot.clone.controller.Operators.tokenOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import io.agroal.api.AgroalDataSource;
import io.pureboot.clone.controller.KafkaEvents;
import io.pureboot.clone.controller.Sessions;
import io.pureboot.clone.events.EventCatalog;
import io.pureboot.clone.events.Topics;
import io.pureboot.clone.events.storage.StagingStatus;
import io.pureboot.clone.platform.crypto.SecretCipher;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A direct session over the node API: started without staging, the source armed at once, its
 * certificate naming its address, targets armed when it listens and certified for the session,
 * progress and completion as for staged; wrong roles, sessions and inputs refused.
 */
@QuarkusTest
class DirectLifecycleTest {

    private static final long SOURCE_DISK = 8L << 30;

    @Inject
    AgroalDataSource database;

    @Inject
    SecretCipher cipher;

    @Test
    void directSessionRunsFromStartToCompletionWithoutStaging() throws Exception {
        String sourceMac = randomMac();
        String source = registerNode(sourceMac, "direct-source");
        String firstMac = randomMac();
        String first = registerNode(firstMac, "direct-target-1");
        String secondMac = randomMac();
        String second = registerNode(secondMac, "direct-target-2");
        reportDisk(source, "wwn-direct-source", SOURCE_DISK);
        String sessionId = admin().body(Map.of("name", "direct rollout", "clone_mode", "direct",
                        "source_node_id", source, "source_disk_id", "wwn-direct-source", "resize_mode", "grow_target",
                        "targets", List.of(Map.of("node_id", first, "disk_id", "wwn-d1"),
                                Map.of("node_id", second, "disk_id", "wwn-d2"))))
                .post("/api/v1/clone-sessions").then().statusCode(201).extract().path("id");

        Sessions.planAndStart(sessionId, SOURCE_DISK).statusCode(200)
                .body("state", equalTo("source_armed")).body("phase", equalTo("uploading"));
        String sourceScript = Sessions.bootScript(sourceMac);
        assertThat(sourceScript).contains("pureboot.mode=clone-source-direct");
        assertThat(Sessions.bootScript(firstMac)).contains("booting from the local disk");
        String sourceToken = tokenOf(sourceScript);
        node(sourceToken).get("/api/v1/node/instructions").then().statusCode(200)
                .body("mode", equalTo("clone-source-direct")).body("role", equalTo("source"));

        // The source's certificate needs its address, an IP literal.
        node(sourceToken).body(Map.of("csr_pem", NodeKeys.create().csrPem()))
                .post("/api/v1/node/direct/certificate")
                .then().statusCode(422).body("fields[0].field", equalTo("address"));
        node(sourceToken).body(Map.of("address", "10.1.2.3")).post("/api/v1/node/direct/certificate").then()
                .statusCode(400).body("fields[0].field", equalTo("csr_pem"));
        NodeKeys forged = NodeKeys.create(NodeKeys.newPair(), NodeKeys.newPair());
        node(sourceToken).body(Map.of("address", "10.1.2.3", "csr_pem", forged.csrPem()))
                .post("/api/v1/node/direct/certificate").then().statusCode(422)
                .body("fields[0].field", equalTo("csr_pem"))
                .body("fields[0].reason", equalTo("is not signed by the key it carries"));
        NodeKeys sourceKeys = NodeKeys.create();
        node(sourceToken).body(Map.of("address", "source.example", "csr_pem", NodeKeys.create().csrPem()))
                .post("/api/v1/node/direct/certificate").then()
                .statusCode(422).body("fields[0].field", equalTo("address"))
                .body("fields[0].reason", equalTo("must be an IPv4 or IPv6 address literal, not 'source.example'"));
        node(sourceToken).body(Map.of("address", "10.1.2.300", "csr_pem", NodeKeys.create().csrPem()))
                .post("/api/v1/node/direct/certificate").then()
                .statusCode(422).body("fields[0].field", equalTo("address"));
        Map<String, String> sourceCertificate = node(sourceToken)
                .body(Map.of("address", "10.1.2.3", "csr_pem", sourceKeys.csrPem()))
                .post("/api/v1/node/direct/certificate").then().statusCode(200).extract().jsonPath().getMap("");
        X509Certificate ca = certificate(sourceCertificate.get("ca_pem"));
        X509Certificate sourceLeaf = certificate(sourceCertificate.get("certificate_pem"));
        sourceLeaf.verify(ca.getPublicKey());
        sourceLeaf.checkValidity();
        assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(sourceLeaf.getBasicConstraints()).isEqualTo(-1);
        assertThat(sourceLeaf.getSubjectAlternativeNames()).containsExactlyInAnyOrder(
                List.of(6, "urn:pureboot:session:" + sessionId + ":source:" + source), List.of(7, "10.1.2.3"));
        assertThat(sourceCertificate).doesNotContainKey("private_key_pem");
        assertThat(sourceLeaf.getPublicKey()).isEqualTo(sourceKeys.pair().getPublic());

        // Targets are armed only once the source listens at its certified address.
        node(sourceToken).body(Map.of("address", "10.9.9.9", "port", 7443)).post("/api/v1/node/direct/listening")
                .then().statusCode(422).body("fields[0].field", equalTo("address"))
                .body("fields[0].reason", equalTo("is not the address in this source's certificate (10.1.2.3)"));
        node(sourceToken).body(Map.of("address", "10.1.2.3", "port", 0)).post("/api/v1/node/direct/listening")
                .then().statusCode(400).body("fields[0].field", equalTo("port"));
        node(sourceToken).get("/api/v1/node/direct").then().statusCode(200).body("source", nullValue())
                .body("targets.size()", equalTo(2)).body("source_needed", equalTo(true));
        assertThat(Sessions.bootScript(firstMac)).contains("booting from the local disk");
        Map<String, Object> repair = Map.of("partition", 2, "tool", "e2fsck -f -y /dev/sda2", "exit_code", 1,
                "summary", "Block bitmap differences: -(1234--1249); FIXED");
        node(sourceToken).body(Map.of("address", "10.1.2.3", "port", 7443, "repairs",
                        List.of(Map.of("partition", 2, "tool", "e2fsck", "exit_code", 300))))
                .post("/api/v1/node/direct/listening")
                .then().statusCode(400).body("fields[0].field", equalTo("repairs[0].exit_code"));
        node(sourceToken).body(Map.of("address", "10.1.2.3", "port", 7443, "repairs", List.of(repair)))
                .post("/api/v1/node/direct/listening").then().statusCode(204);
        Sessions.awaitState(sessionId, "uploading");
        // A direct source never completes an image: its repairs reach the audit when it starts serving.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(admin()
                .get("/api/v1/audit?session={id}", sessionId).then().statusCode(200).extract().jsonPath()
                .<Object>get("find { it.type == '" + EventCatalog.CLONE_SESSION_SOURCE_REPAIRED.name()
                        + "' }.data.repairs[0].tool")).isEqualTo("e2fsck -f -y /dev/sda2"));
        String firstScript = Sessions.bootScript(firstMac);
        assertThat(firstScript).contains("pureboot.mode=clone-target-direct");
        String firstToken = tokenOf(firstScript);
        String secondToken = tokenOf(Sessions.bootScript(secondMac));

        node(firstToken).body(Map.of("address", "10.1.2.3", "port", 7443)).post("/api/v1/node/direct/listening")
                .then().statusCode(403);
        node(firstToken).get("/api/v1/node/direct").then().statusCode(200)
                .body("source.address", equalTo("10.1.2.3")).body("source.port", equalTo(7443))
                .body("role", equalTo("target"));
        Map<String, String> targetCertificate = node(firstToken).body(Map.of("csr_pem", NodeKeys.create().csrPem()))
                .post("/api/v1/node/direct/certificate")
                .then().statusCode(200).extract().jsonPath().getMap("");
        assertThat(targetCertificate.get("ca_pem")).isEqualTo(sourceCertificate.get("ca_pem"));
        X509Certificate targetLeaf = certificate(targetCertificate.get("certificate_pem"));
        targetLeaf.verify(ca.getPublicKey());
        assertThat(targetLeaf.getSubjectAlternativeNames()).containsExactly(
                List.of(6, "urn:pureboot:session:" + sessionId + ":target:" + first));
        assertThat(targetLeaf.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.2");

        Sessions.progress(sourceToken, "uploading", 1L << 30, SOURCE_DISK);
        Sessions.progress(firstToken, "downloading", 1L << 30, SOURCE_DISK);
        Sessions.awaitState(sessionId, "downloading");
        assertThat(Sessions.bootScript(sourceMac)).as("a restarted source serves again")
                .contains("pureboot.mode=clone-source-direct");
        node(firstToken).body("{}").post("/api/v1/node/complete").then().statusCode(204);
        node(sourceToken).get("/api/v1/node/direct").then().statusCode(200).body("source_needed", equalTo(true));
        node(secondToken).body(Map.of("code", "peer_unreachable", "message", "source refused us"))
                .post("/api/v1/node/failed").then().statusCode(204);
        Sessions.awaitState(sessionId, "completed");
        admin().get("/api/v1/clone-sessions/{id}", sessionId).then()
                .body("targets.find { it.node_id == '" + first + "' }.state", equalTo("completed"))
                .body("targets.find { it.node_id == '" + second + "' }.state", equalTo("failed"));
        assertThat(KafkaEvents.read(Topics.CLONE_SESSIONS, sessionId, events -> events.stream()
                .anyMatch(event -> event.type().equals(EventCatalog.CLONE_SESSION_COMPLETED.name()))))
                .noneMatch(event -> event.type().equals(EventCatalog.CLONE_SESSION_STAGING_REQUESTED.name()));
        // The session is over: its tokens died with it.
        node(sourceToken).get("/api/v1/node/direct").then().statusCode(401);
    }

    @Test
    void targetsFindEachOthersSwarmChunkServersWhileTheirPartRuns() {
        String sourceMac = randomMac();
        String source = registerNode(sourceMac, "swarm-source");
        String firstMac = randomMac();
        String first = registerNode(firstMac, "swarm-target-1");
        String secondMac = randomMac();
        String second = registerNode(secondMac, "swarm-target-2");
        reportDisk(source, "wwn-swarm-source", SOURCE_DISK);
        String sessionId = admin().body(Map.of("name", "swarm", "clone_mode", "direct", "source_node_id", source,
                        "source_disk_id", "wwn-swarm-source", "targets", List.of(Map.of("node_id", first, "disk_id",
                                "wwn-s1"), Map.of("node_id", second, "disk_id", "wwn-s2"))))
                .post("/api/v1/clone-sessions").then().statusCode(201).extract().path("id");
        Sessions.planAndStart(sessionId, SOURCE_DISK).statusCode(200);
        String sourceToken = tokenOf(Sessions.bootScript(sourceMac));
        node(sourceToken).body(Map.of("address", "10.1.3.1", "csr_pem", NodeKeys.create().csrPem()))
                .post("/api/v1/node/direct/certificate").then().statusCode(200);
        node(sourceToken).body(Map.of("address", "10.1.3.1", "port", 7443)).post("/api/v1/node/direct/listening")
                .then().statusCode(204);
        Sessions.awaitState(sessionId, "uploading");
        String firstToken = tokenOf(Sessions.bootScript(firstMac));
        String secondToken = tokenOf(Sessions.bootScript(secondMac));

        node(sourceToken).body(Map.of("address", "10.1.3.1", "port", 7444)).post("/api/v1/node/direct/swarm")
                .then().statusCode(403);
        node(firstToken).body(Map.of("address", "target-1.example", "port", 7444)).post("/api/v1/node/direct/swarm")
                .then().statusCode(422).body("fields[0].field", equalTo("address"))
                .body("fields[0].reason", equalTo("must be an IPv4 or IPv6 address literal, not 'target-1.example'"));
        node(firstToken).body(Map.of("address", "10.1.3.11", "port", 0)).post("/api/v1/node/direct/swarm")
                .then().statusCode(400).body("fields[0].field", equalTo("port"));
        node(secondToken).get("/api/v1/node/direct").then().statusCode(200).body("peers.size()", equalTo(0));

        node(firstToken).body(Map.of("address", "10.1.3.11", "port", 7444)).post("/api/v1/node/direct/swarm")
                .then().statusCode(204);
        node(secondToken).get("/api/v1/node/direct").then().statusCode(200).body("peers.size()", equalTo(1))
                .body("peers[0].node_id", equalTo(first)).body("peers[0].address", equalTo("10.1.3.11"))
                .body("peers[0].port", equalTo(7444));
        node(firstToken).get("/api/v1/node/direct").then().statusCode(200).body("peers.size()", equalTo(0));
        node(sourceToken).get("/api/v1/node/direct").then().statusCode(200).body("peers.size()", equalTo(0));

        // A target whose part ended is no longer anyone's peer.
        node(firstToken).body(Map.of("code", "disk_error", "message", "gone")).post("/api/v1/node/failed").then()
                .statusCode(204);
        node(secondToken).get("/api/v1/node/direct").then().statusCode(200).body("peers.size()", equalTo(0));
    }

    @Test
    void theSwarmIsADirectSessionsOptionThatItsTargetsAreTold() {
        String source = registerNode(randomMac(), "swarm-option-source");
        String target = registerNode(randomMac(), "swarm-option-target");
        reportDisk(source, "wwn-so", SOURCE_DISK);
        String backendId = Sessions.registerBackend();
        String staged = admin().body(Map.of("name", "staged swarm", "clone_mode", "staged", "source_node_id", source,
                        "source_disk_id", "wwn-so", "staging_backend_id", backendId, "swarm", true,
                        "targets", List.of(Map.of("node_id", target, "disk_id", "wwn-t"))))
                .post("/api/v1/clone-sessions").then().statusCode(201).body("swarm", equalTo(true))
                .extract().path("id");
        admin().delete("/api/v1/clone-sessions/{id}", staged).then().statusCode(204);
        admin().body(Map.of("name", "bad swarm", "clone_mode", "direct", "source_node_id", source,
                        "source_disk_id", "wwn-so", "swarm", "yes",
                        "targets", List.of(Map.of("node_id", target, "disk_id", "wwn-t"))))
                .post("/api/v1/clone-sessions").then().statusCode(400).body("fields[0].field", equalTo("swarm"));

        String plain = admin().body(Map.of("name", "no swarm", "clone_mode", "direct", "source_node_id", source,
                        "source_disk_id", "wwn-so", "targets", List.of(Map.of("node_id", target, "disk_id", "wwn-t"))))
                .post("/api/v1/clone-sessions").then().statusCode(201).body("swarm", equalTo(false))
                .extract().path("id");
        Map<String, Object> withSwarm = Map.of("name", "swarm on", "clone_mode", "direct", "source_node_id", source,
                "source_disk_id", "wwn-so", "swarm", true,
                "targets", List.of(Map.of("node_id", target, "disk_id", "wwn-t")));
        // Redefined while created: the option is stored and announced in the definition, for the audit.
        admin().body(withSwarm).put("/api/v1/clone-sessions/{id}", plain).then().statusCode(200)
                .body("swarm", equalTo(true));
        admin().get("/api/v1/clone-sessions/{id}", plain).then().statusCode(200).body("swarm", equalTo(true));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(admin()
                .get("/api/v1/audit?session={id}", plain).then().statusCode(200).extract().jsonPath()
                .getList("findAll { it.type == '" + EventCatalog.CLONE_SESSION_DEFINED.name() + "' }.data.swarm",
                        Boolean.class)).containsExactly(false, true));
        admin().delete("/api/v1/clone-sessions/{id}", plain).then().statusCode(204);

        String sourceMac = randomMac();
        String swarmSource = registerNode(sourceMac, "swarm-on-source");
        String targetMac = randomMac();
        String swarmTarget = registerNode(targetMac, "swarm-on-target");
        reportDisk(swarmSource, "wwn-so2", SOURCE_DISK);
        String sessionId = admin().body(Map.of("name", "swarm on", "clone_mode", "direct", "source_node_id",
                        swarmSource, "source_disk_id", "wwn-so2", "swarm", true,
                        "targets", List.of(Map.of("node_id", swarmTarget, "disk_id", "wwn-t2"))))
                .post("/api/v1/clone-sessions").then().statusCode(201).body("swarm", equalTo(true))
                .extract().path("id");
        Sessions.planAndStart(sessionId, SOURCE_DISK).statusCode(200);
        String sourceToken = tokenOf(Sessions.bootScript(sourceMac));
        node(sourceToken).body(Map.of("address", "10.1.4.1", "csr_pem", NodeKeys.create().csrPem()))
                .post("/api/v1/node/direct/certificate").then().statusCode(200);
        node(sourceToken).body(Map.of("address", "10.1.4.1", "port", 7443)).post("/api/v1/node/direct/listening")
                .then().statusCode(204);
        String targetToken = tokenOf(Sessions.bootScript(targetMac));
        node(targetToken).get("/api/v1/node/instructions").then().statusCode(200).body("swarm", equalTo(true));
        // the option's one place is the instructions: the source's endpoint answer does not repeat it
        node(targetToken).get("/api/v1/node/direct").then().statusCode(200).body("$", not(hasKey("swarm")));
    }

    @Test
    void aStagedSwarmSessionsTargetsGetCertificatesAndFindEachOtherButItsSourceDoesNot() throws Exception {
        Sessions.StagedSession session = Sessions.defineStaged("staged swarm", SOURCE_DISK, 2, Map.of("swarm", true))
                .armSource(SOURCE_DISK);
        String sessionId = session.sessionId();
        String sourceToken = session.source().token();
        node(sourceToken).body(Map.of("address", "10.1.6.1", "csr_pem", NodeKeys.create().csrPem()))
                .post("/api/v1/node/direct/certificate").then().statusCode(409);
        node(sourceToken).get("/api/v1/node/direct").then().statusCode(409);
        Sessions.progress(sourceToken, "uploading", 1L << 30, SOURCE_DISK);
        Sessions.awaitState(sessionId, "uploading");
        node(sourceToken).body(Map.of("image_size_bytes", 2L << 30, "manifest_sha256", "ab".repeat(32)))
                .post("/api/v1/node/source-complete").then().statusCode(204);
        Sessions.staging(sessionId, session.backendId(), StagingStatus.UPLOADING, StagingStatus.READY);
        Sessions.TestNode first = session.targets().get(0);
        Sessions.TestNode second = session.targets().get(1);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(Sessions.bootScript(first.mac())).contains("clone-target-staged"));
        String firstToken = first.token();
        String secondToken = second.token();

        node(firstToken).get("/api/v1/node/instructions").then().statusCode(200).body("swarm", equalTo(true));
        String certificate = node(firstToken).body(Map.of("csr_pem", NodeKeys.create().csrPem()))
                .post("/api/v1/node/direct/certificate").then().statusCode(200).extract().path("certificate_pem");
        assertThat(certificate(certificate).getSubjectAlternativeNames()).containsExactly(
                List.of(6, "urn:pureboot:session:" + sessionId + ":target:" + first.id()));
        node(firstToken).body(Map.of("address", "10.1.6.11", "port", 7444)).post("/api/v1/node/direct/swarm")
                .then().statusCode(204);
        node(secondToken).get("/api/v1/node/direct").then().statusCode(200)
                .body("source", nullValue()).body("source_needed", equalTo(true)).body("peers.size()", equalTo(1))
                .body("peers[0].node_id", equalTo(first.id())).body("peers[0].address", equalTo("10.1.6.11"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aDroppedSwarmPeerOfTheSameSessionReachesTheAudit() {
        String sourceMac = randomMac();
        String source = registerNode(sourceMac, "drop-source");
        String firstMac = randomMac();
        String first = registerNode(firstMac, "drop-target-1");
        String secondMac = randomMac();
        String second = registerNode(secondMac, "drop-target-2");
        String stranger = registerNode(randomMac(), "drop-stranger");
        reportDisk(source, "wwn-drop-source", SOURCE_DISK);
        String sessionId = admin().body(Map.of("name", "drops", "clone_mode", "direct", "source_node_id", source,
                        "source_disk_id", "wwn-drop-source", "swarm", true, "targets", List.of(
                                Map.of("node_id", first, "disk_id", "wwn-dr1"),
                                Map.of("node_id", second, "disk_id", "wwn-dr2"))))
                .post("/api/v1/clone-sessions").then().statusCode(201).extract().path("id");
        Sessions.planAndStart(sessionId, SOURCE_DISK).statusCode(200);
        String sourceToken = tokenOf(Sessions.bootScript(sourceMac));
        node(sourceToken).body(Map.of("address", "10.1.5.1", "csr_pem", NodeKeys.create().csrPem()))
                .post("/api/v1/node/direct/certificate").then().statusCode(200);
        node(sourceToken).body(Map.of("address", "10.1.5.1", "port", 7443)).post("/api/v1/node/direct/listening")
                .then().statusCode(204);
        String firstToken = tokenOf(Sessions.bootScript(firstMac));
        String secondToken = tokenOf(Sessions.bootScript(secondMac));
        String path = "/api/v1/node/direct/swarm/dropped";
        String reason = "it served chunk 7 with SHA-256 " + "0".repeat(64) + ", expected " + "1".repeat(64);

        node(sourceToken).body(Map.of("peer_node_id", first, "reason", reason, "chunk", 7)).post(path)
                .then().statusCode(403);
        node(firstToken).body(Map.of("peer_node_id", first, "reason", reason, "chunk", 7)).post(path)
                .then().statusCode(422).body("fields[0].field", equalTo("peer_node_id"))
                .body("fields[0].reason", equalTo("is this target itself"));
        for (String notATarget : List.of(source, stranger)) {
            node(firstToken).body(Map.of("peer_node_id", notATarget, "reason", reason, "chunk", 7)).post(path)
                    .then().statusCode(422).body("fields[0].field", equalTo("peer_node_id"))
                    .body("fields[0].reason", equalTo("node " + notATarget + " is not a target of clone session "
                            + sessionId));
        }
        node(firstToken).body(Map.of("peer_node_id", "not-a-node", "reason", reason)).post(path)
                .then().statusCode(400).body("fields[0].field", equalTo("peer_node_id"));
        node(firstToken).body(Map.of("peer_node_id", second, "reason", " ")).post(path)
                .then().statusCode(400).body("fields[0].field", equalTo("reason"));
        node(firstToken).body(Map.of("peer_node_id", second, "reason", "bad\nline")).post(path)
                .then().statusCode(400).body("fields[0].field", equalTo("reason"));
        node(firstToken).body(Map.of("peer_node_id", second, "reason", reason, "chunk", -1)).post(path)
                .then().statusCode(400).body("fields[0].field", equalTo("chunk"));
        node(firstToken).body(Map.of("peer_node_id", second, "reason", reason, "chunk", 7, "severity", "high"))
                .post(path).then().statusCode(400);

        node(firstToken).body(Map.of("peer_node_id", second, "reason", reason, "chunk", 7)).post(path)
                .then().statusCode(204);
        Map<String, Object> failures = new java.util.HashMap<>(Map.of("peer_node_id", first,
                "reason", "3 requests in a row failed, the last: connection refused"));
        failures.put("chunk", null);
        node(secondToken).body(failures).post(path).then().statusCode(204);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<Map<String, Object>> drops = admin().get("/api/v1/audit?session={id}", sessionId).then()
                    .statusCode(200).extract().jsonPath().getList("findAll { it.type == '"
                            + EventCatalog.CLONE_SESSION_SWARM_PEER_DROPPED.name() + "' }");
            assertThat(drops).hasSize(2);
            assertThat(drops).anySatisfy(entry -> {
                assertThat(((Map<?, ?>) entry.get("actor")).get("subject")).isEqualTo("node:" + first);
                assertThat(entry.get("data")).isEqualTo(Map.of("session_id", sessionId, "target_node_id", first,
                        "peer_node_id", second, "reason", reason, "chunk", 7));
            });
            assertThat(drops).anySatisfy(entry -> {
                Map<Object, Object> data = (Map<Object, Object>) entry.get("data");
                assertThat(data).containsEntry("target_node_id", second).containsEntry("peer_node_id", first);
                assertThat(data.get("chunk")).isNull();
            });
        });
        // Nothing else moved: the session and both targets run on.
        admin().get("/api/v1/clone-sessions/{id}", sessionId).then().body("state", equalTo("uploading"))
                .body("targets.state", org.hamcrest.Matchers.everyItem(equalTo("armed")));

        // Once the session ended, its targets' tokens are void.
        admin().body(Map.of("reason", "test over")).post("/api/v1/clone-sessions/{id}/cancel", sessionId).then()
                .statusCode(200);
        node(firstToken).body(Map.of("peer_node_id", second, "reason", reason, "chunk", 7)).post(path)
                .then().statusCode(401);
    }

    @Test
    void aDirectSourceCompletesItsPartAndStagedSessionsHaveNoCertificates() {
        String sourceMac = randomMac();
        String source = registerNode(sourceMac, "direct-source");
        String target = registerNode(randomMac(), "direct-target");
        reportDisk(source, "wwn-ds", SOURCE_DISK);
        String sessionId = admin().body(Map.of("name", "d", "clone_mode", "direct", "source_node_id", source,
                        "source_disk_id", "wwn-ds", "targets", List.of(Map.of("node_id", target, "disk_id", "d"))))
                .post("/api/v1/clone-sessions").then().statusCode(201).extract().path("id");
        Sessions.planAndStart(sessionId, SOURCE_DISK).statusCode(200);
        String sourceToken = tokenOf(Sessions.bootScript(sourceMac));
        node(sourceToken).body(Map.of("address", "10.1.2.4", "port", 7443)).post("/api/v1/node/direct/listening")
                .then().statusCode(409);
        node(sourceToken).body("{}").post("/api/v1/node/complete").then().statusCode(204);
        admin().get("/api/v1/clone-sessions/{id}", sessionId).then().body("state", equalTo("source_armed"));

        admin().body(Map.of("name", "d", "clone_mode", "direct", "source_node_id", source, "source_disk_id", "wwn-ds",
                        "targets_run", "on_request", "targets", List.of(Map.of("node_id", target, "disk_id", "d"))))
                .post("/api/v1/clone-sessions").then().statusCode(422).body("fields[0].field", equalTo("targets_run"));

        String backendId = Sessions.registerBackend();
        String stagedMac = randomMac();
        String stagedSource = registerNode(stagedMac, "staged-source");
        reportDisk(stagedSource, "wwn-s", 1L << 30);
        String staged = Sessions.createStaged(stagedSource, registerNode(randomMac(), "staged-target"), backendId);
        Sessions.planAndStart(staged, 1L << 30).statusCode(200);
        Sessions.staging(staged, backendId, StagingStatus.PROVISIONING, StagingStatus.PROVISIONED);
        Sessions.awaitState(staged, "source_armed");
        String stagedToken = tokenOf(Sessions.bootScript(stagedMac));
        node(stagedToken).body(Map.of("address", "10.1.2.5", "csr_pem", NodeKeys.create().csrPem()))
                .post("/api/v1/node/direct/certificate").then()
                .statusCode(409).body("message", equalTo("clone session " + staged
                        + " is staged; the direct calls are for direct sessions and for the targets of a staged "
                        + "session with the swarm option"));
        node(stagedToken).get("/api/v1/node/direct").then().statusCode(409);
    }

    @Test
    void theCasPrivateKeyIsStoredSealedAndOpensOnlyForItsRow() throws Exception {
        String sourceMac = randomMac();
        String source = registerNode(sourceMac, "sealed-ca-source");
        String target = registerNode(randomMac(), "sealed-ca-target");
        reportDisk(source, "wwn-sealed-ca", SOURCE_DISK);
        String sessionId = admin().body(Map.of("name", "sealed CA", "clone_mode", "direct", "source_node_id", source,
                        "source_disk_id", "wwn-sealed-ca", "targets", List.of(Map.of("node_id", target, "disk_id", "wwn-t"))))
                .post("/api/v1/clone-sessions").then().statusCode(201).extract().path("id");
        Sessions.planAndStart(sessionId, SOURCE_DISK).statusCode(200);
        node(tokenOf(Sessions.bootScript(sourceMac))).body(Map.of("address", "10.9.8.7", "csr_pem", NodeKeys.create().csrPem()))
                .post("/api/v1/node/direct/certificate").then().statusCode(200);

        String stored;
        try (Connection connection = database.getConnection();
             ResultSet row = connection.createStatement().executeQuery(
                     "select private_key_sealed from direct_ca where id = '" + DirectCaRow.ID + "'")) {
            assertThat(row.next()).as("the CA row").isTrue();
            stored = row.getString(1);
        }

        assertThat(stored).startsWith("v1:").doesNotContain("PRIVATE KEY");
        assertThat(cipher.open(stored, DirectCaRow.KEY_CONTEXT)).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThatThrownBy(() -> cipher.open(stored, "direct_ca:other:private_key_sealed"))
                .hasMessageContaining("does not open");
    }

    @Test
    void targetsCompletingAtTheSameMomentCompleteTheSession() throws Exception {
        // Each complete settles the session from its targets' states; without the session row's lock, two at once
        // each saw the other still running and the session stayed downloading (found by ./pureboot demo).
        for (int round = 0; round < 4; round++) {
            String sourceMac = randomMac();
            String source = registerNode(sourceMac, "race-source-" + round);
            String firstMac = randomMac();
            String first = registerNode(firstMac, "race-first-" + round);
            String secondMac = randomMac();
            String second = registerNode(secondMac, "race-second-" + round);
            reportDisk(source, "wwn-race-" + round, SOURCE_DISK);
            String sessionId = admin().body(Map.of("name", "race " + round, "clone_mode", "direct",
                            "source_node_id", source, "source_disk_id", "wwn-race-" + round,
                            "targets", List.of(Map.of("node_id", first, "disk_id", "wwn-r1"),
                                    Map.of("node_id", second, "disk_id", "wwn-r2"))))
                    .post("/api/v1/clone-sessions").then().statusCode(201).extract().path("id");
            Sessions.planAndStart(sessionId, SOURCE_DISK).statusCode(200);
            String sourceToken = tokenOf(Sessions.bootScript(sourceMac));
            node(sourceToken).body(Map.of("address", "10.7.7.7", "csr_pem", NodeKeys.create().csrPem()))
                .post("/api/v1/node/direct/certificate").then()
                    .statusCode(200);
            node(sourceToken).body(Map.of("address", "10.7.7.7", "port", 7443)).post("/api/v1/node/direct/listening")
                    .then().statusCode(204);
            List<String> tokens = List.of(tokenOf(Sessions.bootScript(firstMac)), tokenOf(Sessions.bootScript(secondMac)));
            for (String token : tokens) {
                Sessions.progress(token, "downloading", 1L << 30, SOURCE_DISK);
            }

            // A thread per target (the common pool may have one thread on two cores), released together.
            CyclicBarrier together = new CyclicBarrier(tokens.size());
            ExecutorService threads = Executors.newFixedThreadPool(tokens.size());
            try {
                List<CompletableFuture<Integer>> completes = tokens.stream().map(token -> CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                together.await(10, TimeUnit.SECONDS);
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                            return node(token).body("{}").post("/api/v1/node/complete").statusCode();
                        }, threads)).toList();
                for (CompletableFuture<Integer> complete : completes) {
                    assertThat(complete.get(30, TimeUnit.SECONDS)).isEqualTo(204);
                }
            } finally {
                threads.shutdownNow();
            }

            Sessions.awaitState(sessionId, "completed");
        }
    }

    private static X509Certificate certificate(String pem) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    }
}
