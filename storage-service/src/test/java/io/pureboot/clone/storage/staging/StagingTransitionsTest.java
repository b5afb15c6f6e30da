package io.pureboot.clone.storage.staging;

import static io.pureboot.clone.events.storage.StagingStatus.CLEANUP;
import static io.pureboot.clone.events.storage.StagingStatus.DELETED;
import static io.pureboot.clone.events.storage.StagingStatus.DOWNLOADING;
import static io.pureboot.clone.events.storage.StagingStatus.FAILED;
import static io.pureboot.clone.events.storage.StagingStatus.PENDING;
import static io.pureboot.clone.events.storage.StagingStatus.PROVISIONED;
import static io.pureboot.clone.events.storage.StagingStatus.PROVISIONING;
import static io.pureboot.clone.events.storage.StagingStatus.READY;
import static io.pureboot.clone.events.storage.StagingStatus.UPLOADING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pureboot.clone.events.storage.StagingStatus;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class StagingTransitionsTest {

    private static final UUID SESSION = UUID.fromString("3f2c1a9e-7d7b-4c1e-9a0f-0b7a6e5d4c3b");

    @Test
    void theHappyPathIsAChain() {
        List<StagingStatus> path = List.of(PENDING, PROVISIONING, PROVISIONED, UPLOADING, READY, DOWNLOADING, CLEANUP,
                DELETED);
        for (int i = 1; i < path.size(); i++) {
            assertThat(StagingTransitions.allowed(path.get(i - 1), path.get(i))).as(path.get(i - 1) + " -> " + path.get(i))
                    .isTrue();
        }
    }

    @Test
    void everyLiveStatusMayFailOrBeCleanedUpAndDeletedIsFinal() {
        for (StagingStatus status : List.of(PENDING, PROVISIONING, PROVISIONED, UPLOADING, READY, DOWNLOADING)) {
            assertThat(StagingTransitions.next(status)).contains(FAILED, CLEANUP);
        }
        assertThat(StagingTransitions.next(FAILED)).containsExactly(CLEANUP);
        assertThat(StagingTransitions.next(CLEANUP)).containsExactly(DELETED);
        assertThat(StagingTransitions.next(DELETED)).isEmpty();
    }

    @Test
    void skippingAheadOrGoingBackIsRefusedWithBothStatuses() {
        assertThat(StagingTransitions.allowed(PROVISIONED, READY)).isFalse();
        assertThat(StagingTransitions.allowed(READY, UPLOADING)).isFalse();
        assertThat(StagingTransitions.allowed(DELETED, CLEANUP)).isFalse();
        assertThatThrownBy(() -> StagingTransitions.require(SESSION, PENDING, READY))
                .hasMessage("staging area of session " + SESSION + " cannot go from pending to ready");
    }
}
