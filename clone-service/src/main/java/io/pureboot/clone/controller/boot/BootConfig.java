package io.pureboot.clone.controller.boot;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How nodes boot into the agent. */
@ConfigMapping(prefix = "pureboot.clone.boot")
public interface BootConfig {

    /** The controller URL nodes reach (the one origin), put on the kernel command line as pureboot.server. */
    @WithDefault("http://127.0.0.1:8080")
    String serverUrl();

    /** Where iPXE fetches the deploy kernel. */
    @WithDefault("http://127.0.0.1:8080/boot/pureboot-vmlinuz")
    String kernelUrl();

    /** Where iPXE fetches the deploy initrd (the agent's boot image). */
    @WithDefault("http://127.0.0.1:8080/boot/pureboot-initrd.img")
    String initrdUrl();

    /** Further kernel arguments for the deploy kernel. */
    @WithDefault("ip=dhcp console=tty0 console=ttyS0,115200")
    String kernelArguments();

    /** How long a node token lives at most; it dies earlier with its session. */
    @WithDefault("PT12H")
    Duration tokenLifetime();
}
