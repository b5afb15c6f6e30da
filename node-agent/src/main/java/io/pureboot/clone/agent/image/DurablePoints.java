package io.pureboot.clone.agent.image;

import static java.util.Objects.requireNonNull;

import io.pureboot.clone.agent.AgentException;
import io.pureboot.clone.agent.FailureKind;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Makes a restore's written chunks durable in the background: fsync the target, then journal how far it got. Run on
 * the writing thread, each fsync would stop decompression until the disk had taken everything written so far, so
 * restore time would be decompression plus write-back; in the background the disk writes back while later chunks
 * decompress, and only the tail is waited for at the end. A point asked for while the previous one still runs is
 * skipped: the next one covers it.
 */
final class DurablePoints implements AutoCloseable {

    private final TargetDisk target;
    private final RestoreJournal journal;
    private final ExecutorService flusher = Executors.newSingleThreadExecutor(CaptureEngine.daemon("restore-fsync"));
    private CompletableFuture<Void> running = CompletableFuture.completedFuture(null);

    DurablePoints(TargetDisk target, RestoreJournal journal) {
        this.target = requireNonNull(target, "target is null");
        this.journal = requireNonNull(journal, "journal is null");
    }

    /**
     * Asks for every chunk before {@code next} (all already written) to become durable and journaled. Answers false
     * when the previous point is still being made and this one was skipped; a failed earlier point is thrown here.
     */
    boolean request(int next) {
        if (!running.isDone()) {
            return false;
        }
        awaitRunning();
        running = CompletableFuture.runAsync(() -> makeDurable(next, false), flusher);
        return true;
    }

    /** Makes every chunk before {@code next} durable and journaled before returning. */
    void now(int next, boolean metadata) {
        awaitRunning();
        makeDurable(next, metadata);
    }

    private void makeDurable(int next, boolean metadata) {
        try {
            target.force(metadata);
        } catch (IOException e) {
            throw new AgentException(FailureKind.DISK, "cannot flush " + target.name() + ": " + e.getMessage(), e);
        }
        journal.record(next);
    }

    private void awaitRunning() {
        try {
            running.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw e;
        }
    }

    /** Waits for a point still being made (the journal must not be closed under it), without throwing its failure. */
    @Override
    public void close() {
        flusher.shutdown();
        try {
            if (!flusher.awaitTermination(10, TimeUnit.MINUTES)) {
                throw new AgentException(FailureKind.DISK, "flushing " + target.name() + " did not end in 10 minutes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
