package io.pureboot.clone.controller.boot;

import io.pureboot.clone.controller.config.CloneConfig;
import java.util.StringJoiner;

/** Renders the iPXE scripts nodes boot with. Pure text, so that tests can check every byte. */
public final class IpxeScripts {

    private IpxeScripts() {
    }

    /** Boots the deploy kernel into the agent with its settings on the kernel command line. */
    public static String agent(CloneConfig.Boot config, BootRole role, String token) {
        StringJoiner command = new StringJoiner(" ");
        command.add("kernel").add(config.kernelUrl()).add("initrd=pureboot-initrd.img");
        if (!config.kernelArguments().isBlank()) {
            command.add(config.kernelArguments().strip());
        }
        command.add("pureboot.server=" + config.serverUrl());
        if (role.sessionId() != null) {
            command.add("pureboot.session=" + role.sessionId());
        }
        command.add("pureboot.mode=" + role.mode().command());
        if (role.diskId() != null) {
            command.add("pureboot.disk=" + role.diskId());
        }
        command.add("pureboot.token=" + token);
        return "#!ipxe\n"
                + "# PureBoot Clone: node " + role.nodeName() + " boots into " + role.mode().command() + "\n"
                + command + "\n"
                + "initrd " + config.initrdUrl() + "\n"
                + "boot\n";
    }

    /** Nothing pending: hand over to the first local disk. */
    public static String localDisk(String mac) {
        return "#!ipxe\n"
                + "# PureBoot Clone: nothing pending for " + mac + ", booting from the local disk\n"
                + "sanboot --no-describe --drive 0x80 || exit\n";
    }
}
