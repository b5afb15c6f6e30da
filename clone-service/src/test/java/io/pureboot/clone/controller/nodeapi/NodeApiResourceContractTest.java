package io.pureboot.clone.controller.nodeapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.pureboot.clone.controller.nodeapi.rest.BootTicketResource;
import io.pureboot.clone.controller.nodeapi.rest.NodeApiResource;
import io.pureboot.clone.nodeapi.NodeApiCall;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The resources serve exactly the node-api module's calls, with its records as bodies and answers. */
class NodeApiResourceContractTest {

    @Test
    void theResourceServesExactlyTheContractsCalls() {
        Map<String, Method> served = served();

        assertThat(served.keySet()).containsExactlyInAnyOrderElementsOf(
                Arrays.stream(NodeApiCall.values()).map(NodeApiCall::toString).toList());
    }

    @Test
    void eachCallTakesAndAnswersTheContractsRecords() {
        Map<String, Method> served = served();
        for (NodeApiCall call : NodeApiCall.values()) {
            Method method = served.get(call.toString());
            Class<?> body = Arrays.stream(method.getParameterTypes()).findFirst().orElse(null);
            assertThat(body).as("body of %s", call).isEqualTo(call.request());
            if (call.answer() != null) {
                assertThat(answerOf(method)).as("answer of %s", call).isEqualTo(call.answer());
            }
        }
    }

    /** Every call of the node API's resources: the ticket exchange has its own (it needs no token). */
    private static Map<String, Method> served() {
        Map<String, Method> served = new HashMap<>();
        for (Class<?> resource : List.of(NodeApiResource.class, BootTicketResource.class)) {
            String base = resource.getAnnotation(Path.class).value();
            for (Method method : resource.getDeclaredMethods()) {
                String verb = method.isAnnotationPresent(GET.class) ? "GET"
                        : method.isAnnotationPresent(POST.class) ? "POST" : null;
                if (verb == null) {
                    assertThat(method.getAnnotation(Path.class)).as("%s has a path but no GET or POST", method).isNull();
                    continue;
                }
                Path path = method.getAnnotation(Path.class);
                assertThat(served.put(verb + " " + base + (path == null ? "" : path.value()), method))
                        .as("%s is served twice", method).isNull();
            }
        }
        return served;
    }

    /** {@code T} of {@code Uni<T>}. */
    private static Type answerOf(Method method) {
        return ((ParameterizedType) method.getGenericReturnType()).getActualTypeArguments()[0];
    }
}
