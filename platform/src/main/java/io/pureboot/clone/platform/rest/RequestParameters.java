package io.pureboot.clone.platform.rest;

import jakarta.validation.Path;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Optional;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * The name a client gave a validated resource-method parameter: {@code ?version=} is {@code version}, whatever the
 * Java parameter is called. Empty for the body, which has no name of its own.
 */
final class RequestParameters {

    private RequestParameters() {
    }

    static Optional<String> name(Class<?> resource, Path.MethodNode methodNode, Path.ParameterNode parameterNode) {
        Method method = find(resource, methodNode.getName(), methodNode.getParameterTypes());
        int index = parameterNode.getParameterIndex();
        if (method == null || index < 0 || index >= method.getParameterCount()) {
            return Optional.empty();
        }
        for (Annotation annotation : method.getParameterAnnotations()[index]) {
            String name = switch (annotation) {
                case QueryParam query -> query.value();
                case PathParam path -> path.value();
                case HeaderParam header -> header.value();
                case CookieParam cookie -> cookie.value();
                case FormParam form -> form.value();
                case RestQuery query -> orElse(query.value(), parameterNode.getName());
                case RestPath path -> orElse(path.value(), parameterNode.getName());
                case RestHeader header -> orElse(header.value(), parameterNode.getName());
                default -> null;
            };
            if (name != null) {
                return Optional.of(name);
            }
        }
        return Optional.empty();
    }

    /** The method on the class or a superclass (Quarkus may validate on a generated subclass). */
    private static Method find(Class<?> type, String name, List<Class<?>> parameterTypes) {
        for (Class<?> current = type; current != null && current != Object.class; current = current.getSuperclass()) {
            try {
                return current.getDeclaredMethod(name, parameterTypes.toArray(Class<?>[]::new));
            } catch (NoSuchMethodException e) {
                // declared higher up
            }
        }
        return null;
    }

    private static String orElse(String value, String fallback) {
        return value == null || value.isEmpty() ? fallback : value;
    }
}
