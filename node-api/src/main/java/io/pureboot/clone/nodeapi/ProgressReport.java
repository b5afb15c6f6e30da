package io.pureboot.clone.nodeapi;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * {@code POST /api/v1/node/progress}: what an agent reports every couple of seconds.
 *
 * @param bytesDone bytes of the disk done (skipped free space counts as done)
 * @param bytesTotal bytes of the phase; 0 while unknown, and then nothing can be done yet
 * @param rateBytesPerSecond measured over the last interval
 *
 * <p>A report whose phase is not its node's role ({@link ProgressPhase#isFor}) is refused by clone-service, which
 * knows the role from the token.
 */
@ProgressReport.WithinTotal
public record ProgressReport(
        @NotNull(message = "is required") ProgressPhase phase,
        @PositiveOrZero(message = "must not be negative") long bytesDone,
        @PositiveOrZero(message = "must not be negative") long bytesTotal,
        @PositiveOrZero(message = "must not be negative") long rateBytesPerSecond) {

    /** Bytes done never exceed the total: a total of 0 (not known yet) allows none. Reported on {@code bytes_done}. */
    @Documented
    @Constraint(validatedBy = WithinTotalValidator.class)
    @Target(ElementType.TYPE)
    @Retention(RetentionPolicy.RUNTIME)
    public @interface WithinTotal {

        String message() default "must not exceed bytes_total";

        Class<?>[] groups() default {};

        Class<? extends Payload>[] payload() default {};
    }

    /** Checks {@link WithinTotal}; negative numbers are left to their own constraints. */
    public static final class WithinTotalValidator implements ConstraintValidator<WithinTotal, ProgressReport> {

        @Override
        public boolean isValid(ProgressReport report, ConstraintValidatorContext context) {
            if (report == null || report.bytesDone() < 0 || report.bytesTotal() < 0
                    || report.bytesDone() <= report.bytesTotal()) {
                return true;
            }
            context.disableDefaultConstraintViolation();
            context.buildConstraintViolationWithTemplate(context.getDefaultConstraintMessageTemplate())
                    .addPropertyNode("bytesDone").addConstraintViolation();
            return false;
        }
    }
}
