package io.pureboot.clone.platform.rest;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
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
        String reason = exception instanceof ValueInstantiationException && exception.getCause() != null
                ? exception.getCause().getMessage()
                : exception.getOriginalMessage().lines().findFirst().orElse("malformed JSON");
        return answer(400, field + ": " + reason, List.of(new ApiError.FieldError(field, reason)));
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

    /** The violated property as the client named it: the path below the method parameter, in snake_case. */
    private static String fieldName(ConstraintViolation<?> violation) {
        List<String> names = new ArrayList<>();
        for (Path.Node node : violation.getPropertyPath()) {
            switch (node.getKind()) {
                case PROPERTY, CONTAINER_ELEMENT -> {
                    if (node.getName() != null) {
                        String index = node.getIndex() == null ? "" : "[" + node.getIndex() + "]";
                        names.add(SNAKE_CASE.translate(node.getName()) + index);
                    }
                }
                case PARAMETER -> names.clear();
                default -> {
                }
            }
        }
        return names.isEmpty() ? "body" : String.join(".", names);
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
