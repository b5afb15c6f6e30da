package io.pureboot.clone.agent.clone;

import io.pureboot.clone.agent.Cleanup;
import io.pureboot.clone.agent.disk.BlockDevice;
import io.pureboot.clone.agent.disk.BlockDevices;
import io.pureboot.clone.agent.fs.Filesystems;
import io.pureboot.clone.agent.image.CaptureEngine;
import io.pureboot.clone.agent.image.ChunkCodec;
import io.pureboot.clone.agent.image.ChunkLayout;
import io.pureboot.clone.agent.image.ProgressListener;
import io.pureboot.clone.agent.image.RestoreEngine;
import io.pureboot.clone.agent.process.CommandRunner;
import io.pureboot.clone.events.resize.ResizePlan;
import java.nio.file.Path;

/** The agent's capture and restore jobs wired as the commands wire them, for tests on loop devices. */
final class CloneFixture {

    static final ChunkCodec CODEC = ChunkCodec.zstdJni(3);

    private CloneFixture() {
    }

    static SourceCapture.Result capture(BlockDevice disk, Path directory, boolean shrink, int stopAfterChunks) {
        CommandRunner runner = CommandRunner.system();
        try (Cleanup cleanup = new Cleanup()) {
            CaptureEngine.Options engine = CaptureEngine.Options.defaults(CODEC).stoppingAfter(stopAfterChunks);
            return new SourceCapture(BlockDevices.system(), new Filesystems(runner), cleanup).capture(disk, directory,
                    new SourceCapture.Options(shrink, ChunkLayout.DEFAULT_CHUNK_SIZE, engine), phase -> { },
                    ProgressListener.NONE);
        }
    }

    static TargetRestore.Result restore(BlockDevice disk, Path directory, ResizePlan plan, Path stateDirectory,
            int stopAfterChunks) {
        CommandRunner runner = CommandRunner.system();
        RestoreEngine.Options engine = RestoreEngine.Options.defaults(CODEC).stoppingAfter(stopAfterChunks);
        return new TargetRestore(BlockDevices.system(), new Filesystems(runner), runner).restore(disk, directory, plan,
                new TargetRestore.Options(engine, stateDirectory), phase -> { }, ProgressListener.NONE);
    }
}
