package io.pureboot.clone.testing.fuzz;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Sends hostile input to every operation of a service's OpenAPI document and collects what went wrong: a 5xx,
 * a 4xx without the documented JSON error body, hostile input accepted (2xx), or a refusal that changed state.
 *
 * <p>The operations come from the document the running service publishes, so an endpoint added later is fuzzed
 * without anyone remembering to. Each request starts from a sample built from the operation's schema (the
 * {@link Config#pathValue} of each path parameter, {@link Config#sample} overrides for fields whose pattern a
 * generic sample cannot meet) and breaks exactly one thing: a string with NUL, escape or newline, a 100 KB string,
 * a {@code null} list element, a negative or absurd number, an unknown enum value, a wrong type, JSON followed by
 * garbage, malformed JSON, the wrong Content-Type. A schema the fuzzer cannot fill fails the run.
 */
public final class OpenApiFuzzer {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<String> METHODS = List.of("get", "put", "post", "delete", "patch");
    private static final String LONG_BODY_STRING = "x".repeat(100_000);
    /** Long enough to break every bound, short enough for a request line (servers refuse 4 KB+ lines). */
    private static final String LONG_URL_STRING = "x".repeat(1_500);

    private final Config config;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, Integer> statusClasses = new TreeMap<>();
    private final List<String> failures = new ArrayList<>();
    private int requests;
    private JsonNode document;

    private OpenApiFuzzer(Config config) {
        this.config = config;
    }

    /**
     * What the fuzzer needs to know about one service.
     *
     * @param baseUrl the service, e.g. http://localhost:8081
     * @param include which paths to fuzz (e.g. everything but the node API, fuzzed with another identity)
     * @param headers extra headers per path (a service token, a node token); may return an empty map
     * @param pathValue a valid value for a path parameter (path, parameter name), so the body is what is refused
     * @param sample a valid value for a body field or query parameter by name, or null for the generic sample
     * @param snapshot the state a refusal must not change (list endpoints, rows), compared as text
     * @param noSample operations ("POST /path") whose valid sample must not be sent, because it would end the
     *     fixture the others need (a node reporting failure voids its token)
     */
    public record Config(String baseUrl, Function<String, Boolean> include, Function<String, Map<String, String>> headers,
            BiFunction<String, String, String> pathValue, Function<String, JsonNode> sample, Supplier<String> snapshot,
            Set<String> noSample) {
    }

    /** What a run did. */
    public record Result(int requests, Map<String, Integer> statusClasses, List<String> failures, int operations) {

        public String summary() {
            return requests + " requests over " + operations + " operations, status classes " + statusClasses;
        }
    }

    public static Result run(Config config) {
        return new OpenApiFuzzer(config).fuzzAll();
    }

    private Result fuzzAll() {
        document = readDocument();
        int operations = 0;
        for (Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            if (!config.include().apply(path.getKey())) {
                continue;
            }
            for (String method : METHODS) {
                JsonNode operation = path.getValue().get(method);
                if (operation != null) {
                    operations++;
                    fuzz(path.getKey(), method, operation, path.getValue().path("parameters"));
                }
            }
        }
        return new Result(requests, Map.copyOf(statusClasses), List.copyOf(failures), operations);
    }

    private void fuzz(String path, String method, JsonNode operation, JsonNode pathLevelParameters) {
        List<JsonNode> parameters = new ArrayList<>();
        pathLevelParameters.forEach(parameters::add);
        operation.path("parameters").forEach(parameters::add);
        Map<String, String> pathParams = new LinkedHashMap<>();
        Map<String, JsonNode> queryParams = new LinkedHashMap<>();
        Map<String, String> baseQuery = new LinkedHashMap<>();
        for (JsonNode parameter : parameters) {
            String name = parameter.path("name").asText();
            switch (parameter.path("in").asText()) {
                case "path" -> pathParams.put(name, config.pathValue().apply(path, name));
                case "query" -> {
                    queryParams.put(name, parameter.path("schema"));
                    JsonNode value = config.sample().apply(name);
                    if (value == null && parameter.path("required").asBoolean(false)) {
                        value = sample(parameter.path("schema"), name, method + " " + path);
                    }
                    if (value != null && !value.isNull()) {
                        baseQuery.put(name, value.asText());
                    }
                }
                case "header", "cookie" -> {
                }
                default -> throw new AssertionError("cannot fill parameter " + parameter + " of " + method + " " + path);
            }
        }
        JsonNode bodySchema = operation.path("requestBody").path("content").path("application/json").path("schema");
        JsonNode body = bodySchema.isMissingNode() ? null : sample(bodySchema, "body", path + " " + method);
        if (operation.path("requestBody").path("content").size() > 0 && body == null) {
            throw new AssertionError("cannot fill the body of " + method + " " + path + ": "
                    + operation.path("requestBody"));
        }
        Request base = new Request(method, path, pathParams, baseQuery, body == null ? null : write(body),
                body == null ? null : "application/json");
        // The sample itself must be well-formed, or every refusal below could be the sample's fault.
        boolean sampled = !config.noSample().contains(method.toUpperCase() + " " + path);
        int baseline = sampled ? send(base, false, "the sample request") : 0;
        if (baseline == 400 || baseline == 415) {
            failures.add(method.toUpperCase() + " " + path + ": the fuzzer's own sample is refused with " + baseline
                    + "; give the fields a valid sample: " + base.body());
        }
        if (pathParams.isEmpty() && queryParams.isEmpty() && body == null) {
            return;
        }
        for (Map.Entry<String, String> parameter : pathParams.entrySet()) {
            for (Map.Entry<String, String> hostile : hostileUrlStrings().entrySet()) {
                Map<String, String> changed = new LinkedHashMap<>(pathParams);
                changed.put(parameter.getKey(), parameter.getValue() + hostile.getValue());
                send(base.withPath(changed), true, "path " + parameter.getKey() + ": " + hostile.getKey());
            }
        }
        for (Map.Entry<String, JsonNode> parameter : queryParams.entrySet()) {
            JsonNode schema = resolve(parameter.getValue());
            for (Map.Entry<String, String> hostile : hostileQueryValues(schema).entrySet()) {
                Map<String, String> changed = new LinkedHashMap<>(baseQuery);
                changed.put(parameter.getKey(), hostile.getValue());
                send(base.withQuery(changed), true,
                        "query " + parameter.getKey() + ": " + hostile.getKey());
            }
        }
        if (body != null) {
            fuzzBody(base, body, bodySchema);
        }
    }

    private void fuzzBody(Request base, JsonNode body, JsonNode schema) {
        String json = write(body);
        send(base.withBody(json + " {\"trailing\": true}", "application/json"), true, "trailing JSON document");
        send(base.withBody(json + " garbage", "application/json"), true, "trailing garbage");
        send(base.withBody(json.substring(0, Math.max(1, json.length() - 1)), "application/json"), true,
                "truncated JSON");
        send(base.withBody(json, "text/plain"), true, "Content-Type text/plain");
        send(base.withBody(json, "application/x-www-form-urlencoded"), true, "Content-Type form");
        List<Mutation> mutations = new ArrayList<>();
        mutations(body, resolve(schema), "", mutations);
        for (Mutation mutation : mutations) {
            JsonNode changed = body.deepCopy();
            JsonNode mutated = mutation.apply(changed);
            send(base.withBody(write(mutated), "application/json"), true, "body " + mutation.description());
        }
    }

    /** One change of one field: the field's JSON pointer, what is put there, and why. */
    private record Mutation(String pointer, JsonNode value, String description) {

        JsonNode apply(JsonNode root) {
            if (pointer.isEmpty()) {
                return value;
            }
            int slash = pointer.lastIndexOf('/');
            JsonNode parent = slash == 0 ? root : root.at(pointer.substring(0, slash));
            String last = pointer.substring(slash + 1);
            if (parent instanceof ObjectNode object) {
                object.set(last, value);
            } else if (parent instanceof ArrayNode array) {
                array.set(Integer.parseInt(last), value);
            }
            return root;
        }
    }

    private void mutations(JsonNode value, JsonNode schema, String pointer, List<Mutation> into) {
        String where = pointer.isEmpty() ? "(root)" : pointer;
        if (schema.has("enum")) {
            into.add(new Mutation(pointer, NODES.textNode("no_such_value"), where + " = unknown enum value"));
            into.add(new Mutation(pointer, NODES.textNode(schema.path("enum").path(0).asText() + "\u0000"),
                    where + " = enum value with NUL"));
            into.add(new Mutation(pointer, NODES.numberNode(0), where + " = enum as a number"));
            return;
        }
        switch (type(schema, where)) {
            case "object" -> {
                into.add(new Mutation(pointer, NODES.arrayNode(), where + " = a list instead of an object"));
                for (Iterator<Map.Entry<String, JsonNode>> properties = schema.path("properties").fields();
                        properties.hasNext(); ) {
                    Map.Entry<String, JsonNode> property = properties.next();
                    if (value.has(property.getKey())) {
                        mutations(value.get(property.getKey()), resolve(property.getValue()),
                                pointer + "/" + property.getKey(), into);
                    }
                }
            }
            case "array" -> {
                ArrayNode withNull = ((ArrayNode) value.deepCopy()).addNull();
                into.add(new Mutation(pointer, withNull, where + " = list with a null element"));
                into.add(new Mutation(pointer, NODES.textNode("x"), where + " = a string instead of a list"));
                if (!value.isEmpty()) {
                    mutations(value.get(0), resolve(schema.path("items")), pointer + "/0", into);
                }
            }
            case "string" -> {
                for (Map.Entry<String, String> hostile : hostileStrings(LONG_BODY_STRING).entrySet()) {
                    String text = hostile.getKey().equals("100 KB") ? hostile.getValue()
                            : value.asText() + hostile.getValue();
                    into.add(new Mutation(pointer, NODES.textNode(text), where + " = " + hostile.getKey()));
                }
                into.add(new Mutation(pointer, NODES.objectNode(), where + " = an object instead of a string"));
            }
            case "integer", "number" -> {
                into.add(new Mutation(pointer, NODES.numberNode(-1), where + " = -1"));
                into.add(new Mutation(pointer, NODES.numberNode(Long.MIN_VALUE), where + " = Long.MIN_VALUE"));
                into.add(new Mutation(pointer, NODES.numberNode(new java.math.BigInteger("1" + "0".repeat(30))),
                        where + " = 10^30"));
                into.add(new Mutation(pointer, NODES.numberNode(1.5), where + " = 1.5"));
                into.add(new Mutation(pointer, NODES.textNode("1\u0000"), where + " = a string with NUL"));
            }
            case "boolean" -> into.add(new Mutation(pointer, NODES.textNode("maybe"), where + " = maybe"));
            default -> throw new AssertionError("cannot mutate " + where + ": " + schema);
        }
    }

    private static Map<String, String> hostileStrings(String longString) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("NUL", "\u0000");
        values.put("newline", "\nchain http://attacker/x");
        values.put("escape", "\u001b[2J");
        values.put("DEL", "\u007f");
        values.put("C1 control", "\u0085");
        values.put("line separator", "\u2028");
        values.put("lone surrogate", "\ud800");
        values.put("100 KB", longString);
        return values;
    }

    /** A URL cannot carry half a surrogate pair (it is encoded as '?'); everything else can. */
    private static Map<String, String> hostileUrlStrings() {
        Map<String, String> values = new LinkedHashMap<>(hostileStrings(LONG_URL_STRING));
        values.remove("lone surrogate");
        return values;
    }

    private static Map<String, String> hostileQueryValues(JsonNode schema) {
        Map<String, String> values = hostileUrlStrings();
        String type = schema.path("type").asText("string");
        if (type.equals("integer") || type.equals("number")) {
            values.put("-1", "-1");
            values.put("10^30", "1" + "0".repeat(30));
            values.put("not a number", "abc");
        }
        if (schema.has("enum")) {
            values.put("unknown enum value", "no_such_value");
        }
        return values;
    }

    /** A valid-looking value for a schema; field overrides from the config first. */
    private JsonNode sample(JsonNode rawSchema, String name, String where) {
        JsonNode override = config.sample().apply(name);
        if (override != null) {
            return override;
        }
        JsonNode schema = resolve(rawSchema);
        if (schema.has("enum")) {
            return schema.path("enum").get(0);
        }
        return switch (type(schema, where + " " + name)) {
            case "object" -> {
                ObjectNode object = NODES.objectNode();
                for (Iterator<Map.Entry<String, JsonNode>> properties = schema.path("properties").fields();
                        properties.hasNext(); ) {
                    Map.Entry<String, JsonNode> property = properties.next();
                    if (!property.getValue().path("readOnly").asBoolean(false)) {
                        object.set(property.getKey(), sample(property.getValue(), property.getKey(), where));
                    }
                }
                yield object;
            }
            case "array" -> NODES.arrayNode().add(sample(schema.path("items"), name + "[]", where));
            case "string" -> switch (schema.path("format").asText("")) {
                case "uuid" -> NODES.textNode("00000000-0000-4000-8000-000000000001");
                case "date-time" -> NODES.textNode("2026-01-01T00:00:00Z");
                case "date" -> NODES.textNode("2026-01-01");
                default -> NODES.textNode("sample");
            };
            case "integer", "number" -> NODES.numberNode(Math.max(1, schema.path("minimum").asLong(1)));
            case "boolean" -> NODES.booleanNode(true);
            default -> throw new AssertionError("cannot fill " + name + " of " + where + ": " + schema);
        };
    }

    /** The schema's type; a schema without one is a fuzzer gap, never skipped. */
    private static String type(JsonNode schema, String where) {
        if (schema.has("type")) {
            JsonNode type = schema.get("type");
            return type.isArray() ? firstNonNull(type) : type.asText();
        }
        if (schema.has("properties")) {
            return "object";
        }
        throw new AssertionError("the fuzzer does not know how to fill " + where + ": " + schema);
    }

    private static String firstNonNull(JsonNode types) {
        for (JsonNode type : types) {
            if (!type.asText().equals("null")) {
                return type.asText();
            }
        }
        return "null";
    }

    /** Follows $ref and single-element allOf/anyOf/oneOf (nullable references). */
    private JsonNode resolve(JsonNode schema) {
        JsonNode current = schema;
        for (int depth = 0; depth < 10; depth++) {
            if (current.has("$ref")) {
                String ref = current.get("$ref").asText();
                current = document.at(ref.substring(1));
                continue;
            }
            JsonNode composed = current.has("allOf") ? current.get("allOf")
                    : current.has("anyOf") ? current.get("anyOf") : current.get("oneOf");
            if (composed != null) {
                JsonNode chosen = null;
                for (JsonNode option : composed) {
                    if (!option.path("type").asText().equals("null")) {
                        chosen = option;
                        break;
                    }
                }
                current = Objects.requireNonNull(chosen, "no non-null option in " + current);
                continue;
            }
            return current;
        }
        throw new AssertionError("schema references nest too deep: " + schema);
    }

    private record Request(String method, String path, Map<String, String> pathParams, Map<String, String> query,
            String body, String contentType) {

        Request withPath(Map<String, String> values) {
            return new Request(method, path, values, query, body, contentType);
        }

        Request withQuery(Map<String, String> values) {
            return new Request(method, path, pathParams, values, body, contentType);
        }

        Request withBody(String newBody, String newContentType) {
            return new Request(method, path, pathParams, query, newBody, newContentType);
        }

        String uri() {
            String resolved = path;
            for (Map.Entry<String, String> parameter : pathParams.entrySet()) {
                resolved = resolved.replace("{" + parameter.getKey() + "}", encode(parameter.getValue()));
            }
            StringBuilder uri = new StringBuilder(resolved);
            char separator = '?';
            for (Map.Entry<String, String> parameter : query.entrySet()) {
                uri.append(separator).append(encode(parameter.getKey())).append('=')
                        .append(encode(parameter.getValue()));
                separator = '&';
            }
            return uri.toString();
        }

        private static String encode(String value) {
            return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
        }
    }

    /** Sends one request and checks its answer; returns the status, 0 when none came. */
    private int send(Request request, boolean hostile, String what) {
        String label = request.method().toUpperCase() + " " + request.path() + " [" + what + "]";
        String before = hostile ? config.snapshot().get() : null;
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(config.baseUrl() + request.uri()))
                .timeout(Duration.ofSeconds(20))
                .method(request.method().toUpperCase(), request.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(request.body(), StandardCharsets.UTF_8));
        if (request.contentType() != null) {
            builder.header("Content-Type", request.contentType());
        }
        builder.header("Accept", "application/json, text/event-stream");
        config.headers().apply(request.path()).forEach(builder::header);
        HttpResponse<InputStream> response;
        String body;
        try {
            response = http.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream stream = response.body()) {
                boolean eventStream = response.headers().firstValue("Content-Type").orElse("")
                        .startsWith("text/event-stream");
                body = eventStream ? "" : new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            failures.add(label + ": no answer: " + e);
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        requests++;
        int status = response.statusCode();
        statusClasses.merge(status / 100 + "xx", 1, Integer::sum);
        if (status >= 500) {
            failures.add(label + ": " + status + " " + abbreviate(body));
            return status;
        }
        if (status >= 400) {
            checkErrorBody(label, status, response, body);
            if (hostile) {
                String after = config.snapshot().get();
                if (!after.equals(before)) {
                    failures.add(label + ": refused with " + status + " but the state changed");
                }
            }
            return status;
        }
        if (hostile) {
            failures.add(label + ": hostile input accepted with " + status + " " + abbreviate(body));
        }
        return status;
    }

    private void checkErrorBody(String label, int status, HttpResponse<?> response, String body) {
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (!type.startsWith("application/json")) {
            failures.add(label + ": " + status + " without a JSON body (Content-Type " + type + ") " + abbreviate(body));
            return;
        }
        try {
            JsonNode error = JSON.readTree(body);
            if (error.path("status").asInt() != status || !error.path("message").isTextual()
                    || !error.path("error").isTextual() || !error.path("fields").isArray()) {
                failures.add(label + ": " + status + " body is not the documented error: " + abbreviate(body));
            }
        } catch (IOException e) {
            failures.add(label + ": " + status + " body is not JSON: " + abbreviate(body));
        }
    }

    /** JSON with every non-ASCII character escaped, so that half a surrogate pair reaches the server as sent. */
    private static String write(JsonNode body) {
        try {
            return JSON.writer().with(JsonWriteFeature.ESCAPE_NON_ASCII).writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String abbreviate(String text) {
        String single = text.replace('\n', ' ');
        return single.length() > 300 ? single.substring(0, 300) + "..." : single;
    }

    private JsonNode readDocument() {
        HttpRequest request = HttpRequest.newBuilder(URI.create(config.baseUrl() + "/q/openapi?format=json"))
                .timeout(Duration.ofSeconds(20)).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new AssertionError("no OpenAPI document: " + response.statusCode());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("no OpenAPI document: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
