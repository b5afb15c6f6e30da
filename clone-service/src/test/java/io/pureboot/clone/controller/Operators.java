package io.pureboot.clone.controller;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;

/** Requests as an operator with the test profile's bootstrap admin key, and test data helpers. */
public final class Operators {

    public static final String ADMIN_KEY = "pbk_test-admin-key";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Operators() {
    }

    public static RequestSpecification admin() {
        return given().header("Authorization", "Bearer " + ADMIN_KEY).contentType(ContentType.JSON);
    }

    public static RequestSpecification node(String token) {
        return given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON);
    }

    public static String randomMac() {
        byte[] bytes = new byte[3];
        RANDOM.nextBytes(bytes);
        return String.format("52:54:01:%02x:%02x:%02x", bytes[0], bytes[1], bytes[2]);
    }

    /** Registers a node; returns its id. */
    public static String registerNode(String mac, String name) {
        return admin().body(Map.of("mac", mac, "name", name)).post("/api/v1/nodes")
                .then().statusCode(201).extract().path("id");
    }

    /** Records an inventory with one disk of the given size. */
    public static void reportDisk(String nodeId, String diskId, long sizeBytes) {
        admin().body(Map.of("hostname", "host-" + nodeId.substring(0, 8), "disks", List.of(Map.of(
                        "stable_id", diskId, "size_bytes", sizeBytes, "logical_sector_size", 512,
                        "physical_sector_size", 4096, "table_type", "gpt", "partitions", List.of()))))
                .put("/api/v1/nodes/{id}/inventory", nodeId)
                .then().statusCode(200);
    }

    /** The token in an iPXE script's kernel command line. */
    /** The node token the agent would hold: the script's boot ticket, traded as the agent's first call does. */
    public static String tokenOf(String script) {
        return io.restassured.RestAssured.given().contentType("application/json")
                .body(java.util.Map.of("ticket", ticketOf(script))).post("/api/v1/node/ticket")
                .then().statusCode(200).extract().path("token");
    }

    /** The boot ticket on the script's kernel command line. */
    public static String ticketOf(String script) {
        int start = script.indexOf("pureboot.ticket=");
        if (start < 0) {
            throw new AssertionError("no ticket in script:\n" + script);
        }
        int end = script.indexOf('\n', start);
        String rest = script.substring(start + "pureboot.ticket=".length(), end);
        int space = rest.indexOf(' ');
        return space < 0 ? rest : rest.substring(0, space);
    }
}
