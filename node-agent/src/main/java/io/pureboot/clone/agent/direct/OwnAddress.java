package io.pureboot.clone.agent.direct;

import io.pureboot.clone.agent.AgentException;
import io.pureboot.clone.agent.FailureKind;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The address a direct-mode node serves on and the session's other nodes reach it at. In order:
 * <ol>
 * <li>the address configured for this node ({@code pureboot.direct_address});</li>
 * <li>this node's address in a configured network ({@code pureboot.direct_network}, a CIDR): for a data network apart
 * from the one the controller is reached through, set once for every node in the direct workflows;</li>
 * <li>the local address of the route to the clone-service, which is right where one network carries both.</li>
 * </ol>
 */
public final class OwnAddress {

    private OwnAddress() {
    }

    /** Chooses as above; {@code address} and {@code network} may be null or blank (not configured). */
    public static InetAddress choose(String address, String network, URI server) {
        if (address != null && !address.isBlank()) {
            return literal(address.strip(), "direct_address");
        }
        if (network != null && !network.isBlank()) {
            return inNetwork(Network.parse(network.strip()), localAddresses());
        }
        return towards(server);
    }

    /** The first of {@code candidates} (in interface order) inside {@code network}. */
    static InetAddress inNetwork(Network network, List<InetAddress> candidates) {
        return candidates.stream().filter(network::contains).findFirst().orElseThrow(() -> new AgentException(
                FailureKind.CONFIGURATION, "no address of this node is in direct_network " + network + " (it has "
                        + candidates.stream().map(InetAddress::getHostAddress).collect(Collectors.joining(", "))
                        + ")"));
    }

    private static List<InetAddress> localAddresses() {
        try {
            return NetworkInterface.networkInterfaces().filter(OwnAddress::isUp)
                    .sorted(Comparator.comparingInt(NetworkInterface::getIndex))
                    .flatMap(NetworkInterface::inetAddresses).toList();
        } catch (SocketException e) {
            throw new AgentException(FailureKind.CONFIGURATION, "cannot list this node's addresses: " + e.getMessage(),
                    e);
        }
    }

    private static boolean isUp(NetworkInterface nic) {
        try {
            return nic.isUp();
        } catch (SocketException e) {
            return false;
        }
    }

    private static InetAddress towards(URI server) {
        String hint = "; give --direct-address or pureboot.direct_address=, or pureboot.direct_network=";
        try (DatagramSocket socket = new DatagramSocket()) {
            // connect() on UDP sends nothing; it only picks the route and with it the local address.
            socket.connect(InetAddress.getByName(server.getHost()), server.getPort() < 0 ? 80 : server.getPort());
            InetAddress local = socket.getLocalAddress();
            if (local == null || local.isAnyLocalAddress()) {
                throw new AgentException(FailureKind.CONFIGURATION,
                        "cannot tell this node's address toward " + server.getHost() + hint);
            }
            return local;
        } catch (IOException e) {
            throw new AgentException(FailureKind.CONFIGURATION,
                    "cannot tell this node's address toward " + server.getHost() + " (" + e.getMessage() + ")" + hint,
                    e);
        }
    }

    /** {@code value} as an IP address literal; a host name is refused (nothing here resolves names on purpose). */
    static InetAddress literal(String value, String setting) {
        boolean looksLiteral = value.matches("[0-9.]+") || value.contains(":");
        try {
            if (looksLiteral) {
                return InetAddress.getByName(value);
            }
        } catch (UnknownHostException e) {
            // reported below
        }
        throw new AgentException(FailureKind.CONFIGURATION,
                "invalid " + setting + " '" + value + "': an IP address literal is required");
    }

    /** An IP network in CIDR notation, such as {@code 169.254.0.0/16} or {@code fd00::/64}. */
    public record Network(InetAddress base, int prefixLength) {

        public static Network parse(String cidr) {
            int slash = cidr.indexOf('/');
            if (slash < 0) {
                throw invalid(cidr, "a network is an address and a prefix length, such as 169.254.0.0/16");
            }
            InetAddress base = literal(cidr.substring(0, slash), "direct_network");
            int length;
            try {
                length = Integer.parseInt(cidr.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw invalid(cidr, "the prefix length is not a number");
            }
            if (length < 0 || length > base.getAddress().length * 8) {
                throw invalid(cidr, "the prefix length must be 0 to " + base.getAddress().length * 8);
            }
            return new Network(base, length);
        }

        public boolean contains(InetAddress address) {
            byte[] wanted = base.getAddress();
            byte[] actual = address.getAddress();
            if (wanted.length != actual.length) {
                return false;
            }
            for (int bit = 0; bit < prefixLength; bit++) {
                int mask = 0x80 >>> (bit % 8);
                if ((wanted[bit / 8] & mask) != (actual[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public String toString() {
            return base.getHostAddress() + "/" + prefixLength;
        }

        private static AgentException invalid(String cidr, String reason) {
            return new AgentException(FailureKind.CONFIGURATION, "invalid direct_network '" + cidr + "': " + reason);
        }
    }
}
