package io.pureboot.clone.controller.boot;

import io.pureboot.clone.controller.config.CloneConfig;
import io.pureboot.clone.controller.node.MacAddress;
import io.pureboot.clone.controller.node.Node;
import io.pureboot.clone.controller.security.NodeToken;
import io.pureboot.clone.controller.security.Secrets;
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
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Decides what a booting node does and mints the token it will use. A node's session role wins
 * over a requested inventory; a node with neither boots from its disk.
 */
@ApplicationScoped
public class BootService {

    private static final List<TargetState> TARGET_RUNS = List.of(TargetState.ARMED, TargetState.DOWNLOADING);

    private final CloneConfig.Boot config;
    private final WorkflowCatalog workflows;
    private final Clock clock;

    public BootService(CloneConfig config, WorkflowCatalog workflows, Clock clock) {
        this.config = config.boot();
        this.workflows = workflows;
        this.clock = clock;
    }

    /** The script that asks for a node's own script by its MAC address (DHCP's boot file, or embedded in iPXE). */
    public String chainScript() {
        return IpxeScripts.chain(config);
    }

    /** The iPXE script for the node with this MAC address. */
    @WithTransaction
    public Uni<String> script(String mac) {
        String canonical = MacAddress.normalize(mac);
        return Node.<Node>find("mac", canonical).firstResult().chain(node -> {
            if (node == null) {
                return Uni.createFrom().item(IpxeScripts.localDisk(canonical));
            }
            return pendingRole(node).chain(role -> role.isEmpty()
                    ? Uni.createFrom().item(IpxeScripts.localDisk(canonical))
                    : mint(role.get()).map(token -> IpxeScripts.agent(config,
                            workflows.forMode(role.get().mode().command()), role.get(), token)));
        });
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
                        return Uni.createFrom().item(Optional.of(new BootRole(node.id, node.name, NodeRole.SOURCE,
                                source.id, AgentMode.forClone(NodeRole.SOURCE, source.mode), source.sourceDiskId)));
                    }
                    return SessionTarget.<SessionTarget>find("nodeId = ?1 and state in ?2", node.id, TARGET_RUNS)
                            .firstResult()
                            .chain(target -> target == null
                                    ? Uni.createFrom().item(inventoryRole(node))
                                    : CloneSession.<CloneSession>findById(target.sessionId).map(session -> Optional.of(
                                            new BootRole(node.id, node.name, NodeRole.TARGET, session.id,
                                                    AgentMode.forClone(NodeRole.TARGET, session.mode), target.diskId))));
                });
    }

    private static Optional<BootRole> inventoryRole(Node node) {
        return node.inventoryRequested
                ? Optional.of(new BootRole(node.id, node.name, NodeRole.INVENTORY, null, AgentMode.INVENTORY, null))
                : Optional.empty();
    }

    private Uni<String> mint(BootRole role) {
        String token = Secrets.newSecret(Secrets.NODE_TOKEN_PREFIX);
        NodeToken row = new NodeToken();
        row.tokenHash = Secrets.hash(token);
        row.nodeId = role.nodeId();
        row.sessionId = role.sessionId();
        row.role = role.role().name().toLowerCase(Locale.ROOT);
        row.expiresAt = OffsetDateTime.now(clock).plus(config.tokenLifetime());
        return row.persist().replaceWith(token);
    }
}
