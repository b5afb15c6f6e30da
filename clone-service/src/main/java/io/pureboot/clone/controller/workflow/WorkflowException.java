package io.pureboot.clone.controller.workflow;

import java.nio.file.Path;

/** A workflow file is missing or invalid: names the file and the reason. */
public final class WorkflowException extends RuntimeException {

    public WorkflowException(Path file, String reason, Throwable cause) {
        super("workflow " + file + ": " + reason, cause);
    }
}
