package io.pureboot.clone.events.validation;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.RECORD_COMPONENT;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/** A list of disks in which no two share a stable id: disks are chosen by it, so it must name one disk. */
@Documented
@Constraint(validatedBy = DistinctDiskIdsValidator.class)
@Target({FIELD, METHOD, PARAMETER, RECORD_COMPONENT})
@Retention(RUNTIME)
public @interface DistinctDiskIds {

    String message() default "must not list two disks with the same stable_id";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
