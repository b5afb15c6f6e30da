package io.pureboot.clone.controller.boot;

import io.pureboot.clone.controller.config.CloneConfig;
import io.pureboot.clone.controller.workflow.Workflow;
import java.util.StringJoiner;

/**
 * Renders the iPXE scripts nodes boot with. Pure text, so that tests can check every byte.
 *
 * <p>Every fetch is tried {@link CloneConfig.Boot#fetchAttempts()} times, 5 s apart, then the node is handed back to its
 * firmware ({@code exit}): a bounded loop, never a node spinning on a dead controller. Images are named so that a retry
 * frees exactly what the failed attempt loaded; a chained script replaces the one that chained it
 * ({@code --replace --autofree}), or BIOS iPXE would hand the old script to Linux as an extra initrd.
 */
public final class IpxeScripts {

    private static final String KERNEL_IMAGE = "vmlinuz";
    private static final String INITRD_IMAGE = "initrd.img";

    private IpxeScripts() {
    }

    /** The script DHCP (or an embedded iPXE script) points at: asks the controller for this node's own script. */
    public static String chain(CloneConfig.Boot config) {
        String url = config.serverUrl() + "/api/v1/boot/ipxe?mac=${net0/mac}";
        StringBuilder script = new StringBuilder("#!ipxe\n# PureBoot Clone: ask the controller what this node boots\n");
        for (int attempt = 1; attempt <= attempts(config); attempt++) {
            if (attempt > 1) {
                script.append("sleep 5 ||\n");
            }
            script.append("chain --replace --autofree ").append(url).append(" ||\n");
        }
        return script.append("echo PureBoot Clone: no answer from ").append(config.serverUrl())
                .append(", leaving the node to its firmware\nexit\n").toString();
    }

    /** Boots the workflow's kernel and initrd into the agent, with its settings on the kernel command line. */
    public static String agent(CloneConfig.Boot config, Workflow workflow, BootRole role, String token) {
        StringJoiner command = new StringJoiner(" ");
        command.add("kernel --name " + KERNEL_IMAGE).add(fileUrl(config, workflow.boot().kernel()))
                .add("initrd=" + INITRD_IMAGE);
        addIfPresent(command, workflow.boot().kernelArguments());
        addIfPresent(command, config.kernelArguments().orElse(""));
        Workflow.Deadlines deadlines = workflow.deadlines();
        command.add("pureboot.network_timeout=" + deadlines.network().toSeconds());
        command.add("pureboot.disk_timeout=" + deadlines.disks().toSeconds());
        if (deadlines.serve() != null) {
            // the agent's --direct-timeout is in minutes
            command.add("pureboot.direct_timeout=" + Math.max(1, deadlines.serve().toMinutes()));
        }
        command.add("pureboot.after=" + workflow.after().success().commandLineValue());
        command.add("pureboot.after_failure=" + workflow.after().failure().commandLineValue());
        command.add("pureboot.server=" + config.serverUrl());
        if (role.sessionId() != null) {
            command.add("pureboot.session=" + role.sessionId());
        }
        command.add("pureboot.mode=" + role.mode().command());
        if (role.diskId() != null) {
            command.add("pureboot.disk=" + role.diskId());
        }
        command.add("pureboot.token=" + token);
        String initrd = "initrd --name " + INITRD_IMAGE + " " + fileUrl(config, workflow.boot().initrd());

        StringBuilder script = new StringBuilder("#!ipxe\n# PureBoot Clone: node " + role.nodeName() + " boots into "
                + role.mode().command() + "\n");
        for (int attempt = 1; attempt <= attempts(config); attempt++) {
            if (attempt > 1) {
                script.append("sleep 5 ||\nimgfree " + KERNEL_IMAGE + " ||\nimgfree " + INITRD_IMAGE + " ||\n");
            }
            script.append(command).append(" && ").append(initrd).append(" && boot ||\n");
        }
        return script.append("echo PureBoot Clone: could not load the boot image from ").append(config.filesUrl())
                .append(", leaving the node to its firmware\nexit\n").toString();
    }

    /** Nothing pending: hand over to the first local disk (BIOS), or back to the firmware's next boot entry (UEFI). */
    public static String localDisk(String mac) {
        return "#!ipxe\n"
                + "# PureBoot Clone: nothing pending for " + mac + ", booting from the local disk\n"
                + "sanboot --no-describe --drive 0x80 || exit\n";
    }

    private static int attempts(CloneConfig.Boot config) {
        return Math.max(1, config.fetchAttempts());
    }

    private static String fileUrl(CloneConfig.Boot config, String file) {
        String base = config.filesUrl();
        return (base.endsWith("/") ? base : base + "/") + file;
    }

    private static void addIfPresent(StringJoiner command, String arguments) {
        if (arguments != null && !arguments.isBlank()) {
            command.add(arguments.strip());
        }
    }
}
