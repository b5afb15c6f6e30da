package io.pureboot.clone.agent.cli;

import static java.util.Objects.requireNonNull;

import io.pureboot.clone.agent.AgentException;
import io.pureboot.clone.agent.Cleanup;
import io.pureboot.clone.agent.FailureKind;
import io.pureboot.clone.agent.disk.BlockDevices;
import io.pureboot.clone.agent.fs.Filesystems;
import io.pureboot.clone.agent.process.CommandRunner;
import io.pureboot.clone.agent.report.ControllerTls;
import io.pureboot.clone.agent.report.NodeApiClient;
import io.pureboot.clone.agent.staging.StagingAccess;
import io.pureboot.clone.nodeapi.FailureReport;
import io.pureboot.clone.nodeapi.Instructions;
import io.pureboot.clone.nodeapi.NodeRole;
import io.pureboot.clone.nodeapi.StagingGrant;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;

/**
 * One run of a mode: the services it uses, the cleanup stack (undone on return, on exception and on SIGTERM through a
 * shutdown hook), and failure reporting to the clone-service.
 */
final class NodeRun implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(NodeRun.class.getName());

    private final NodeOptions options;
    private final Cleanup cleanup = new Cleanup();
    private final Thread shutdownHook;
    private final CommandRunner runner = CommandRunner.system();
    private final BlockDevices devices = BlockDevices.system();
    private final Filesystems filesystems = new Filesystems(runner);
    private NodeApiClient client;

    NodeRun(NodeOptions options) {
        this.options = requireNonNull(options, "options is null");
        Logging.configure(options.verbose);
        this.shutdownHook = new Thread(cleanup::close, "pureboot-cleanup");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    NodeOptions options() {
        return options;
    }

    Cleanup cleanup() {
        return cleanup;
    }

    CommandRunner runner() {
        return runner;
    }

    BlockDevices devices() {
        return devices;
    }

    Filesystems filesystems() {
        return filesystems;
    }

    NodeApiClient client() {
        if (client == null) {
            client = connect();
        }
        return client;
    }

    /**
     * The client with the node token: given (--token, tests and development), kept from this boot's exchange (the
     * agent ran before in this boot: its ticket is used), or traded for the ticket now and kept.
     */
    private NodeApiClient connect() {
        URI server = options.server();
        SSLContext tls = null;
        if ("https".equals(server.getScheme())) {
            String ca = options.ca();
            if (ca == null) {
                throw new AgentException(FailureKind.CONFIGURATION, "an https server needs the controller's CA: give "
                        + "--ca or pureboot.ca= (the boot image's is /etc/pureboot/ca.pem, from the CA initrd)");
            }
            tls = NodeOptions.SYSTEM_CA.equals(ca) ? null : ControllerTls.pinned(Path.of(ca));
        }
        String token = options.token();
        if (token != null) {
            return NodeApiClient.create(server, token, tls);
        }
        String ticket = options.ticket();
        if (ticket == null) {
            throw new AgentException(FailureKind.CONFIGURATION,
                    "no boot ticket: give --ticket or pureboot.ticket= (or --token for tests)");
        }
        TicketTokens kept = new TicketTokens(options.tokenDirectory());
        Optional<String> earlier = kept.tokenFor(ticket);
        if (earlier.isPresent()) {
            LOG.info("using the node token traded for this boot's ticket earlier");
            return NodeApiClient.create(server, earlier.get(), tls);
        }
        NodeApiClient traded = NodeApiClient.withTicket(server, ticket, tls);
        kept.keep(ticket, traded.token());
        return traded;
    }

    /** The instructions, checking that this node has the role the mode needs. */
    Instructions instructions(NodeRole role) {
        Instructions instructions = client().instructions();
        if (instructions.role() != role) {
            throw new AgentException(FailureKind.CONFIGURATION, "this mode runs on a " + role.jsonName()
                    + " but the clone-service says this node is a " + instructions.role().jsonName());
        }
        return instructions;
    }

    /** The session's staging directory: pre-mounted when configured, else NFS or iSCSI as the service says. */
    Path stagingDirectory(NodeRole role) {
        StagingGrant staging = client().staging();
        StagingAccess access = StagingAccess.system(runner, cleanup);
        Path preMounted = options.stagingDirectory();
        if (preMounted != null) {
            return access.preMounted(preMounted, staging.stagingPath(), role);
        }
        return switch (staging.backendType()) {
            case NFS -> access.nfs(staging.nfs(), staging.stagingPath(), role);
            case ISCSI -> access.iscsi(staging.iscsi(), staging.stagingPath(), role);
        };
    }

    /** Runs the mode's work; a failure is reported to the clone-service (best effort) and rethrown. */
    int reportingFailures(Callable<Integer> work) throws Exception {
        try {
            return work.call();
        } catch (AgentException e) {
            reportFailure(e.kind(), e.getMessage());
            throw e;
        } catch (RuntimeException e) {
            reportFailure(FailureKind.INTERNAL, e.getClass().getSimpleName() + ": " + e.getMessage());
            throw e;
        }
    }

    private void reportFailure(FailureKind kind, String message) {
        if (kind == FailureKind.SERVER || kind == FailureKind.CONFIGURATION) {
            return;
        }
        try {
            client().failed(new FailureReport(kind.code(), FailureHandler.oneLine(message)));
        } catch (AgentException e) {
            LOG.log(Level.WARNING, "could not report the failure to the clone-service: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        cleanup.close();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down; the hook runs the (now empty) cleanup
        }
    }
}
