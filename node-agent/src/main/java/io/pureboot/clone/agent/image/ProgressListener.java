package io.pureboot.clone.agent.image;

/** Told how far a pipeline is, in bytes of the disk (skipped ranges count as done). */
@FunctionalInterface
public interface ProgressListener {

    ProgressListener NONE = (done, total) -> { };

    void progress(long bytesDone, long bytesTotal);
}
