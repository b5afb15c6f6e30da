package io.pureboot.clone.events.validation;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.RECORD_COMPONENT;
import static java.lang.annotation.ElementType.TYPE_USE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * A string a client may send and a service stores, shows or forwards: at most {@link #max()} characters, no
 * control characters (NUL, newline, escape, C1 controls, line and paragraph separators) and no unpaired
 * surrogates. Null is valid; add {@code @NotNull} or {@code @NotBlank} where a value is required.
 *
 * <p>It lives in the event contract, not in {@code platform}, because the node API and the events carry it and the
 * agent, which has no platform, ships the same records; the services enforce it with Hibernate Validator.
 */
@Documented
@Constraint(validatedBy = PlainTextValidator.class)
@Target({FIELD, METHOD, PARAMETER, RECORD_COMPONENT, TYPE_USE})
@Retention(RUNTIME)
public @interface PlainText {

    /** The default bound: a name, an id, a label. */
    int DEFAULT_MAX = 255;

    int max() default DEFAULT_MAX;

    String message() default "must be at most {max} characters without control characters";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
