package io.pureboot.clone.agent.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.pureboot.clone.agent.testing.FakeNodeApi;
import io.pureboot.clone.nodeapi.ProgressPhase;
import io.pureboot.clone.nodeapi.ProgressReport;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressReporterTest {

    private final AtomicLong clock = new AtomicLong();

    @Test
    void reportsPhaseBytesAndTheRateOverTheLastInterval() {
        List<ProgressReport> sent = new ArrayList<>();
        ProgressReporter reporter = new ProgressReporter(sent::add, 10, clock::get);
        reporter.phase(ProgressPhase.UPLOADING, 1000);
        reporter.progress(200, 1000);
        clock.addAndGet(2_000_000_000L);
        reporter.tick();
        reporter.progress(1000, 1000);
        clock.addAndGet(4_000_000_000L);
        reporter.tick();

        assertThat(sent).containsExactly(new ProgressReport(ProgressPhase.UPLOADING, 200, 1000, 100),
                new ProgressReport(ProgressPhase.UPLOADING, 1000, 1000, 200));
    }

    @Test
    void aRepairOfTheSourceIsReportedWhenItStartsHoweverShort() {
        List<ProgressReport> sent = new ArrayList<>();
        ProgressReporter reporter = new ProgressReporter(sent::add, 10, clock::get);
        reporter.phase(ProgressPhase.REPAIRING_SOURCE, 1000);
        reporter.phase(ProgressPhase.SHRINKING, 1000);

        assertThat(sent).containsExactly(new ProgressReport(ProgressPhase.REPAIRING_SOURCE, 0, 1000, 0));
    }

    @Test
    void queuesWhileOfflineAndFlushesOldestFirst() {
        List<ProgressReport> sent = new ArrayList<>();
        boolean[] online = {false};
        ProgressReporter reporter = new ProgressReporter(report -> {
            if (!online[0]) {
                throw new ApiException(0, "connection refused", null);
            }
            sent.add(report);
        }, 10, clock::get);
        reporter.phase(ProgressPhase.DOWNLOADING, 300);
        for (int i = 1; i <= 3; i++) {
            reporter.progress(i * 100, 300);
            reporter.tick();
        }
        assertThat(reporter.queued()).isEqualTo(3);
        assertThat(sent).isEmpty();

        online[0] = true;
        reporter.tick();

        assertThat(sent).extracting(ProgressReport::bytesDone).containsExactly(100L, 200L, 300L, 300L);
        assertThat(reporter.queued()).isZero();
    }

    @Test
    void theOfflineQueueIsBoundedAndDropsTheOldest() {
        ProgressReporter reporter = new ProgressReporter(report -> {
            throw new ApiException(503, "unavailable", null);
        }, 3, clock::get);
        reporter.phase(ProgressPhase.UPLOADING, 10);
        for (int i = 1; i <= 5; i++) {
            reporter.progress(i, 10);
            reporter.tick();
        }
        assertThat(reporter.queued()).isEqualTo(3);
        assertThat(reporter.dropped()).isEqualTo(2);
    }

    @Test
    void aClientErrorDropsTheReportInsteadOfRetryingIt() {
        List<ProgressReport> attempts = new ArrayList<>();
        ProgressReporter reporter = new ProgressReporter(report -> {
            attempts.add(report);
            throw new ApiException(410, "session gone", null);
        }, 10, clock::get);
        reporter.phase(ProgressPhase.UPLOADING, 10);
        reporter.tick();
        reporter.tick();

        assertThat(attempts).hasSize(2);
        assertThat(reporter.queued()).isZero();
    }

    @Test
    void deliversQueuedReportsThroughTheNodeApiOnceTheServerIsBack() throws IOException {
        try (FakeNodeApi api = new FakeNodeApi()) {
            api.then("/api/v1/node/progress", 503, "").then("/api/v1/node/progress", 503, "");
            NodeApiClient client = new NodeApiClient(api.uri(), "t", RetryPolicy.standard(), duration -> { });
            ProgressReporter reporter = new ProgressReporter(client::progressOnce, 10, clock::get);
            reporter.phase(ProgressPhase.UPLOADING, 3);
            for (int i = 1; i <= 3; i++) {
                reporter.progress(i, 3);
                clock.addAndGet(Duration.ofSeconds(2).toNanos());
                reporter.tick();
            }
            List<String> bodies = api.requests("/api/v1/node/progress").stream().map(FakeNodeApi.Request::body)
                    .toList();
            // Two failed attempts of the first report, then all three in order once the server answers.
            assertThat(bodies).hasSize(5);
            assertThat(bodies.subList(2, 5)).containsExactly(
                    "{\"phase\":\"uploading\",\"bytes_done\":1,\"bytes_total\":3,\"rate_bytes_per_second\":0}",
                    "{\"phase\":\"uploading\",\"bytes_done\":2,\"bytes_total\":3,\"rate_bytes_per_second\":0}",
                    "{\"phase\":\"uploading\",\"bytes_done\":3,\"bytes_total\":3,\"rate_bytes_per_second\":0}");
        }
    }
}
