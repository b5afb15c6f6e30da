package io.pureboot.clone.agent.direct;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pureboot.clone.agent.AgentException;
import io.pureboot.clone.agent.direct.OwnAddress.Network;
import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class OwnAddressTest {

    private static final URI SERVER = URI.create("https://127.0.0.1:8443/");

    @Test
    void aConfiguredAddressWinsOverTheNetworkAndTheRoute() throws Exception {
        assertThat(OwnAddress.choose("10.9.8.7", "127.0.0.0/8", SERVER)).isEqualTo(InetAddress.getByName("10.9.8.7"));
    }

    @Test
    void withoutSettingsItIsTheAddressTowardTheServer() throws Exception {
        assertThat(OwnAddress.choose(null, " ", SERVER)).isEqualTo(InetAddress.getByName("127.0.0.1"));
    }

    @Test
    void aNetworkPicksThisNodesAddressInsideIt() throws Exception {
        // the loopback interface is up on every machine: a real lookup of this node's interfaces
        assertThat(OwnAddress.choose(null, "127.0.0.0/8", SERVER)).isEqualTo(InetAddress.getByName("127.0.0.1"));
    }

    @Test
    void theFirstCandidateInsideTheNetworkIsTaken() throws Exception {
        List<InetAddress> candidates = List.of(InetAddress.getByName("10.0.2.15"), InetAddress.getByName("fe80::1"),
                InetAddress.getByName("169.254.7.9"), InetAddress.getByName("169.254.1.1"));
        assertThat(OwnAddress.inNetwork(Network.parse("169.254.0.0/16"), candidates))
                .isEqualTo(InetAddress.getByName("169.254.7.9"));
    }

    @Test
    void noAddressInTheNetworkIsAConfigurationErrorNamingWhatTheNodeHas() throws Exception {
        List<InetAddress> candidates = List.of(InetAddress.getByName("10.0.2.15"));
        assertThatThrownBy(() -> OwnAddress.inNetwork(Network.parse("169.254.0.0/16"), candidates))
                .isInstanceOf(AgentException.class)
                .hasMessage("no address of this node is in direct_network 169.254.0.0/16 (it has 10.0.2.15)");
    }

    @Test
    void prefixesCompareBitByBit() throws Exception {
        Network network = Network.parse("192.168.4.0/22");
        assertThat(network.contains(InetAddress.getByName("192.168.7.255"))).isTrue();
        assertThat(network.contains(InetAddress.getByName("192.168.8.0"))).isFalse();
        assertThat(network.contains(InetAddress.getByName("::1"))).isFalse();
        assertThat(Network.parse("0.0.0.0/0").contains(InetAddress.getByName("8.8.8.8"))).isTrue();
        assertThat(Network.parse("fd00::/8").contains(InetAddress.getByName("fd12::3"))).isTrue();
    }

    @Test
    void badNetworksAndAddressesSayWhy() {
        assertThatThrownBy(() -> Network.parse("169.254.0.0")).hasMessageContaining("an address and a prefix length");
        assertThatThrownBy(() -> Network.parse("169.254.0.0/33")).hasMessageContaining("must be 0 to 32");
        assertThatThrownBy(() -> Network.parse("169.254.0.0/x")).hasMessageContaining("not a number");
        assertThatThrownBy(() -> Network.parse("datanet/16"))
                .hasMessage("invalid direct_network 'datanet': an IP address literal is required");
        assertThatThrownBy(() -> OwnAddress.choose("node7", null, SERVER))
                .hasMessage("invalid direct_address 'node7': an IP address literal is required");
    }
}
