package io.pureboot.clone.agent.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pureboot.clone.agent.AgentException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TargetDiskTest {

    private static final int MIB = 1 << 20;

    @TempDir
    Path directory;

    @Test
    void alignedAndUnalignedWritesFromSeveralThreadsLandWhereTheyWereAimed() throws Exception {
        Path file = Files.write(directory.resolve("disk"), new byte[8 * MIB]);
        byte[] expected = new byte[8 * MIB];
        // Whole aligned chunks (direct I/O), a tail of 33 sectors and an odd-sized piece (page cache) side by side.
        long[][] writes = {{0, MIB}, {MIB, 2 * MIB}, {3 * MIB, 33 * 512}, {3 * MIB + 33 * 512, 1000}, {4 * MIB, 4 * MIB}};
        Random random = new Random(7);
        ExecutorService threads = Executors.newFixedThreadPool(3);
        try (TargetDisk disk = TargetDisk.open(file)) {
            Future<?>[] done = new Future<?>[writes.length];
            for (int i = 0; i < writes.length; i++) {
                int offset = (int) writes[i][0];
                byte[] bytes = new byte[(int) writes[i][1]];
                random.nextBytes(bytes);
                System.arraycopy(bytes, 0, expected, offset, bytes.length);
                done[i] = threads.submit(() -> disk.write(offset, bytes, bytes.length));
            }
            for (Future<?> write : done) {
                write.get();
            }
            disk.force(true);
        } finally {
            threads.shutdown();
        }

        assertThat(Arrays.equals(Files.readAllBytes(file), expected)).as("file contents").isTrue();
    }

    @Test
    void aMissingDiskIsNamed() {
        Path missing = directory.resolve("no-such-disk");

        assertThatThrownBy(() -> TargetDisk.open(missing)).isInstanceOf(AgentException.class)
                .hasMessageStartingWith("cannot open " + missing);
    }
}
