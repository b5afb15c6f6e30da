package io.pureboot.clone.platform.rest;

import java.util.List;

/**
 * A request the service refuses for a reason the client can fix or must know about. Thrown from
 * services; {@link ApiExceptionMappers} turns it into a 4xx answer with an {@link ApiError} body.
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final List<ApiError.FieldError> fields;

    protected ApiException(int status, String message, List<ApiError.FieldError> fields) {
        super(message);
        this.status = status;
        this.fields = List.copyOf(fields);
    }

    /** 404: the thing asked for does not exist. */
    public static ApiException notFound(String what, Object id) {
        return new ApiException(404, what + " " + id + " does not exist", List.of());
    }

    /** 403: the caller is known but may not do this. */
    public static ApiException forbidden(String message) {
        return new ApiException(403, message, List.of());
    }

    /** 409: the request clashes with the current state (a duplicate name, an invalid transition). */
    public static ApiException conflict(String message) {
        return new ApiException(409, message, List.of());
    }

    /** 422: well-formed input that breaks a rule; one entry per field at fault. */
    public static ApiException unprocessable(String message, List<ApiError.FieldError> fields) {
        return new ApiException(422, message, fields);
    }

    /** 422 for a single field. */
    public static ApiException invalidField(String field, String reason) {
        return unprocessable(field + ": " + reason, List.of(new ApiError.FieldError(field, reason)));
    }

    /** 503: a service this one needs cannot be reached now; the caller may retry. */
    public static ApiException unavailable(String message) {
        return new ApiException(503, message, List.of());
    }

    /** 415: a body of a type the operation does not read. */
    public static ApiException unsupportedMediaType(String contentType) {
        return new ApiException(415, "a body of Content-Type " + contentType + " is not read here; send "
                + "application/json", List.of());
    }

    /** 400: the input is malformed or incomplete. */
    public static ApiException badRequest(String field, String reason) {
        return new ApiException(400, field + ": " + reason, List.of(new ApiError.FieldError(field, reason)));
    }

    public int status() {
        return status;
    }

    public List<ApiError.FieldError> fields() {
        return fields;
    }
}
