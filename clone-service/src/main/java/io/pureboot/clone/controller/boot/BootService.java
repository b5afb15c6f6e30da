package io.pureboot.clone.controller.boot;

import io.pureboot.clone.controller.config.CloneConfig;
import io.pureboot.clone.controller.node.MacAddress;
import io.pureboot.clone.controller.node.Node;
import io.pureboot.clone.controller.session.CloneSession;
import io.pureboot.clone.controller.session.machine.SessionMachine;
import io.pureboot.clone.controller.session.SessionTarget;
import io.pureboot.clone.controller.session.TargetState;
import io.pureboot.clone.controller.workflow.WorkflowCatalog;
import io.pureboot.clone.events.session.CloneMode;
import io.pureboot.clone.nodeapi.AgentMode;
import io.pureboot.clone.nodeapi.NodeRole;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Decides what a booting node does and mints the boot ticket its agent trades for a token. A node's session role wins
 * over a requested inventory; a node with neither boots from its disk, and so does a node whose script would carry a
 * value {@link ScriptValues} refuses (logged with the node, never written into the script).
 */
@ApplicationScoped
public class BootService {

    private static final Logger LOG = Logger.getLogger(BootService.class);
    private static final List<TargetState> TARGET_RUNS = List.of(TargetState.ARMED, TargetState.DOWNLOADING);

    private final CloneConfig.Boot config;
    private final WorkflowCatalog workflows;
    private final BootTickets tickets;

    public BootService(CloneConfig config, WorkflowCatalog workflows, BootTickets tickets) {
        this.config = config.boot();
        this.workflows = workflows;
        this.tickets = tickets;
    }

    /** A setting or workflow that could inject into a script stops clone-service here, not a node later. */
    void checkAtStart(@Observes StartupEvent start) {
        IpxeScripts.check(config, workflows.all());
    }

    /** The script that asks for a node's own script by its MAC address (DHCP's boot file, or embedded in iPXE). */
    public String chainScript() {
        return IpxeScripts.chain(config);
    }

    /** The iPXE script for the node with this MAC address. */
    @WithTransaction
    public Uni<String> script(String mac) {
        String canonical = MacAddress.normalize(mac);
        // A retired node boots like an unknown MAC (its MAC may belong to a newer registration).
        return Node.<Node>find("mac = ?1 and retiredAt is null", canonical).firstResult().chain(node -> {
            if (node == null) {
                return Uni.createFrom().item(IpxeScripts.localDisk(canonical));
            }
            return pendingRole(node).chain(role -> {
                if (role.isEmpty()) {
                    return Uni.createFrom().item(IpxeScripts.localDisk(canonical));
                }
                return tickets.mint(role.get()).map(ticket -> render(node, canonical, role.get(), ticket));
            });
        });
    }

    /** The agent's script, or the local disk's when a value is refused (the unused ticket expires on its own). */
    private String render(Node node, String mac, BootRole role, String ticket) {
        try {
            return IpxeScripts.agent(config, workflows.forMode(role.mode().command()), role, ticket);
        } catch (ScriptValues.UnsafeScriptValue e) {
            LOG.warnf("node %s (%s) boots its local disk instead of %s: its script would carry a refused value: %s",
                    node.id, mac, role.mode().command(), e.getMessage());
            return IpxeScripts.localDisk(mac);
        }
    }

    private Uni<Optional<BootRole>> pendingRole(Node node) {
        // A source boots into its mode again if it restarts while it runs (a direct one while its targets download).
        return CloneSession.<CloneSession>find("sourceNodeId = ?1 and ((mode = ?2 and state in ?3) "
                        + "or (mode = ?4 and state in ?5)) order by createdAt", node.id,
                        CloneMode.STAGED, SessionMachine.sourceRuns(CloneMode.STAGED),
                        CloneMode.DIRECT, SessionMachine.sourceRuns(CloneMode.DIRECT))
                .firstResult()
                .chain(source -> {
                    if (source != null) {
                        return Uni.createFrom().item(Optional.of(new BootRole(node.id, NodeRole.SOURCE,
                                source.id, AgentMode.forClone(NodeRole.SOURCE, source.mode), source.sourceDiskId)));
                    }
                    return SessionTarget.<SessionTarget>find("nodeId = ?1 and state in ?2", node.id, TARGET_RUNS)
                            .firstResult()
                            .chain(target -> target == null
                                    ? Uni.createFrom().item(inventoryRole(node))
                                    : CloneSession.<CloneSession>findById(target.sessionId).map(session -> Optional.of(
                                            new BootRole(node.id, NodeRole.TARGET, session.id,
                                                    AgentMode.forClone(NodeRole.TARGET, session.mode), target.diskId))));
                });
    }

    private static Optional<BootRole> inventoryRole(Node node) {
        return node.inventoryRequested
                ? Optional.of(new BootRole(node.id, NodeRole.INVENTORY, null, AgentMode.INVENTORY, null))
                : Optional.empty();
    }
}
