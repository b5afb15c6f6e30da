package io.pureboot.clone.platform.rest;

import java.util.List;

/**
 * The body of every 4xx answer: a status, a one-line message an operator can act on, and for
 * input errors the fields at fault with the reason for each.
 */
public record ApiError(int status, String error, String message, List<FieldError> fields) {

    public ApiError {
        fields = fields == null ? List.of() : List.copyOf(fields);
    }

    /** One field that was missing or wrong, named as the client sent it (snake_case, dotted path). */
    public record FieldError(String field, String reason) {
    }
}
