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
 * A name that can travel as one path segment of a URL and one word of a log line or a script: a letter or digit,
 * then letters, digits, '.', '_', '-', ':' or '@', at most {@link #max()} characters
 * ({@link TextRules#PLAIN_NAME}). An API key named so can always be revoked through the origin ({@code /},
 * {@code ..} and spaces are impossible).
 * Null is valid; add {@code @NotNull} where a value is required.
 */
@Documented
@Constraint(validatedBy = PlainNameValidator.class)
@Target({FIELD, METHOD, PARAMETER, RECORD_COMPONENT, TYPE_USE})
@Retention(RUNTIME)
public @interface PlainName {

    int max() default 100;

    String message() default "must be a name of at most {max} characters: a letter or digit, then letters, digits,"
            + " '.', '_', '-', ':' or '@'";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
