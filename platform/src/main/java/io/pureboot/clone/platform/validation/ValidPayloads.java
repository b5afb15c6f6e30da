package io.pureboot.clone.platform.validation;

import io.pureboot.clone.events.EventPayload;
import io.pureboot.clone.events.MalformedEventException;
import io.pureboot.clone.platform.rest.ApiExceptionMappers;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks an event's payload against the constraints on its record, the same ones the producing service checked on
 * its REST input: a payload that breaks them (an older producer, a hand-made record) is skipped as malformed with
 * the fields at fault in the log, instead of failing on the database and being retried and parked.
 */
@ApplicationScoped
public class ValidPayloads {

    private final Validator validator;

    public ValidPayloads(Validator validator) {
        this.validator = validator;
    }

    /** The payload, or a {@link MalformedEventException} naming every field at fault. */
    public <T extends EventPayload> T require(T payload) {
        Set<ConstraintViolation<T>> violations = validator.validate(payload);
        if (violations.isEmpty()) {
            return payload;
        }
        String fields = violations.stream()
                .map(violation -> ApiExceptionMappers.fieldName(violation) + ": " + violation.getMessage())
                .sorted()
                .collect(Collectors.joining("; "));
        throw new MalformedEventException(payload.getClass().getSimpleName() + " breaks its contract: " + fields,
                null);
    }
}
