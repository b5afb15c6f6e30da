package io.pureboot.clone.agent.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Each dropped peer reaches the clone-service once, with the chunk it served wrong when there is one. */
class DropReportsTest {

    private static final String PEER = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
    private static final String OTHER = "9d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6";

    @Test
    void readsThePeerTheReasonAndTheChunkAsTheChunkSourceWordsThem() {
        assertThat(DropReports.parse(PEER + ": it served chunk 12 with SHA-256 00ff, expected 11ee"))
                .isEqualTo(new DropReports.Dropped(PEER, "it served chunk 12 with SHA-256 00ff, expected 11ee", 12));
        assertThat(DropReports.parse(PEER + ": it served chunk 3 in a frame that does not decompress (x: y)").chunk())
                .isEqualTo(3);
        assertThat(DropReports.parse(OTHER + ": 3 requests in a row failed, the last: connect timed out"))
                .isEqualTo(new DropReports.Dropped(OTHER, "3 requests in a row failed, the last: connect timed out",
                        null));
        assertThat(DropReports.parse(PEER + ": line\nbreak").reason()).isEqualTo("line break");
        assertThat(DropReports.parse(PEER + ": " + "x".repeat(5000)).reason()).hasSize(1000);
        assertThatThrownBy(() -> DropReports.parse("no separator")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a dropped peer '<node>: <reason>': no separator");
    }

    @Test
    void reportsEachPeerOnceAndTriesAgainAfterAFailedReport() {
        List<DropReports.Dropped> sent = new ArrayList<>();
        AtomicBoolean serviceAway = new AtomicBoolean(true);
        DropReports reports = new DropReports(drop -> {
            if (serviceAway.get()) {
                throw new IllegalStateException("503 from the clone-service");
            }
            sent.add(drop);
        });
        String bad = PEER + ": it served chunk 4 with SHA-256 00, expected 11";

        reports.reportNew(List.of(bad));
        assertThat(sent).isEmpty();

        serviceAway.set(false);
        reports.reportNew(List.of(bad));
        reports.reportNew(List.of(bad));
        reports.reportNew(List.of(bad, OTHER + ": 3 requests in a row failed, the last: refused"));

        assertThat(sent).extracting(DropReports.Dropped::peerNodeId).containsExactly(PEER, OTHER);
        assertThat(sent.get(0).chunk()).isEqualTo(4);
    }

    @Test
    void aReportRefusedAgainAndAgainIsGivenUpAfterItsAttempts() {
        List<String> tried = new ArrayList<>();
        DropReports reports = new DropReports(drop -> {
            tried.add(drop.peerNodeId());
            throw new IllegalStateException("422 peer_node_id");
        });

        for (int look = 0; look < DropReports.ATTEMPTS + 3; look++) {
            reports.reportNew(List.of(PEER + ": it served chunk 4 with SHA-256 00, expected 11"));
        }

        assertThat(tried).hasSize(DropReports.ATTEMPTS);
    }
}
