package io.pureboot.clone.controller.direct.service;

import io.pureboot.clone.controller.direct.DirectCaRow;
import io.pureboot.clone.controller.config.CloneConfig;
import io.pureboot.clone.controller.security.NodeCaller;
import io.pureboot.clone.controller.session.CloneSession;
import io.pureboot.clone.controller.session.SessionTarget;
import io.pureboot.clone.controller.session.machine.SessionInput;
import io.pureboot.clone.controller.session.machine.SessionMachine;
import io.pureboot.clone.controller.session.service.SessionEngine;
import io.pureboot.clone.events.session.SourceRepair;
import io.pureboot.clone.nodeapi.DirectCertificate;
import io.pureboot.clone.nodeapi.DirectInfo;
import io.pureboot.clone.nodeapi.NodeRole;
import io.pureboot.clone.platform.crypto.SecretCipher;
import io.pureboot.clone.platform.rest.ApiException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.PublicKey;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * The node API's direct-mode calls: certificates from the service's CA, the source saying where it
 * listens (which arms the targets), and targets asking where the source is. The targets of a staged session with the
 * swarm option make the same calls, except those about the source: their certificates, their swarm chunk servers,
 * their peers and the peers they dropped (docs/swarm.md).
 */
@ApplicationScoped
public class DirectNodeService {

    private static final Logger LOG = Logger.getLogger(DirectNodeService.class);

    private static final Pattern IPV4 = Pattern.compile("^\\d{1,3}(\\.\\d{1,3}){3}$");
    private static final Pattern IPV6 = Pattern.compile("^[0-9a-fA-F:.]*:[0-9a-fA-F:.]*$");

    private final SessionEngine engine;
    private final CloneConfig.Direct config;
    private final SecretCipher cipher;
    private final Clock clock;
    private volatile CertificateAuthority authority;

    public DirectNodeService(SessionEngine engine, CloneConfig config, SecretCipher cipher, Clock clock) {
        this.engine = engine;
        this.config = config.direct();
        this.cipher = cipher;
        this.clock = clock;
    }

    /**
     * A certificate for the caller's node and session.
     *
     * @param requestedAddress the source's IP address (required for the source; ignored for targets)
     * @param csrPem the node's PKCS#10 request: its key pair is its own, only the public key comes here
     */
    public Uni<DirectCertificate> certificate(NodeCaller caller, String requestedAddress, String csrPem) {
        if (caller.role() == NodeRole.INVENTORY) {
            return Uni.createFrom().failure(ApiException.forbidden("an inventory token has no session certificate"));
        }
        PublicKey publicKey;
        try {
            publicKey = CertificateAuthority.publicKeyOf(csrPem);
        } catch (CertificateAuthority.BadRequest e) {
            return Uni.createFrom().failure(ApiException.invalidField("csr_pem", e.getMessage()));
        }
        String address = requestedAddress == null || requestedAddress.isBlank() ? null : requestedAddress.strip();
        if (caller.role() == NodeRole.SOURCE) {
            if (address == null) {
                return Uni.createFrom().failure(ApiException.invalidField("address",
                        "is required for the source: it goes into the certificate the targets verify"));
            }
            if (!isIpLiteral(address)) {
                return Uni.createFrom().failure(ApiException.invalidField("address",
                        "must be an IPv4 or IPv6 address literal, not '" + address + "'"));
            }
        }
        return Panache.withTransaction(() -> peerSession(caller).chain(session -> {
            Uni<Void> allowed;
            if (caller.role() == NodeRole.SOURCE) {
                // A restarted source may come back with a new address: its new certificate names it.
                session.directAddress = address;
                session.directPort = null;
                allowed = Uni.createFrom().voidItem();
            } else {
                allowed = target(caller).replaceWithVoid();
            }
            String identity = "urn:pureboot:session:" + session.id + ":"
                    + caller.role().name().toLowerCase(Locale.ROOT) + ":" + caller.nodeId();
            return allowed.chain(this::authority).map(ca -> ca.issue(identity,
                    caller.role() == NodeRole.SOURCE ? address : null, publicKey, config.certificateLifetime()));
        })).map(issued -> new DirectCertificate(issued.certificatePem(), issued.caPem(),
                issued.notAfter().atOffset(ZoneOffset.UTC)));
    }

    /**
     * The source listens at {@code address}, which must be its certificate's: its targets are armed. {@code repairs}:
     * what it repaired on the source before (repair_source), logged here and announced for the audit.
     */
    public Uni<Void> listening(NodeCaller caller, String address, int port, List<SourceRepair> repairs) {
        if (caller.role() != NodeRole.SOURCE) {
            return Uni.createFrom().failure(ApiException.forbidden("only the source reports where it listens"));
        }
        for (SourceRepair repair : repairs) {
            LOG.warnf("source node %s of clone session %s repaired partition %d as the session asked: '%s' exited "
                    + "with %d: %s", caller.nodeId(), caller.sessionId(), repair.partition(), repair.tool(),
                    repair.exitCode(), repair.summary());
        }
        return engine.apply(caller.sessionId(), new SessionInput.SourceListening(address.strip(), port, repairs))
                .replaceWithVoid();
    }

    /**
     * A target's swarm chunk server listens at {@code address}. Its certificate names no address, so none is checked
     * here: peers check each other by the node the certificate names, which must be the one listed with the address.
     */
    public Uni<Void> swarmListening(NodeCaller caller, String address, int port) {
        if (caller.role() != NodeRole.TARGET) {
            return Uni.createFrom().failure(ApiException.forbidden("only a target reports where its swarm chunk "
                    + "server listens"));
        }
        String literal = address.strip();
        if (!isIpLiteral(literal)) {
            return Uni.createFrom().failure(ApiException.invalidField("address",
                    "must be an IPv4 or IPv6 address literal, not '" + literal + "'"));
        }
        return Panache.withTransaction(() -> peerSession(caller).chain(() -> target(caller)).invoke(target -> {
            target.swarmAddress = literal;
            target.swarmPort = port;
        })).replaceWithVoid();
    }

    /**
     * A swarm target dropped {@code peer}: logged, and announced for the audit once the session's machine found the
     * peer to be another of its targets.
     */
    public Uni<Void> peerDropped(NodeCaller caller, UUID peer, String reason, Integer chunk) {
        if (caller.role() != NodeRole.TARGET) {
            return Uni.createFrom().failure(ApiException.forbidden("only a target reports the swarm peers it dropped"));
        }
        LOG.warnf("target node %s of clone session %s dropped swarm peer %s%s: %s", caller.nodeId(),
                caller.sessionId(), peer, chunk == null ? "" : " (chunk " + chunk + ")", reason);
        return engine.apply(caller.sessionId(), new SessionInput.SwarmPeerDropped(caller.nodeId(), peer,
                reason.strip(), chunk)).replaceWithVoid();
    }

    public Uni<DirectInfo> info(NodeCaller caller) {
        if (caller.role() == NodeRole.INVENTORY) {
            return Uni.createFrom().failure(ApiException.forbidden("an inventory token has no session"));
        }
        return Panache.withSession(() -> peerSession(caller).chain(session -> {
            Uni<Void> allowed = caller.role() == NodeRole.TARGET ? target(caller).replaceWithVoid()
                    : Uni.createFrom().voidItem();
            return allowed.chain(() -> engine.targets(session.id)).map(targets -> new DirectInfo(session.id,
                    caller.role(), session.directPort == null ? null
                            : new DirectInfo.Endpoint(session.directAddress, session.directPort),
                    targets.stream().map(target -> target.nodeId).sorted().toList(),
                    targets.stream().anyMatch(target -> !target.state.isTerminal()),
                    caller.role() == NodeRole.TARGET ? peers(targets, caller) : List.of()));
        }));
    }

    /** The other targets whose chunk servers listen, while their part of the session runs. */
    private static List<DirectInfo.Peer> peers(List<SessionTarget> targets, NodeCaller caller) {
        return targets.stream()
                .filter(target -> !target.nodeId.equals(caller.nodeId()) && target.swarmPort != null
                        && !target.state.isTerminal())
                .sorted(Comparator.comparing((SessionTarget target) -> target.nodeId))
                .map(target -> new DirectInfo.Peer(target.nodeId, target.swarmAddress, target.swarmPort))
                .toList();
    }

    /** The caller's running session, if its calls are for it: a direct session, or a staged swarm's target. */
    private Uni<CloneSession> peerSession(NodeCaller caller) {
        return engine.find(caller.sessionId()).chain(session -> {
            if (session.state.isTerminal()) {
                return Uni.createFrom().failure(ApiException.conflict("clone session " + session.id + " is "
                        + session.state.jsonName()));
            }
            String refused = SessionMachine.swarmCallsRefused(session.id, session.mode,
                    session.swarm && caller.role() == NodeRole.TARGET);
            if (refused != null) {
                return Uni.createFrom().failure(ApiException.conflict(refused));
            }
            return Uni.createFrom().item(session);
        });
    }

    private static Uni<SessionTarget> target(NodeCaller caller) {
        return SessionTarget.<SessionTarget>findById(new SessionTarget.Key(caller.sessionId(), caller.nodeId()))
                .onItem().ifNull().failWith(() -> ApiException.forbidden("this node is not a target of the session"));
    }

    /**
     * The CA, made and stored on first use (inside the caller's transaction). Certificates are dated by the real
     * time, never the service's clock: the peers that check them read the real time, and a test that moves the
     * clock must not leave a CA behind that is valid only from then on.
     */
    private Uni<CertificateAuthority> authority() {
        CertificateAuthority known = authority;
        if (known != null) {
            return Uni.createFrom().item(known);
        }
        return DirectCaRow.<DirectCaRow>findById(DirectCaRow.ID).chain(row -> {
            if (row != null) {
                // Remembered only once read back from the database, so never a CA whose row was rolled back.
                CertificateAuthority loaded = CertificateAuthority.load(row.certificatePem, openKey(row));
                authority = loaded;
                return Uni.createFrom().item(loaded);
            }
            CertificateAuthority created = CertificateAuthority.create("PureBoot Clone direct-mode CA",
                    config.caLifetime());
            DirectCaRow stored = new DirectCaRow();
            stored.id = DirectCaRow.ID;
            stored.certificatePem = created.certificatePem();
            stored.privateKeySealed = cipher.seal(created.privateKeyPem(), DirectCaRow.KEY_CONTEXT);
            stored.createdAt = OffsetDateTime.now(clock);
            return stored.persist().replaceWith(created);
        });
    }

    /**
     * The CA's private key, opened with the configured keys. If none opens it, the key the CA was sealed with is
     * gone: the operator restores it (pureboot.clone.secrets.key or a retired key) or deletes the CA row, after which
     * the next certificate request makes a new CA.
     */
    private String openKey(DirectCaRow row) {
        try {
            return cipher.open(row.privateKeySealed, DirectCaRow.KEY_CONTEXT);
        } catch (SecretCipher.SealedValueException e) {
            throw new IllegalStateException(e.getMessage() + "; restore the key it was sealed with, or delete the CA "
                    + "(delete from clone.direct_ca) to make a new one", e);
        }
    }

    /** An IP address literal; never a name (no DNS lookup happens for what passes the patterns). */
    static boolean isIpLiteral(String address) {
        if (IPV4.matcher(address).matches()) {
            for (String octet : address.split("\\.")) {
                if (Integer.parseInt(octet) > 255) {
                    return false;
                }
            }
            return true;
        }
        if (!IPV6.matcher(address).matches()) {
            return false;
        }
        try {
            InetAddress.getByName(address);
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
