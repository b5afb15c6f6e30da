package io.pureboot.clone.controller.boot;

import io.pureboot.clone.controller.node.MacAddress;
import io.pureboot.clone.controller.node.Node;
import io.pureboot.clone.controller.security.NodeRole;
import io.pureboot.clone.controller.security.NodeToken;
import io.pureboot.clone.controller.security.Secrets;
import io.pureboot.clone.controller.session.CloneSession;
import io.pureboot.clone.controller.session.SessionState;
import io.pureboot.clone.controller.session.SessionTarget;
import io.pureboot.clone.controller.session.TargetState;
import io.pureboot.clone.controller.workflow.WorkflowCatalog;
import io.pureboot.clone.events.session.CloneMode;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Decides what a booting node does and mints the token it will use. A node's session role wins
 * over a requested inventory; a node with neither boots from its disk.
 */
@ApplicationScoped
public class BootService {

    private static final List<SessionState> SOURCE_RUNS = List.of(SessionState.SOURCE_ARMED, SessionState.UPLOADING);
    private static final List<TargetState> TARGET_RUNS = List.of(TargetState.ARMED, TargetState.DOWNLOADING);

    private final BootConfig config;
    private final WorkflowCatalog workflows;

    public BootService(BootConfig config, WorkflowCatalog workflows) {
        this.config = config;
        this.workflows = workflows;
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
                            workflows.forMode(role.get().mode()), role.get(), token)));
        });
    }

    private Uni<Optional<BootRole>> pendingRole(Node node) {
        // A direct source serves while its targets download: it boots into its mode again if it restarts then.
        return CloneSession.<CloneSession>find("sourceNodeId = ?1 and (state in ?2 or (mode = ?3 and state = ?4)) "
                        + "order by createdAt", node.id, SOURCE_RUNS, CloneMode.DIRECT, SessionState.DOWNLOADING)
                .firstResult()
                .chain(source -> {
                    if (source != null) {
                        return Uni.createFrom().item(Optional.of(new BootRole(node.id, node.name, NodeRole.SOURCE,
                                source.id, mode(NodeRole.SOURCE, source), source.sourceDiskId)));
                    }
                    return SessionTarget.<SessionTarget>find("nodeId = ?1 and state in ?2", node.id, TARGET_RUNS)
                            .firstResult()
                            .chain(target -> target == null
                                    ? Uni.createFrom().item(inventoryRole(node))
                                    : CloneSession.<CloneSession>findById(target.sessionId).map(session -> Optional.of(
                                            new BootRole(node.id, node.name, NodeRole.TARGET, session.id,
                                                    mode(NodeRole.TARGET, session), target.diskId))));
                });
    }

    private static Optional<BootRole> inventoryRole(Node node) {
        return node.inventoryRequested
                ? Optional.of(new BootRole(node.id, node.name, NodeRole.INVENTORY, null, "inventory", null))
                : Optional.empty();
    }

    private static String mode(NodeRole role, CloneSession session) {
        return "clone-" + role.name().toLowerCase(Locale.ROOT) + "-" + session.mode.name().toLowerCase(Locale.ROOT);
    }

    private Uni<String> mint(BootRole role) {
        String token = Secrets.newSecret(Secrets.NODE_TOKEN_PREFIX);
        NodeToken row = new NodeToken();
        row.tokenHash = Secrets.hash(token);
        row.nodeId = role.nodeId();
        row.sessionId = role.sessionId();
        row.role = role.role().name().toLowerCase(Locale.ROOT);
        row.expiresAt = OffsetDateTime.now(ZoneOffset.UTC).plus(config.tokenLifetime());
        return row.persist().replaceWith(token);
    }
}
