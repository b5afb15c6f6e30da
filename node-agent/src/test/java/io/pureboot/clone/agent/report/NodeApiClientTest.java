package io.pureboot.clone.agent.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pureboot.clone.agent.AgentException;
import io.pureboot.clone.agent.FailureKind;
import io.pureboot.clone.agent.testing.FakeNodeApi;
import io.pureboot.clone.events.resize.PartitionAction;
import io.pureboot.clone.events.session.ResizeMode;
import io.pureboot.clone.nodeapi.AgentMode;
import io.pureboot.clone.nodeapi.FailureReport;
import io.pureboot.clone.nodeapi.Instructions;
import io.pureboot.clone.nodeapi.NodeRole;
import io.pureboot.clone.nodeapi.ProgressPhase;
import io.pureboot.clone.nodeapi.ProgressReport;
import io.pureboot.clone.nodeapi.SourceComplete;
import io.pureboot.clone.nodeapi.StagingGrant;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NodeApiClientTest {

    private static final RetryPolicy POLICY = new RetryPolicy(4, Duration.ofMillis(100), Duration.ofMillis(300),
            Duration.ofMinutes(1));

    private FakeNodeApi api;
    private final List<Duration> sleeps = new ArrayList<>();
    private NodeApiClient client;

    @BeforeEach
    void start() throws IOException {
        api = new FakeNodeApi();
        client = new NodeApiClient(api.uri(), "node-token", POLICY, sleeps::add);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void readsInstructionsAndPlanWithTheBearerToken() {
        api.answer("/api/v1/node/instructions", 200, """
                {"session_id": "5e0c2b7a-1f3d-4a6b-8c9d-0e1f2a3b4c5d", "mode": "clone-target-staged", "role": "target",
                 "disk_id": "wwn-0x5000",
                 "resize_mode": "shrink_source", "plan": {"source_disk_bytes": 100, "target_disk_bytes": 60,
                 "resize_mode": "shrink_source", "table_type": "gpt", "alignment_bytes": 1048576, "feasible": true,
                 "partitions": [{"partition": 2, "current_start_bytes": 1048576, "current_size_bytes": 50,
                 "new_start_bytes": 1048576, "new_size_bytes": 30, "minimum_size_bytes": 20, "filesystem": "ext4",
                 "action": "shrink"}]}}
                """);

        Instructions instructions = client.instructions();

        assertThat(instructions.role()).isEqualTo(NodeRole.TARGET);
        assertThat(instructions.mode()).isEqualTo(AgentMode.CLONE_TARGET_STAGED);
        assertThat(instructions.diskId()).isEqualTo("wwn-0x5000");
        assertThat(instructions.resizeMode()).isEqualTo(ResizeMode.SHRINK_SOURCE);
        assertThat(instructions.plan().partitions().get(0).action()).isEqualTo(PartitionAction.SHRINK);
        assertThat(api.requests()).singleElement().satisfies(request -> {
            assertThat(request.method()).isEqualTo("GET");
            assertThat(request.authorization()).isEqualTo("Bearer node-token");
        });
    }

    @Test
    void asksForTheStagingGrantWithAPost() {
        api.answer("/api/v1/node/staging", 200, """
                {"backend_type": "iscsi", "staging_path": "s-1", "nfs": null, "iscsi": {"portal": "10.0.0.5:3260",
                 "target_iqn": "iqn.2024-01.io.pureboot:s-1", "lun": 1, "username": "node", "password": "secret"}}
                """);

        StagingGrant staging = client.staging();

        assertThat(staging.backendType()).isEqualTo(StagingGrant.BackendType.ISCSI);
        assertThat(staging.iscsi().targetIqn()).isEqualTo("iqn.2024-01.io.pureboot:s-1");
        assertThat(staging.iscsi().toString()).doesNotContain("secret");
        assertThat(api.requests()).singleElement().satisfies(request -> {
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.body()).isEqualTo("{}");
        });
    }

    @Test
    void anAnswerWithAPropertyTheContractDoesNotKnowIsInvalid() {
        api.answer("/api/v1/node/direct", 200, """
                {"session_id": "5e0c2b7a-1f3d-4a6b-8c9d-0e1f2a3b4c5d", "role": "source", "source": null,
                 "targets": [], "source_needed": true, "surprise": 1}
                """);

        assertThatThrownBy(client::direct).isInstanceOfSatisfying(AgentException.class, e -> {
            assertThat(e.kind()).isEqualTo(FailureKind.SERVER);
            assertThat(e.getMessage()).startsWith("GET /api/v1/node/direct returned an invalid body: ")
                    .contains("surprise");
        });
    }

    @Test
    void sendsTheContractsRecordsTheFakeBindsStrictly() {
        client.failed(new FailureReport("disk_error", "no disk matches wwn-x"));
        client.progressOnce(new ProgressReport(ProgressPhase.GROWING_SOURCE, 1, 2, 3));

        assertThat(api.requests("/api/v1/node/failed")).singleElement().satisfies(request -> assertThat(
                request.body()).isEqualTo("{\"code\":\"disk_error\",\"message\":\"no disk matches wwn-x\"}"));
        assertThat(api.requests("/api/v1/node/progress")).singleElement().satisfies(request -> assertThat(
                request.body()).isEqualTo("{\"phase\":\"growing_source\",\"bytes_done\":1,\"bytes_total\":2,"
                + "\"rate_bytes_per_second\":3}"));
    }

    @Test
    void retriesServerErrorsWithExponentialBackoff() {
        api.then("/api/v1/node/source-complete", 503, "").then("/api/v1/node/source-complete", 502, "")
                .then("/api/v1/node/source-complete", 500, "");

        client.sourceComplete(new SourceComplete(1234, "ab".repeat(32)));

        assertThat(api.requests("/api/v1/node/source-complete")).hasSize(4).last()
                .satisfies(request -> assertThat(request.body())
                        .isEqualTo("{\"image_size_bytes\":1234,\"manifest_sha256\":\"" + "ab".repeat(32)
                                + "\",\"repairs\":[]}"));
        assertThat(sleeps).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(300));
    }

    @Test
    void neverRetriesAClientError() {
        api.answer("/api/v1/node/complete", 409, "{\"error\": \"session is cancelled\"}");

        assertThatThrownBy(client::complete).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status()).isEqualTo(409);
            assertThat(e.retryable()).isFalse();
            assertThat(e.getMessage()).isEqualTo("POST /api/v1/node/complete answered 409: "
                    + "{\"error\": \"session is cancelled\"}");
        });
        assertThat(api.requests()).hasSize(1);
        assertThat(sleeps).isEmpty();
    }

    @Test
    void givesUpAfterTheAttemptBudgetWhenTheServerIsDown() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        NodeApiClient offline = new NodeApiClient(URI.create("http://127.0.0.1:" + port + "/"), "t", POLICY,
                sleeps::add);

        assertThatThrownBy(offline::complete).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status()).isZero();
            assertThat(e.getMessage()).startsWith("POST /api/v1/node/complete failed: ConnectException")
                    .endsWith("(gave up after 4 attempts)");
        });
        assertThat(sleeps).hasSize(3);
    }

    @Test
    void stopsRetryingWhenTheTimeBudgetIsSpent() {
        NodeApiClient impatient = new NodeApiClient(api.uri(), "t", new RetryPolicy(10, Duration.ofSeconds(20),
                Duration.ofSeconds(40), Duration.ofSeconds(30)), sleeps::add);
        api.answer("/api/v1/node/complete", 503, "");

        // 20 s after the first attempt fits the 30 s budget; the next delay (40 s) would not.
        assertThatThrownBy(impatient::complete).isInstanceOf(ApiException.class)
                .hasMessage("POST /api/v1/node/complete answered 503 (gave up after 2 attempts)");
        assertThat(api.requests()).hasSize(2);
        assertThat(sleeps).containsExactly(Duration.ofSeconds(20));
    }
}
