package io.pureboot.clone.controller.session.machine;

/** What applying a decision must do besides writing the new state, in the same transaction. */
public sealed interface Effect {

    /** The session ended: its node tokens die and the end is announced, which releases the staging area. */
    record Ended(io.pureboot.clone.controller.session.SessionState state, String reason) implements Effect {
    }

    /** A staged session started: storage-service is asked for a staging area this large. */
    record StagingRequested(long sizeBytes) implements Effect {
    }

    /** The source's image is complete: announced once. */
    record SourceImageCompleted(String manifestSha256) implements Effect {
    }
}
