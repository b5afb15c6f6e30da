package io.pureboot.clone.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CleanupTest {

    @Test
    void undoesInReverseOrderOnceEvenWhenAStepFails() {
        List<String> done = new ArrayList<>();
        Cleanup cleanup = new Cleanup();
        cleanup.push("logout", () -> done.add("logout"));
        cleanup.push("unmount", () -> {
            done.add("unmount");
            throw new IllegalStateException("busy");
        });
        cleanup.push("remove directory", () -> done.add("remove directory"));

        cleanup.close();
        cleanup.close();

        assertThat(done).containsExactly("remove directory", "unmount", "logout");
        assertThat(cleanup.size()).isZero();
    }

    @Test
    void releasesThePartRegisteredSinceASizeAndKeepsTheRest() {
        List<String> done = new ArrayList<>();
        Cleanup cleanup = new Cleanup();
        cleanup.push("stop server", () -> done.add("stop server"));
        int beforeStaging = cleanup.size();
        cleanup.push("logout", () -> done.add("logout"));
        cleanup.push("unmount", () -> done.add("unmount"));

        cleanup.releaseTo(beforeStaging);

        assertThat(done).containsExactly("unmount", "logout");
        assertThat(cleanup.size()).isEqualTo(1);
        cleanup.close();
        assertThat(done).containsExactly("unmount", "logout", "stop server");
    }
}
