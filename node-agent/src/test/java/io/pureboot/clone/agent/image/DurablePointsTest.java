package io.pureboot.clone.agent.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pureboot.clone.agent.AgentException;
import io.pureboot.clone.agent.FailureKind;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurablePointsTest {

    @TempDir
    Path directory;

    @Test
    void aRequestedPointIsJournaledOnceTheTargetIsFlushedAndTheFinalPointWaitsForIt() throws Exception {
        Path journalFile = directory.resolve("restore.journal");
        Path disk = Files.createFile(directory.resolve("disk"));
        try (TargetDisk target = TargetDisk.open(disk);
             RestoreJournal journal = RestoreJournal.open(journalFile, "fingerprint");
             DurablePoints durable = new DurablePoints(target, journal)) {
            assertThat(durable.request(64)).isTrue();
            durable.now(100, true);
        }

        assertThat(Files.readAllLines(journalFile)).containsSubsequence("next 0", "next 64", "next 100");
        assertThat(RestoreJournal.open(journalFile, "fingerprint").next()).isEqualTo(100);
    }

    @Test
    void aFailedFlushIsNeverJournaledAndIsReportedAtTheNextPoint() throws Exception {
        Path journalFile = directory.resolve("restore.journal");
        Path disk = Files.createFile(directory.resolve("disk"));
        TargetDisk target = TargetDisk.open(disk);
        target.close();
        try (RestoreJournal journal = RestoreJournal.open(journalFile, "fingerprint");
             DurablePoints durable = new DurablePoints(target, journal)) {
            durable.request(64);

            assertThatThrownBy(() -> durable.now(100, true)).isInstanceOf(AgentException.class)
                    .hasMessageStartingWith("cannot flush " + disk)
                    .satisfies(failure -> assertThat(((AgentException) failure).kind()).isEqualTo(FailureKind.DISK));
        }

        assertThat(RestoreJournal.open(journalFile, "fingerprint").next()).isZero();
    }
}
