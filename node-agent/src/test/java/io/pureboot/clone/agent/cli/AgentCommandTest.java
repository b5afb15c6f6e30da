package io.pureboot.clone.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pureboot.clone.nodeapi.AgentMode;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Exit codes and one-line messages that need no disk and no root. */
class AgentCommandTest {

    @Test
    void aMissingServerIsAConfigurationError() {
        StagedModesCommandTest.Run run = StagedModesCommandTest.execute("clone-source-staged", "--cmdline",
                "/nonexistent");

        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.err()).isEqualTo("pureboot-agent: configuration: no server: give --server or "
                + "pureboot.server=\n");
    }

    @Test
    void directModesNeedAServerToo() {
        for (String mode : new String[] {"clone-source-direct", "clone-target-direct"}) {
            StagedModesCommandTest.Run run = StagedModesCommandTest.execute(mode, "--cmdline", "/nonexistent");

            assertThat(run.exitCode()).as(mode).isEqualTo(3);
            assertThat(run.err()).isEqualTo("pureboot-agent: configuration: no server: give --server or "
                    + "pureboot.server=\n");
        }
    }

    @Test
    void theCommandsAreExactlyTheContractsAgentModes() {
        assertThat(new CommandLine(new AgentCommand()).getSubcommands().keySet()).containsExactlyInAnyOrderElementsOf(
                Arrays.stream(AgentMode.values()).map(AgentMode::command).toList());
    }

    @Test
    void anUnknownModeIsAUsageError() {
        assertThat(StagedModesCommandTest.execute("clone-everything").exitCode()).isEqualTo(2);
        assertThat(StagedModesCommandTest.execute().exitCode()).isEqualTo(2);
    }

    @Test
    void kernelCommandLineSettingsAreReadWithQuotes() {
        Map<String, String> settings = KernelCommandLine.parse("BOOT_IMAGE=/vmlinuz pureboot.server=http://10.0.0.1:8080 "
                + "quiet pureboot.token=\"a b\" pureboot.=x pureboot.mode=clone-target-staged ip=dhcp");

        assertThat(settings).containsExactly(Map.entry("server", "http://10.0.0.1:8080"), Map.entry("token", "a b"),
                Map.entry("mode", "clone-target-staged"));
    }
}
