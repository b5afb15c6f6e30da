package io.pureboot.clone.nodeapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** docs/node-agent.md's node API table lists exactly the calls of {@link NodeApiCall}, with every body property. */
class NodeApiDocTest {

    private static final Path DOC = Path.of("..", "docs", "node-agent.md");
    private static final Pattern ROW = Pattern.compile("^\\| `(GET|POST|PUT|DELETE|PATCH) (/api/v1/node[^`]*)` \\|(.*)\\|$");

    @Test
    void theTableListsExactlyTheCalls() throws IOException {
        List<String> documented = rows().keySet().stream().toList();
        List<String> declared = Arrays.stream(NodeApiCall.values()).map(NodeApiCall::toString).toList();

        assertThat(documented).containsExactlyElementsOf(declared);
    }

    @ParameterizedTest
    @EnumSource(NodeApiCall.class)
    void eachRowNamesEveryPropertyOfItsBodyAndAnswer(NodeApiCall call) throws IOException {
        String row = rows().get(call.toString());

        assertThat(row).as("row of %s", call).isNotNull();
        for (Class<?> type : new Class<?>[] {call.request(), call.answer()}) {
            if (type != null) {
                assertThat(row).as("row of %s", call).contains(properties(type));
            }
        }
    }

    private static List<String> properties(Class<?> type) {
        ObjectMapper mapper = NodeApiJson.mapper();
        BeanDescription description = mapper.getSerializationConfig()
                .introspect(mapper.constructType(type));
        return description.findProperties().stream().map(BeanPropertyDefinition::getName)
                .collect(Collectors.toList());
    }

    /** "METHOD /path" to the rest of the row, in the document's order. */
    private static Map<String, String> rows() throws IOException {
        Map<String, String> rows = new LinkedHashMap<>();
        for (String line : Files.readAllLines(DOC)) {
            Matcher matcher = ROW.matcher(line.strip());
            if (matcher.matches()) {
                rows.put(matcher.group(1) + " " + matcher.group(2), matcher.group(3));
            }
        }
        return rows;
    }
}
