package io.pureboot.clone.storage.staging;

/** Work a staging area is waiting for; a worker carries it out off the event loop. */
public enum StagingAction {
    /** Create the directory or the target, LUN, backing file and file system. */
    PROVISION,
    /** The upload is done: make the LUN read-only, then the area is ready. */
    SEAL,
    /** Remove the directory tree, or the target, account, LUN and backing file. */
    CLEANUP
}
