package io.pureboot.clone.events.validation;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;

/** Checks {@link PlainText}; the rule itself is {@link TextRules#isPlainText}. */
public final class PlainTextValidator implements ConstraintValidator<PlainText, CharSequence> {

    private int max;

    @Override
    public void initialize(PlainText annotation) {
        this.max = annotation.max();
    }

    @Override
    public boolean isValid(CharSequence value, ConstraintValidatorContext context) {
        return value == null || TextRules.isPlainText(value, max);
    }
}
