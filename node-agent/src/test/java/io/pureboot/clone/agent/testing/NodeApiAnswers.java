package io.pureboot.clone.agent.testing;

import io.pureboot.clone.agent.direct.PeerIdentity;
import io.pureboot.clone.events.resize.ResizePlan;
import io.pureboot.clone.events.session.ResizeMode;
import io.pureboot.clone.nodeapi.AgentMode;
import io.pureboot.clone.nodeapi.DirectCertificateRequest;
import io.pureboot.clone.nodeapi.DirectInfo;
import io.pureboot.clone.nodeapi.Instructions;
import io.pureboot.clone.nodeapi.NodeApiJson;
import io.pureboot.clone.nodeapi.NodeRole;
import io.pureboot.clone.nodeapi.StagingGrant;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/** The node API's answers as the agent's tests script them on {@link FakeNodeApi}: built from the contract's records. */
public final class NodeApiAnswers {

    private NodeApiAnswers() {
    }

    /** A session's instructions for {@code mode}, whose role follows from it. */
    public static Instructions instructions(UUID session, AgentMode mode, String diskId, ResizePlan plan) {
        NodeRole role = switch (mode) {
            case CLONE_SOURCE_STAGED, CLONE_SOURCE_DIRECT -> NodeRole.SOURCE;
            case CLONE_TARGET_STAGED, CLONE_TARGET_DIRECT, PARTITION -> NodeRole.TARGET;
            case INVENTORY -> NodeRole.INVENTORY;
        };
        return new Instructions(session, mode, role, diskId, ResizeMode.NONE, plan, plan == null ? null : 1, false, false);
    }

    /** {@code instructions} with the session's swarm option as {@code swarm}. */
    public static Instructions withSwarm(Instructions instructions, boolean swarm) {
        return new Instructions(instructions.sessionId(), instructions.mode(), instructions.role(),
                instructions.diskId(), instructions.resizeMode(), instructions.plan(), instructions.planVersion(),
                instructions.repairSource(), swarm);
    }

    /** An NFS grant of {@code stagingPath} (tests pre-mount staging, so the server is never contacted). */
    public static StagingGrant nfs(String stagingPath, boolean readOnly) {
        return new StagingGrant(StagingGrant.BackendType.NFS, stagingPath, readOnly,
                new StagingGrant.Nfs("10.0.0.1", "/exports/pureboot", null), null);
    }

    /** What clone-service's CA does with a node's request: certifies its key for {@code identity}. */
    public static Function<String, Object> certificate(TestCertificates ca, PeerIdentity identity, String address) {
        return body -> {
            try {
                String csr = NodeApiJson.mapper().readValue(body, DirectCertificateRequest.class).csrPem();
                return ca.certify(csr, identity, address);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    /** Where the direct source listens ({@code address} null: not yet) and whom it serves. */
    public static DirectInfo direct(UUID session, NodeRole role, String address, int port, List<UUID> targets) {
        return new DirectInfo(session, role, address == null ? null : new DirectInfo.Endpoint(address, port), targets,
                true);
    }
}
