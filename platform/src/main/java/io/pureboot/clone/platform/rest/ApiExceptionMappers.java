package io.pureboot.clone.platform.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns refused input into 4xx answers that name the field and the reason, the same way in every
 * service: Bean Validation failures and unreadable JSON become 400, {@link ApiException}s their own status.
 */
public final class ApiExceptionMappers {

    private static final PropertyNamingStrategies.NamingBase SNAKE_CASE =
            (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;

    @ServerExceptionMapper
    public Response apiException(ApiException exception) {
        return answer(exception.status(), exception.getMessage(), exception.fields());
    }

    @ServerExceptionMapper
    public Response constraintViolation(ConstraintViolationException exception) {
        List<ApiError.FieldError> fields = exception.getConstraintViolations().stream()
                .map(violation -> new ApiError.FieldError(fieldName(violation), violation.getMessage()))
                .sorted(Comparator.comparing(ApiError.FieldError::field))
                .toList();
        String message = fields.stream().map(field -> field.field() + ": " + field.reason())
                .collect(Collectors.joining("; "));
        return answer(400, message, fields);
    }

    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException exception) {
        String field = exception instanceof JsonMappingException mapping ? jsonPath(mapping) : "body";
        // A record's compact constructor refusing a value says why better than Jackson's wrapper does.
        String reason = reason(exception);
        return answer(400, field + ": " + reason, List.of(new ApiError.FieldError(field, reason)));
    }

    private static String reason(JsonProcessingException exception) {
        if (exception instanceof ValueInstantiationException && exception.getCause() != null
                && exception.getCause().getMessage() != null) {
            return exception.getCause().getMessage();
        }
        if (exception instanceof InvalidFormatException format && format.getTargetType() != null
                && format.getTargetType().isEnum()) {
            return "must be one of: " + enumNames(format.getTargetType());
        }
        return exception.getOriginalMessage().lines().findFirst().orElse("malformed JSON");
    }

    /** The wire names of an enum's constants (their {@code @JsonProperty} names where they have one). */
    private static String enumNames(Class<?> type) {
        List<String> names = new ArrayList<>();
        for (java.lang.reflect.Field constant : type.getFields()) {
            if (constant.isEnumConstant()) {
                JsonProperty property = constant.getAnnotation(JsonProperty.class);
                names.add(property != null ? property.value() : constant.getName());
            }
        }
        return String.join(", ", names);
    }

    /**
     * No valid credential (none, malformed, unknown, expired): the documented body, with the challenge clients expect.
     * Quarkus would answer 401 without a body; with proactive authentication off, its failures reach these mappers.
     */
    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException exception) {
        return unauthenticated();
    }

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException exception) {
        return unauthenticated();
    }

    private static Response unauthenticated() {
        return Response.fromResponse(answer(401, "a valid bearer credential is required", List.of()))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"pureboot\"").build();
    }

    /** A valid credential whose role is below what the operation needs (or a node token on an operator endpoint). */
    @ServerExceptionMapper
    public Response forbidden(ForbiddenException exception) {
        return answer(403, "this credential's role does not allow this operation", List.of());
    }

    /** More specific than the JSON mapper above, so that Quarkus' own body-less 400 does not win. */
    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException exception) {
        return unreadableJson(exception);
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonParseException exception) {
        return unreadableJson(exception);
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException exception) {
        if (exception.getCause() instanceof JsonProcessingException json) {
            return unreadableJson(json);
        }
        int status = exception.getResponse().getStatus();
        if (status >= 500) {
            return exception.getResponse();
        }
        if (status == 415) {
            return answer(status, "the body must be sent as Content-Type: application/json", List.of());
        }
        return answer(status, exception.getMessage(), List.of());
    }

    private static Response answer(int status, String message, List<ApiError.FieldError> fields) {
        Response.Status known = Response.Status.fromStatusCode(status);
        String error = status == 422 ? "Unprocessable Entity" : known == null ? "Error" : known.getReasonPhrase();
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ApiError(status, error, message, fields))
                .build();
    }

    /**
     * The violated property as the client named it: the path below the method parameter in snake_case with list
     * indexes ({@code targets[0].disk_id}, {@code disks[2]}); a query, path or header parameter by its name; the
     * body as a whole as {@code body}.
     */
    public static String fieldName(ConstraintViolation<?> violation) {
        List<String> names = new ArrayList<>();
        Path.MethodNode method = null;
        Path.ParameterNode parameter = null;
        for (Path.Node node : violation.getPropertyPath()) {
            if (node.isInIterable() && !names.isEmpty()) {
                Object position = node.getIndex() != null ? node.getIndex() : node.getKey();
                if (position != null) {
                    names.set(names.size() - 1, names.getLast() + "[" + position + "]");
                }
            }
            switch (node.getKind()) {
                case PROPERTY -> names.add(SNAKE_CASE.translate(node.getName()));
                case METHOD -> method = node.as(Path.MethodNode.class);
                case PARAMETER -> {
                    parameter = node.as(Path.ParameterNode.class);
                    names.clear();
                }
                default -> {
                }
            }
        }
        if (!names.isEmpty()) {
            return String.join(".", names);
        }
        return parameter == null || method == null ? "body"
                : RequestParameters.name(violation.getRootBeanClass(), method, parameter).orElse("body");
    }

    private static String jsonPath(JsonMappingException exception) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : exception.getPath()) {
            if (reference.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "body" : path.toString();
    }
}
