package io.pureboot.clone.planner.plan.service;

import io.pureboot.clone.platform.rest.ApiError;
import io.pureboot.clone.platform.rest.ApiException;
import java.util.List;

/** A 409 that names what is missing or stale field by field, as the operator must fix it. */
public final class PlannerException extends ApiException {

    private PlannerException(int status, String message, List<ApiError.FieldError> fields) {
        super(status, message, fields);
    }

    /** 409: an inventory the plan needs has not been reported (yet). */
    public static PlannerException missingInventory(String message, List<ApiError.FieldError> fields) {
        return new PlannerException(409, message, fields);
    }
}
