package io.pureboot.clone.agent.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pureboot.clone.agent.AgentException;
import io.pureboot.clone.agent.FailureKind;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurablePointsTest {

    @TempDir
    Path directory;

    @Test
    void aRequestedPointIsJournaledOnceTheTargetIsFlushedAndTheFinalPointWaitsForIt() throws Exception {
        Path journalFile = directory.resolve("restore.journal");
        try (FileChannel target = FileChannel.open(directory.resolve("disk"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
             RestoreJournal journal = RestoreJournal.open(journalFile, "fingerprint");
             DurablePoints durable = new DurablePoints(target, "disk", journal)) {
            assertThat(durable.request(64)).isTrue();
            durable.now(100, true);
        }

        assertThat(Files.readAllLines(journalFile)).containsSubsequence("next 0", "next 64", "next 100");
        assertThat(RestoreJournal.open(journalFile, "fingerprint").next()).isEqualTo(100);
    }

    @Test
    void aFailedFlushIsNeverJournaledAndIsReportedAtTheNextPoint() throws Exception {
        Path journalFile = directory.resolve("restore.journal");
        FileChannel target = FileChannel.open(directory.resolve("disk"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        target.close();
        try (RestoreJournal journal = RestoreJournal.open(journalFile, "fingerprint");
             DurablePoints durable = new DurablePoints(target, "/dev/loop9", journal)) {
            durable.request(64);

            assertThatThrownBy(() -> durable.now(100, true)).isInstanceOf(AgentException.class)
                    .hasMessageStartingWith("cannot flush /dev/loop9")
                    .satisfies(failure -> assertThat(((AgentException) failure).kind()).isEqualTo(FailureKind.DISK));
        }

        assertThat(RestoreJournal.open(journalFile, "fingerprint").next()).isZero();
    }
}
