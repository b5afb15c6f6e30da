package io.pureboot.clone.controller.boot;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** How nodes boot into the agent. What differs per mode (image, arguments, deadlines, after) is in workflows/. */
@ConfigMapping(prefix = "pureboot.clone.boot")
public interface BootConfig {

    /** The controller URL nodes reach (the one origin), put on the kernel command line as pureboot.server. */
    @WithDefault("http://127.0.0.1:8080")
    String serverUrl();

    /** Where iPXE fetches boot files (a workflow's kernel and initrd names are resolved under it). */
    @WithDefault("http://127.0.0.1:8080/boot")
    String filesUrl();

    /** Site-wide kernel arguments added after the workflow's (e.g. a serial console, pureboot.java_opts). */
    Optional<String> kernelArguments();

    /** How often iPXE tries to fetch a script or the boot files before it gives the node back to its firmware. */
    @WithDefault("3")
    int fetchAttempts();

    /** How long a node token lives at most; it dies earlier with its session. */
    @WithDefault("PT12H")
    Duration tokenLifetime();
}
