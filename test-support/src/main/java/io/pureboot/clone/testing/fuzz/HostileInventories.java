package io.pureboot.clone.testing.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Disk lists an agent or an operator's import could send, each breaking one rule of the shared inventory
 * validation (events DiskInventory, PartitionInventory). clone-service must refuse each (400 naming
 * {@link Case#field()}); the planner must store none of them when they arrive as an event anyway. Both tests take
 * them from here, so that what one service accepts and the other refuses cannot drift apart again.
 */
public final class HostileInventories {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String VALID_DISK = """
            {"stable_id": "wwn-0x5000c500a1b2c3d4", "device_path": "/dev/sda", "serial": "S1", "wwn": "0x5000c500a1b2c3d4",
             "model": "DISK", "size_bytes": 10737418240, "logical_sector_size": 512, "physical_sector_size": 4096,
             "table_type": "gpt", "partitions": [
               {"number": 1, "start_bytes": 1048576, "size_bytes": 536870912,
                "type_id": "0fc63daf-8483-4772-8e79-3d69d8477de4", "name": "root", "flags": ["boot"],
                "filesystem": "ext4", "label": "root", "uuid": "1b4e28ba-2fa1-11d2-883f-0016d3cca427",
                "used_bytes": 1048576, "minimum_size_bytes": 1048576, "can_shrink": true, "can_grow": true,
                "logical": false}]}""";

    private HostileInventories() {
    }

    /**
     * One hostile disk list.
     *
     * @param name what is wrong, for the test's report
     * @param disks the {@code disks} array as JSON
     * @param field the field clone-service's 400 names (its start, for errors inside a value)
     */
    public record Case(String name, ArrayNode disks, String field) {
    }

    /** A disk list every service accepts: one disk with one partition. */
    public static ArrayNode valid() {
        return JSON.createArrayNode().add(validDisk());
    }

    public static List<Case> all() {
        List<Case> cases = new ArrayList<>();
        cases.add(disk("NUL in stable_id", d -> d.put("stable_id", "wwn-\u0000"), "disks[0].stable_id"));
        cases.add(disk("newline in model", d -> d.put("model", "DISK\nchain http://x"), "disks[0].model"));
        cases.add(disk("escape in serial", d -> d.put("serial", "S\u001b[2J"), "disks[0].serial"));
        cases.add(disk("100 KB stable_id", d -> d.put("stable_id", "w".repeat(100_000)), "disks[0].stable_id"));
        cases.add(disk("100 KB device_path", d -> d.put("device_path", "/".repeat(100_000)), "disks[0].device_path"));
        cases.add(disk("negative physical sector size", d -> d.put("physical_sector_size", -4096),
                "disks[0].physical_sector_size"));
        cases.add(disk("size beyond 1 EiB", d -> d.put("size_bytes", Long.MAX_VALUE), "disks[0].size_bytes"));
        cases.add(disk("NUL in partition label", d -> partition(d).put("label", "r\u0000"),
                "disks[0].partitions[0].label"));
        cases.add(disk("negative used bytes", d -> partition(d).put("used_bytes", -1),
                "disks[0].partitions[0].used_bytes"));
        cases.add(disk("null flag", d -> ((ArrayNode) partition(d).get("flags")).addNull(),
                "disks[0].partitions[0].flags[1]"));
        cases.add(disk("null partition", d -> ((ArrayNode) d.get("partitions")).addNull(), "disks[0].partitions[1]"));
        ArrayNode withNull = valid();
        withNull.addNull();
        cases.add(new Case("null disk", withNull, "disks[1]"));
        ArrayNode twice = valid();
        twice.add(validDisk());
        cases.add(new Case("two disks with one stable_id", twice, "disks"));
        return cases;
    }

    private static Case disk(String name, Consumer<ObjectNode> change, String field) {
        ObjectNode disk = validDisk();
        change.accept(disk);
        return new Case(name, JSON.createArrayNode().add(disk), field);
    }

    private static ObjectNode partition(ObjectNode disk) {
        return (ObjectNode) disk.get("partitions").get(0);
    }

    private static ObjectNode validDisk() {
        try {
            JsonNode disk = JSON.readTree(VALID_DISK);
            return (ObjectNode) disk;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
