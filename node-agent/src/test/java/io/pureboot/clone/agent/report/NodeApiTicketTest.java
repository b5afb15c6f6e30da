package io.pureboot.clone.agent.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pureboot.clone.agent.AgentException;
import io.pureboot.clone.agent.FailureKind;
import io.pureboot.clone.agent.direct.CertificateRequest;
import io.pureboot.clone.agent.testing.FakeNodeApi;
import io.pureboot.clone.agent.testing.Sys;
import io.pureboot.clone.nodeapi.NodeApiCall;
import io.pureboot.clone.nodeapi.NodeTokenGrant;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ticket exchange as the agent's first call, and the certificate request it sends in direct mode. */
class NodeApiTicketTest {

    private static final String TICKET = "pbt_" + "t".repeat(43);

    @TempDir
    Path directory;

    @Test
    void theTicketIsTradedWithoutABearerTokenAndTheTokenCarriedAfter() throws IOException {
        try (FakeNodeApi api = new FakeNodeApi()) {
            api.answer(NodeApiCall.TICKET, new NodeTokenGrant("pbn_traded", OffsetDateTime.now().plusHours(1)));
            api.answer("/api/v1/node/complete", 204, "");

            NodeApiClient client = NodeApiClient.withTicket(api.uri(), TICKET, null);
            client.complete();

            FakeNodeApi.Request exchange = api.requests(NodeApiCall.TICKET.path()).get(0);
            assertThat(exchange.authorization()).isNull();
            // the ticket, and the attempt value a retry of this trade would send again (docs/node-agent.md)
            assertThat(exchange.body()).matches("\\{\"ticket\":\"" + TICKET + "\",\"attempt\":\"[A-Za-z0-9_-]{32}\"}");
            assertThat(api.requests("/api/v1/node/complete").get(0).authorization()).isEqualTo("Bearer pbn_traded");
        }
    }

    @Test
    void aRefusedTicketIsFinal() throws IOException {
        try (FakeNodeApi api = new FakeNodeApi()) {
            api.answer(NodeApiCall.TICKET.path(), 401, "{\"status\":401,\"message\":\"this boot ticket was used already\"}");

            assertThatThrownBy(() -> NodeApiClient.withTicket(api.uri(), TICKET, null))
                    .isInstanceOfSatisfying(AgentException.class,
                            e -> assertThat(e.kind()).isEqualTo(FailureKind.SERVER))
                    .hasMessageContaining("401");
            assertThat(api.requests(NodeApiCall.TICKET.path())).hasSize(1);
        }
    }

    @Test
    void theCertificateRequestIsAValidPkcs10SignedByTheNodesOwnKey() throws IOException {
        CertificateRequest request = CertificateRequest.create();
        Path file = directory.resolve("node.csr");
        Files.writeString(file, request.pem());

        // openssl checks the request's signature with the public key it carries
        assertThat(Sys.run("openssl", "req", "-in", file.toString(), "-noout", "-verify").stderr()
                + Sys.run("openssl", "req", "-in", file.toString(), "-noout", "-verify").stdout())
                .contains("verify OK");
        String publicKey = Sys.run("openssl", "req", "-in", file.toString(), "-noout", "-pubkey").stdout();
        assertThat(publicKey).contains("BEGIN PUBLIC KEY");
        assertThat(request.toString()).doesNotContain("PRIVATE");
        assertThat(request.keyPair().getPublic().getAlgorithm()).isEqualTo("EC");
    }
}
