package io.pureboot.clone.controller.session;

import static io.pureboot.clone.controller.Operators.admin;
import static io.pureboot.clone.controller.Operators.tokenOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.agroal.api.AgroalDataSource;
import io.pureboot.clone.controller.Sessions;
import jakarta.inject.Inject;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Progress that changes only figures is written per flush, not per report: the session row is written a few times
 * for many reports, and the latest figures still reach the operator's view within a flush interval.
 */
@QuarkusTest
class ProgressLedgerTest {

    private static final int REPORTS = 60;
    private static final long DISK = 1L << 30;

    @Inject
    AgroalDataSource database;

    @Test
    void reportsThatChangeOnlyFiguresAreWrittenInBatchesAndTheLatestIsShown() throws Exception {
        Sessions.ArmedSource armed = Sessions.armedStagedSource("ledger-source", "ledger-target");
        String token = tokenOf(Sessions.bootScript(armed.sourceMac()));
        // The first report moves the session to uploading: the machine applies it in the engine's transaction.
        Sessions.progress(token, "uploading", 1, DISK);
        Sessions.awaitState(armed.sessionId(), "uploading");
        long before = version(armed.sessionId());

        for (int report = 1; report <= REPORTS; report++) {
            Sessions.progress(token, "uploading", report * 1000L, DISK);
        }

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                admin().get("/api/v1/clone-sessions/{id}", armed.sessionId()).then()
                        .body("source.bytes_done", equalTo((int) (REPORTS * 1000L))));
        long writes = version(armed.sessionId()) - before;
        assertThat(writes).as("session row writes for %d reports", REPORTS).isBetween(1L, REPORTS / 4L);
    }

    /** The session row's optimistic version: one more per write of the row. */
    private long version(String sessionId) throws Exception {
        try (Connection connection = database.getConnection();
                PreparedStatement select = connection.prepareStatement("select version from clone_session where id = ?")) {
            select.setObject(1, UUID.fromString(sessionId));
            try (ResultSet rows = select.executeQuery()) {
                assertThat(rows.next()).isTrue();
                return rows.getLong(1);
            }
        }
    }
}
