package io.pureboot.clone.controller.boot;

import static io.pureboot.clone.controller.Operators.admin;
import static io.pureboot.clone.controller.Operators.randomMac;
import static io.pureboot.clone.controller.Operators.registerNode;
import static io.pureboot.clone.controller.Operators.ticketOf;
import static io.pureboot.clone.controller.Operators.tokenOf;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.pureboot.clone.controller.Sessions;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The iPXE scripts, byte for byte. */
@QuarkusTest
class BootScriptTest {

    @Test
    void unknownAndIdleNodesBootFromTheirLocalDisk() {
        String unknown = randomMac();
        assertThat(Sessions.bootScript(unknown.toUpperCase().replace(':', '-'))).isEqualTo("""
                #!ipxe
                # PureBoot Clone: nothing pending for %s, booting from the local disk
                sanboot --no-describe --drive 0x80 || exit
                """.formatted(unknown));
    }

    @Test
    void anArmedSourceBootsTheAgentWithItsSettings() {
        Sessions.ArmedSource armed = Sessions.armedStagedSource("db-07", "db-08");
        String mac = armed.sourceMac();
        String source = armed.source();
        String sessionId = armed.sessionId();

        String script = Sessions.bootScript(mac);
        String ticket = ticketOf(script);

        assertThat(ticket).startsWith("pbt_").hasSize(4 + 43);
        String kernel = ("kernel --name vmlinuz http://controller.test/boot/pureboot-vmlinuz initrd=initrd.img "
                + "console=tty0 console=ttyS0,115200 quiet pureboot.network_timeout=60 pureboot.disk_timeout=60 "
                + "pureboot.after=reboot pureboot.after_failure=shell pureboot.server=http://controller.test "
                + "pureboot.session=%s pureboot.mode=clone-source-staged pureboot.disk=wwn-s pureboot.ticket=%s "
                + "&& initrd --name initrd.img http://controller.test/boot/pureboot-initrd.img && boot ||\n")
                .formatted(sessionId, ticket);
        String retry = "sleep 5 ||\nimgfree vmlinuz ||\nimgfree initrd.img ||\n";
        assertThat(script).isEqualTo("#!ipxe\n# PureBoot Clone: boots into clone-source-staged\n"
                + kernel + retry + kernel + retry + kernel
                + "echo PureBoot Clone: could not load the boot image from http://controller.test/boot, leaving the "
                + "node to its firmware\nexit\n");
    }

    @Test
    void theChainScriptNamesThisController() {
        given().get("/api/v1/boot/chain.ipxe").then().statusCode(200)
                .body(containsString(
                        "chain --replace --autofree http://controller.test/api/v1/boot/ipxe?mac=${net0/mac} ||"));
    }

    @Test
    void anInventoryRequestBootsTheAgentWithoutSession() {
        String mac = randomMac();
        String node = registerNode(mac, "new-rack-node");
        admin().post("/api/v1/nodes/{id}/request-inventory", node).then().statusCode(200);

        String script = Sessions.bootScript(mac);

        assertThat(script).contains("pureboot.mode=inventory pureboot.ticket=").doesNotContain("pureboot.session=");
        given().auth().oauth2(tokenOf(script)).get("/api/v1/node/instructions")
                .then().statusCode(200).body("mode", equalTo("inventory"));
    }

    @Test
    void aMalformedMacIsRefused() {
        given().get("/api/v1/boot/ipxe?mac=not-a-mac").then().statusCode(400)
                .body("fields[0].field", equalTo("mac"));
        given().get("/api/v1/boot/ipxe").then().statusCode(400);
    }
}
