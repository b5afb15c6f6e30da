package io.pureboot.clone.controller.boot;

import io.pureboot.clone.controller.config.CloneConfig;
import io.pureboot.clone.controller.node.MacAddress;
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
    private static final String CA_IMAGE = "ca.img";

    private IpxeScripts() {
    }

    /** The script DHCP (or an embedded iPXE script) points at: asks the controller for this node's own script. */
    public static String chain(CloneConfig.Boot config) {
        String server = ScriptValues.url("pureboot.clone.boot.server-url", config.serverUrl());
        // the one ${...} of any script, written here and never taken from a stored value
        String url = server + "/api/v1/boot/ipxe?mac=${net0/mac}";
        StringBuilder script = new StringBuilder("#!ipxe\n# PureBoot Clone: ask the controller what this node boots\n");
        for (int attempt = 1; attempt <= attempts(config); attempt++) {
            if (attempt > 1) {
                script.append("sleep 5 ||\n");
            }
            script.append("chain --replace --autofree ").append(url).append(" ||\n");
        }
        return script.append("echo PureBoot Clone: no answer from ").append(server)
                .append(", leaving the node to its firmware\nexit\n").toString();
    }

    /**
     * Boots the workflow's kernel and initrd into the agent, with its settings on the kernel command line. Every value
     * passes {@link ScriptValues} first; the node's name is not written at all. The ticket is one use only
     * ({@link BootTickets}): a script read by someone else is worth nothing once the node has booted with it.
     *
     * @throws ScriptValues.UnsafeScriptValue when a value could add a line, an expansion or a kernel argument
     */
    public static String agent(CloneConfig.Boot config, Workflow workflow, BootRole role, String ticket) {
        String filesUrl = ScriptValues.url("pureboot.clone.boot.files-url", config.filesUrl());
        String agentUrl = ScriptValues.url("pureboot.clone.boot.agent-url", agentUrl(config));
        StringJoiner command = new StringJoiner(" ");
        command.add("kernel --name " + KERNEL_IMAGE).add(fileUrl(filesUrl, workflow.boot().kernel()))
                .add("initrd=" + INITRD_IMAGE);
        if (config.caInitrd().isPresent()) {
            command.add("initrd=" + CA_IMAGE);
        }
        addIfPresent(command, ScriptValues.kernelArguments("workflow " + workflow.mode() + " boot.kernel_arguments",
                workflow.boot().kernelArguments()));
        addIfPresent(command, ScriptValues.kernelArguments("pureboot.clone.boot.kernel-arguments",
                config.kernelArguments().orElse("")));
        Workflow.Deadlines deadlines = workflow.deadlines();
        command.add("pureboot.network_timeout=" + deadlines.network().toSeconds());
        command.add("pureboot.disk_timeout=" + deadlines.disks().toSeconds());
        if (deadlines.serve() != null) {
            // the agent's --direct-timeout is in minutes
            command.add("pureboot.direct_timeout=" + Math.max(1, deadlines.serve().toMinutes()));
        }
        command.add("pureboot.after=" + workflow.after().success().commandLineValue());
        command.add("pureboot.after_failure=" + workflow.after().failure().commandLineValue());
        command.add("pureboot.server=" + agentUrl);
        if (role.sessionId() != null) {
            command.add("pureboot.session=" + role.sessionId());
        }
        command.add("pureboot.mode=" + role.mode().command());
        if (role.diskId() != null) {
            command.add("pureboot.disk=" + ScriptValues.diskId(role.diskId()));
        }
        command.add("pureboot.ticket=" + BootTickets.requireWellFormed(ticket));
        StringBuilder initrd = new StringBuilder("initrd --name " + INITRD_IMAGE + " "
                + fileUrl(filesUrl, workflow.boot().initrd()));
        config.caInitrd().ifPresent(file -> initrd.append(" && initrd --name " + CA_IMAGE + " ")
                .append(fileUrl(filesUrl, file)));

        StringBuilder script = new StringBuilder("#!ipxe\n# PureBoot Clone: boots into " + role.mode().command() + "\n");
        for (int attempt = 1; attempt <= attempts(config); attempt++) {
            if (attempt > 1) {
                script.append("sleep 5 ||\nimgfree " + KERNEL_IMAGE + " ||\nimgfree " + INITRD_IMAGE + " ||\n");
                if (config.caInitrd().isPresent()) {
                    script.append("imgfree " + CA_IMAGE + " ||\n");
                }
            }
            script.append(command).append(" && ").append(initrd).append(" && boot ||\n");
        }
        return script.append("echo PureBoot Clone: could not load the boot image from ").append(filesUrl)
                .append(", leaving the node to its firmware\nexit\n").toString();
    }

    /** Nothing pending: hand over to the first local disk (BIOS), or back to the firmware's next boot entry (UEFI). */
    public static String localDisk(String mac) {
        return "#!ipxe\n"
                + "# PureBoot Clone: nothing pending for " + MacAddress.normalize(requireMac(mac))
                + ", booting from the local disk\n"
                + "sanboot --no-describe --drive 0x80 || exit\n";
    }

    /** Checks every setting a script is made from, so that a bad one stops clone-service at start, not a node later. */
    public static void check(CloneConfig.Boot config, Iterable<Workflow> workflows) {
        ScriptValues.url("pureboot.clone.boot.server-url", config.serverUrl());
        ScriptValues.url("pureboot.clone.boot.files-url", config.filesUrl());
        ScriptValues.url("pureboot.clone.boot.agent-url", agentUrl(config));
        ScriptValues.kernelArguments("pureboot.clone.boot.kernel-arguments", config.kernelArguments().orElse(""));
        config.caInitrd().ifPresent(file -> {
            if (!file.matches("[A-Za-z0-9._-]+")) {
                throw new ScriptValues.UnsafeScriptValue("pureboot.clone.boot.ca-initrd",
                        "must be a plain file name (letters, digits, . _ -), not " + ScriptValues.quoted(file));
            }
        });
        for (Workflow workflow : workflows) {
            ScriptValues.kernelArguments("workflow " + workflow.mode() + " boot.kernel_arguments",
                    workflow.boot().kernelArguments());
        }
    }

    /** The URL the agent calls: the HTTPS one when set, else the one iPXE uses. */
    static String agentUrl(CloneConfig.Boot config) {
        return config.agentUrl().filter(url -> !url.isBlank()).orElse(config.serverUrl());
    }

    private static String requireMac(String mac) {
        if (!MacAddress.isValid(mac)) {
            throw new ScriptValues.UnsafeScriptValue("mac", "must be a MAC address, not " + ScriptValues.quoted(mac));
        }
        return mac;
    }

    private static int attempts(CloneConfig.Boot config) {
        return Math.max(1, config.fetchAttempts());
    }

    private static String fileUrl(String base, String file) {
        return (base.endsWith("/") ? base : base + "/") + file;
    }

    private static void addIfPresent(StringJoiner command, String arguments) {
        if (arguments != null && !arguments.isBlank()) {
            command.add(arguments.strip());
        }
    }
}
