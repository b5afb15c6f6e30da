package io.pureboot.clone.controller.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.pureboot.clone.controller.config.CloneConfig;
import io.pureboot.clone.controller.workflow.Workflow;
import io.pureboot.clone.controller.workflow.WorkflowLoader;
import io.pureboot.clone.nodeapi.AgentMode;
import io.pureboot.clone.nodeapi.NodeRole;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scripts as rendered from the workflows: a workflow edit shows in what a node boots. */
class IpxeScriptsTest {

    private static final UUID SESSION = UUID.fromString("8d7c6b5a-0000-4000-8000-000000000001");
    private static final BootRole TARGET = new BootRole(UUID.randomUUID(), "db-08", NodeRole.TARGET, SESSION,
            AgentMode.CLONE_TARGET_STAGED, "SERIAL-T1");

    @TempDir
    Path directory;

    @Test
    void theTargetScriptTriesThreeTimesThenGivesTheNodeBack() {
        Workflow workflow = WorkflowLoader.load(Path.of("..", "workflows")).get("clone-target-staged");

        String script = IpxeScripts.agent(config(3, ""), workflow, TARGET, "pbn_token");

        String kernel = "kernel --name vmlinuz http://ctl:8080/boot/pureboot-vmlinuz initrd=initrd.img "
                + "console=tty0 console=ttyS0,115200 quiet pureboot.network_timeout=60 pureboot.disk_timeout=60 "
                + "pureboot.after=reboot pureboot.after_failure=shell pureboot.server=http://ctl:8080 "
                + "pureboot.session=" + SESSION + " pureboot.mode=clone-target-staged pureboot.disk=SERIAL-T1 "
                + "pureboot.token=pbn_token && initrd --name initrd.img http://ctl:8080/boot/pureboot-initrd.img && boot ||\n";
        assertThat(script).isEqualTo("#!ipxe\n# PureBoot Clone: node db-08 boots into clone-target-staged\n"
                + kernel
                + "sleep 5 ||\nimgfree vmlinuz ||\nimgfree initrd.img ||\n" + kernel
                + "sleep 5 ||\nimgfree vmlinuz ||\nimgfree initrd.img ||\n" + kernel
                + "echo PureBoot Clone: could not load the boot image from http://ctl:8080/boot, leaving the node to its "
                + "firmware\nexit\n");
    }

    @Test
    void editingTheWorkflowChangesWhatTheNodeBoots() throws IOException {
        for (String mode : WorkflowLoader.MODES) {
            Files.copy(Path.of("..", "workflows", mode + ".yaml"), directory.resolve(mode + ".yaml"));
        }
        Path file = directory.resolve("clone-target-staged.yaml");
        Files.writeString(file, Files.readString(file)
                .replace("initrd: pureboot-initrd.img", "initrd: pureboot-initrd-v2.img")
                .replace("disks: PT1M", "disks: PT5M")
                .replace("success: reboot", "success: poweroff")
                .replace("quiet", "quiet pureboot.workers=2"));
        Workflow edited = WorkflowLoader.load(directory).get("clone-target-staged");

        String script = IpxeScripts.agent(config(1, "console=ttyS1"), edited, TARGET, "pbn_token");

        assertThat(script)
                .contains("initrd --name initrd.img http://ctl:8080/boot/pureboot-initrd-v2.img && boot ||\n")
                .contains(" quiet pureboot.workers=2 console=ttyS1 pureboot.network_timeout=60 pureboot.disk_timeout=300 ")
                .contains(" pureboot.after=poweroff ")
                .doesNotContain("sleep 5");
    }

    @Test
    void aDirectSourceServesAsLongAsItsWorkflowSays() {
        Workflow workflow = WorkflowLoader.load(Path.of("..", "workflows")).get("clone-source-direct");
        BootRole source = new BootRole(UUID.randomUUID(), "db-07", NodeRole.SOURCE, SESSION, AgentMode.CLONE_SOURCE_DIRECT,
                "SERIAL-S");

        assertThat(IpxeScripts.agent(config(1, ""), workflow, source, "pbn_token"))
                .contains(" pureboot.direct_timeout=720 ");
    }

    @Test
    void theChainScriptAsksByMacWithBoundedRetries() {
        assertThat(IpxeScripts.chain(config(2, ""))).isEqualTo("""
                #!ipxe
                # PureBoot Clone: ask the controller what this node boots
                chain --replace --autofree http://ctl:8080/api/v1/boot/ipxe?mac=${net0/mac} ||
                sleep 5 ||
                chain --replace --autofree http://ctl:8080/api/v1/boot/ipxe?mac=${net0/mac} ||
                echo PureBoot Clone: no answer from http://ctl:8080, leaving the node to its firmware
                exit
                """);
    }

    private static CloneConfig.Boot config(int attempts, String siteArguments) {
        return new CloneConfig.Boot() {
            @Override
            public String serverUrl() {
                return "http://ctl:8080";
            }

            @Override
            public String filesUrl() {
                return "http://ctl:8080/boot";
            }

            @Override
            public Optional<String> kernelArguments() {
                return Optional.of(siteArguments);
            }

            @Override
            public int fetchAttempts() {
                return attempts;
            }

            @Override
            public Duration tokenLifetime() {
                return Duration.ofHours(1);
            }
        };
    }
}
