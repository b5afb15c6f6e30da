package io.pureboot.clone.controller.workflow;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;

/** Where the workflow files live. */
@ConfigMapping(prefix = "pureboot.clone.workflows")
public interface WorkflowConfig {

    /** The directory holding one {@code <mode>.yaml} per agent mode (the repository's {@code workflows/}). */
    @WithDefault("workflows")
    Path directory();
}
