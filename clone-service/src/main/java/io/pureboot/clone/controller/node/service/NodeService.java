package io.pureboot.clone.controller.node.service;

import io.pureboot.clone.controller.boot.BootTicket;
import io.pureboot.clone.controller.node.MacAddress;
import io.pureboot.clone.controller.node.Node;
import io.pureboot.clone.controller.security.NodeToken;
import io.pureboot.clone.controller.security.NodeTokenCache;
import io.pureboot.clone.controller.session.CloneSession;
import io.pureboot.clone.controller.session.SessionState;
import io.pureboot.clone.controller.session.SessionTarget;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.pureboot.clone.events.EventCatalog;
import io.pureboot.clone.events.EventCodec;
import io.pureboot.clone.events.node.DiskInventory;
import io.pureboot.clone.events.node.NodeInventoryReported;
import io.pureboot.clone.platform.outbox.Outbox;
import io.pureboot.clone.platform.rest.ApiException;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The node registry and the inventories nodes report. A retired node keeps its row (the sessions it took part in
 * still name it) but leaves the list, boots like an unknown MAC and frees its MAC for a new registration.
 */
@ApplicationScoped
public class NodeService {

    /** The session states that end a session: {@link SessionState#isTerminal()} is the one rule. */
    private static final Set<SessionState> ENDED = Arrays.stream(SessionState.values())
            .filter(SessionState::isTerminal).collect(Collectors.toUnmodifiableSet());
    /** Stands for "no session" in an {@code in} list, which may not be empty. */
    private static final UUID NO_SESSION = new UUID(0, 0);

    private final Outbox outbox;
    private final Clock clock;
    private final NodeTokenCache tokens;

    public NodeService(Outbox outbox, Clock clock, NodeTokenCache tokens) {
        this.outbox = outbox;
        this.clock = clock;
        this.tokens = tokens;
    }

    @WithTransaction
    public Uni<Node> register(String mac, String name) {
        String canonical = MacAddress.normalize(mac);
        return Node.count("mac = ?1 and retiredAt is null", canonical).chain(count -> {
            if (count > 0) {
                return Uni.createFrom().failure(ApiException.conflict("a node with MAC " + canonical + " is registered"));
            }
            Node node = new Node();
            node.id = UUID.randomUUID();
            node.mac = canonical;
            node.name = name.strip();
            node.createdAt = OffsetDateTime.now(clock);
            return node.persist();
        });
    }

    /** The registered nodes; retired ones are left out. */
    @WithSession
    public Uni<List<Node>> list() {
        return Node.list("retiredAt is null order by name, mac");
    }

    @WithSession
    public Uni<Node> get(UUID id) {
        return Node.<Node>findById(id).onItem().ifNull().failWith(() -> ApiException.notFound("node", id));
    }

    /** Gives a registered node a new name; 409 once it is retired. */
    @WithTransaction
    public Uni<Node> rename(UUID id, String name) {
        return registered(id).invoke(node -> node.name = name.strip());
    }

    /**
     * Retires a node: refused (409, naming the session and its state) while it is the source or a target of a
     * session that has not ended, a created one included, since starting that session would boot it. Its node tokens
     * and unused boot tickets die with it, so that an agent still running on it can do nothing more. Retiring a
     * retired node changes nothing.
     */
    @WithTransaction
    public Uni<Node> retire(UUID id) {
        return Node.<Node>findById(id, LockModeType.PESSIMISTIC_WRITE)
                .onItem().ifNull().failWith(() -> ApiException.notFound("node", id))
                .chain(node -> node.retired() ? Uni.createFrom().item(node) : unlessInSession(node).chain(() -> {
                    node.retiredAt = OffsetDateTime.now(clock);
                    node.inventoryRequested = false;
                    return NodeToken.delete("nodeId", id).invoke(() -> tokens.forgetNode(id))
                            .chain(() -> BootTicket.delete("nodeId = ?1 and usedAt is null", id))
                            .replaceWith(node);
                }));
    }

    private static Uni<Void> unlessInSession(Node node) {
        return SessionTarget.<SessionTarget>list("nodeId", node.id)
                .map(targets -> targets.stream().map(target -> target.sessionId).toList())
                .chain(targetOf -> CloneSession.<CloneSession>find("state not in ?1 and (sourceNodeId = ?2 or id in ?3) "
                        + "order by createdAt", ENDED, node.id, targetOf.isEmpty() ? List.of(NO_SESSION) : targetOf)
                        .<CloneSession>firstResult())
                .chain(session -> session == null ? Uni.createFrom().voidItem()
                        : Uni.createFrom().failure(ApiException.conflict("node " + node.name + " is "
                                + (node.id.equals(session.sourceNodeId) ? "the source" : "a target") + " of clone session "
                                + session.name + " (" + session.id + "), which is " + session.state.jsonName()
                                + "; it can be retired once that session has ended or is deleted")));
    }

    /** A node that is not retired: 404 when unknown, 409 when retired. */
    private static Uni<Node> registered(UUID id) {
        return Node.<Node>findById(id)
                .onItem().ifNull().failWith(() -> ApiException.notFound("node", id))
                .invoke(node -> {
                    if (node.retired()) {
                        throw ApiException.conflict("node " + id + " was retired at " + node.retiredAt
                                + "; a retired node cannot be changed");
                    }
                });
    }

    /** Records the report on the node and hands it to the planner as an event, in one transaction. */
    @WithTransaction
    public Uni<Node> reportInventory(UUID id, ReportedInventory report) {
        OffsetDateTime takenAt = report.takenAt() == null ? OffsetDateTime.now(clock) : report.takenAt();
        return registered(id)
                .call(node -> {
                    node.lastInventoryAt = takenAt;
                    node.lastInventory = toJson(report.disks());
                    node.inventoryRequested = false;
                    return outbox.publish(EventCatalog.NODE_INVENTORY_REPORTED, new NodeInventoryReported(
                            node.id.toString(), node.mac, report.hostname(), takenAt, report.disks()));
                });
    }

    /** Asks the node to boot into inventory mode next time it boots from the network. */
    @WithTransaction
    public Uni<Node> requestInventory(UUID id) {
        return registered(id).invoke(node -> node.inventoryRequested = true);
    }

    /** The size of a disk the node last reported, or empty when it has not reported that disk. */
    public Uni<OptionalLong> diskSize(UUID nodeId, String diskId) {
        return Node.<Node>findById(nodeId).map(node -> {
            if (node == null || node.lastInventory == null) {
                return OptionalLong.empty();
            }
            return fromJson(node.lastInventory).stream()
                    .filter(disk -> disk.stableId().equals(diskId))
                    .mapToLong(DiskInventory::sizeBytes)
                    .findFirst();
        });
    }

    private static String toJson(List<DiskInventory> disks) {
        try {
            return EventCodec.mapper().writeValueAsString(disks);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise an inventory", e);
        }
    }

    private static List<DiskInventory> fromJson(String json) {
        try {
            return EventCodec.mapper().readValue(json, new TypeReference<List<DiskInventory>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored inventory is unreadable", e);
        }
    }
}
