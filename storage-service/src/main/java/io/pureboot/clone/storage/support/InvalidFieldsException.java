package io.pureboot.clone.storage.support;

import io.pureboot.clone.platform.rest.ApiError;
import io.pureboot.clone.platform.rest.ApiException;
import java.util.List;
import java.util.stream.Collectors;

/** A 400 or 422 answer naming several fields at once, each with its reason. */
public final class InvalidFieldsException extends ApiException {

    private InvalidFieldsException(int status, List<ApiError.FieldError> fields) {
        super(status, fields.stream().map(field -> field.field() + ": " + field.reason())
                .collect(Collectors.joining("; ")), fields);
    }

    /** 400: required input is missing. */
    public static InvalidFieldsException missing(List<ApiError.FieldError> fields) {
        return new InvalidFieldsException(400, fields);
    }

    /** 422: the input is well formed but breaks a rule. */
    public static InvalidFieldsException unprocessable(List<ApiError.FieldError> fields) {
        return new InvalidFieldsException(422, fields);
    }
}
