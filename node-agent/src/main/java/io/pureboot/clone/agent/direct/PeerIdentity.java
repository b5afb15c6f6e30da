package io.pureboot.clone.agent.direct;

import static java.util.Objects.requireNonNull;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Who a direct-mode certificate was issued to. The clone-service's CA writes it as a URI subject alternative name,
 * {@code urn:pureboot:session:<session id>:<source|target>:<node id>}, next to the source's IP address; a source serves
 * only certificates whose URI names its own session and the target role.
 *
 * @param sessionId the clone session
 * @param role {@code source} or {@code target}
 * @param nodeId the node the certificate was issued to
 */
public record PeerIdentity(String sessionId, String role, String nodeId) {

    private static final String PREFIX = "urn:pureboot:session:";
    /** SubjectAltName general-name type of a URI (RFC 5280: uniformResourceIdentifier [6]). */
    private static final int URI_NAME = 6;

    public PeerIdentity {
        requireNonNull(sessionId, "sessionId is null");
        requireNonNull(role, "role is null");
        requireNonNull(nodeId, "nodeId is null");
    }

    public String uri() {
        return PREFIX + sessionId + ":" + role + ":" + nodeId;
    }

    /** Parses {@code urn:pureboot:session:<session>:<role>:<node>}; empty when the URI is not one. */
    public static Optional<PeerIdentity> parse(String uri) {
        if (uri == null || !uri.toLowerCase(Locale.ROOT).startsWith(PREFIX)) {
            return Optional.empty();
        }
        String[] parts = uri.substring(PREFIX.length()).split(":", 3);
        if (parts.length != 3 || parts[0].isEmpty() || parts[2].isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new PeerIdentity(parts[0], parts[1], parts[2]));
    }

    /** The identity in a certificate's URI subject alternative names, if it has exactly one. */
    public static Optional<PeerIdentity> of(X509Certificate certificate) {
        Collection<List<?>> names;
        try {
            names = certificate.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return Optional.empty();
        }
        if (names == null) {
            return Optional.empty();
        }
        List<PeerIdentity> found = names.stream()
                .filter(name -> name.size() == 2 && Integer.valueOf(URI_NAME).equals(name.get(0)))
                .map(name -> parse(String.valueOf(name.get(1))))
                .flatMap(Optional::stream)
                .toList();
        return found.size() == 1 ? Optional.of(found.get(0)) : Optional.empty();
    }
}
