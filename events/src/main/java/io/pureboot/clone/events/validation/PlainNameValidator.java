package io.pureboot.clone.events.validation;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;

/** Checks {@link PlainName}; the rule itself is {@link TextRules#isPlainName}. */
public final class PlainNameValidator implements ConstraintValidator<PlainName, CharSequence> {

    private int max;

    @Override
    public void initialize(PlainName annotation) {
        this.max = annotation.max();
    }

    @Override
    public boolean isValid(CharSequence value, ConstraintValidatorContext context) {
        return value == null || TextRules.isPlainName(value, max);
    }
}
