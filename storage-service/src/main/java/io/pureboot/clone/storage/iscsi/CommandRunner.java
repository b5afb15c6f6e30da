package io.pureboot.clone.storage.iscsi;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Runs a command where the iSCSI target lives: on this host ({@link LocalCommandRunner}) or on the
 * target host over SSH ({@link SshCommandRunner}). Blocks; call it off the event loop.
 */
public interface CommandRunner {

    /**
     * Runs {@code command} (argv, no shell) and waits at most {@code timeout}. A non-zero exit is a
     * result; not being able to run it at all, or the timeout, is an {@link IscsiException}.
     *
     * @param environment variables added to the command's environment (local runs only)
     */
    CommandResult run(List<String> command, Map<String, String> environment, Duration timeout) throws IscsiException;

    default CommandResult run(List<String> command, Duration timeout) throws IscsiException {
        return run(command, Map.of(), timeout);
    }

    /** Where commands run, for messages: "local" or "ssh admin@host:22". */
    String where();
}
