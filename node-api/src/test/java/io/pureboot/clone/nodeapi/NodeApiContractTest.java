package io.pureboot.clone.nodeapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pureboot.clone.events.session.CloneMode;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Every node-API record survives the wire as both sides bind it, and the strict rules hold. */
class NodeApiContractTest {

    private final ObjectMapper mapper = NodeApiJson.mapper();

    static List<Object> samples() {
        return Samples.all();
    }

    @ParameterizedTest
    @MethodSource("samples")
    void everyRecordRoundTripsInSnakeCase(Object sample) throws Exception {
        String json = mapper.writeValueAsString(sample);

        assertThat(mapper.readValue(json, sample.getClass())).isEqualTo(sample);
        mapper.readTree(json).fieldNames().forEachRemaining(name -> assertThat(name).matches("[a-z0-9_]+"));
    }

    @ParameterizedTest
    @MethodSource("samples")
    void anUnknownPropertyFailsAtTopLevel(Object sample) throws Exception {
        ObjectNode tree = (ObjectNode) mapper.valueToTree(sample);
        tree.put("surprise", 1);

        assertThatThrownBy(() -> mapper.treeToValue(tree, sample.getClass()))
                .isInstanceOf(UnrecognizedPropertyException.class).hasMessageContaining("surprise");
    }

    @Test
    void anUnknownPropertyFailsInNestedRecordsToo() throws Exception {
        ObjectNode instructions = (ObjectNode) mapper.valueToTree(Samples.instructions());
        ((ObjectNode) instructions.get("plan").get("partitions").get(0)).put("surprise", 1);
        ObjectNode inventory = (ObjectNode) mapper.valueToTree(Samples.all().get(4));
        ((ObjectNode) inventory.get("disks").get(0).get("partitions").get(0)).put("surprise", 1);

        assertThatThrownBy(() -> mapper.treeToValue(instructions, Instructions.class))
                .isInstanceOf(UnrecognizedPropertyException.class);
        assertThatThrownBy(() -> mapper.treeToValue(inventory, InventoryReport.class))
                .isInstanceOf(UnrecognizedPropertyException.class);
    }

    @Test
    void everyRecordOfTheCallsHasASample() {
        Set<Class<?>> used = Arrays.stream(NodeApiCall.values())
                .flatMap(call -> Stream.of(call.request(), call.answer()))
                .filter(type -> type != null).collect(Collectors.toSet());
        Set<Class<?>> sampled = samples().stream().map(Object::getClass).collect(Collectors.toSet());

        assertThat(sampled).containsAll(used);
    }

    @ParameterizedTest
    @EnumSource(AgentMode.class)
    void agentModesAreTheirCommandNamesOnTheWire(AgentMode mode) throws Exception {
        assertThat(mapper.writeValueAsString(mode)).isEqualTo("\"" + mode.command() + "\"");
        assertThat(mapper.readValue("\"" + mode.command() + "\"", AgentMode.class)).isEqualTo(mode);
    }

    @Test
    void aSessionsModeIsItsRoleAndCloneMode() {
        List<String> modes = new ArrayList<>();
        for (CloneMode mode : CloneMode.values()) {
            for (NodeRole role : List.of(NodeRole.SOURCE, NodeRole.TARGET)) {
                modes.add(AgentMode.forClone(role, mode).command());
            }
        }

        assertThat(modes).containsExactly("clone-source-staged", "clone-target-staged", "clone-source-direct",
                "clone-target-direct");
        assertThat(AgentMode.forClone(NodeRole.INVENTORY, CloneMode.STAGED)).isEqualTo(AgentMode.INVENTORY);
    }

    @Test
    void unknownEnumValuesAreRefused() {
        assertThatThrownBy(() -> mapper.readValue("{\"phase\": \"transfer\", \"bytes_done\": 0, \"bytes_total\": 0, "
                + "\"rate_bytes_per_second\": 0}", ProgressReport.class)).hasMessageContaining("transfer");
        assertThatThrownBy(() -> mapper.readValue("\"clone-sideways\"", AgentMode.class))
                .hasMessageContaining("clone-sideways");
    }

    @Test
    void answersTheAgentReliesOnAreCompleteOrRefused() {
        assertThatThrownBy(() -> mapper.readValue("{\"mode\": \"clone-target-staged\", \"role\": \"target\", "
                + "\"disk_id\": \"wwn-1\"}", Instructions.class))
                .isInstanceOf(ValueInstantiationException.class).hasMessageContaining("session_id is null");
        assertThatThrownBy(() -> mapper.readValue("{\"backend_type\": \"nfs\", \"staging_path\": \"../etc\", "
                + "\"read_only\": true, \"nfs\": {\"server\": \"s\", \"export\": \"/e\"}}", StagingGrant.class))
                .hasMessageContaining("relative directory name");
        assertThatThrownBy(() -> mapper.readValue("{\"backend_type\": \"iscsi\", \"staging_path\": \"s\", "
                + "\"read_only\": true, \"nfs\": {\"server\": \"s\", \"export\": \"/e\"}}", StagingGrant.class))
                .hasMessageContaining("exactly for backend_type");
        assertThatThrownBy(() -> mapper.readValue("{\"role\": \"target\", \"source_needed\": true}", DirectInfo.class))
                .hasMessageContaining("session_id is null");
    }

    @Test
    void instructionsWithoutTheSwarmFieldRunNoSwarm() throws Exception {
        Instructions instructions = mapper.readValue("{\"session_id\": \"5e55a0b1-0000-4000-8000-000000000001\", "
                + "\"mode\": \"clone-target-staged\", \"role\": \"target\", \"disk_id\": \"wwn-1\"}",
                Instructions.class);

        assertThat(instructions.swarm()).isFalse();
        assertThat(mapper.valueToTree(Samples.instructions()).get("swarm").asBoolean()).isTrue();
    }

    @Test
    void theInventoryInstructionsNeedNoSessionOrDisk() throws Exception {
        JsonNode json = mapper.valueToTree(Instructions.inventory());

        assertThat(json.get("mode").asText()).isEqualTo("inventory");
        assertThat(json.get("role").asText()).isEqualTo("inventory");
        assertThat(json.get("session_id").isNull()).isTrue();
    }

    @Test
    void aCredentialNeverAppearsInToString() {
        assertThat(new StagingGrant.Iscsi("p", "iqn.x:s", 0, "user", "top-secret").toString())
                .doesNotContain("top-secret");
        assertThat(new BootTicketExchange("pbt_" + "s".repeat(43)).toString()).doesNotContain("sss");
        assertThat(new NodeTokenGrant("pbn_" + "s".repeat(43), OffsetDateTime.now()).toString()).doesNotContain("sss");
    }
}
