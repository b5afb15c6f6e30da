package io.pureboot.clone.events.validation;

import java.util.regex.Pattern;

/** The text rules behind {@link PlainText} and {@link PlainName}, usable where no validator runs. */
public final class TextRules {

    /** A letter or digit, then letters, digits, '.', '_', '-', ':' or '@'. */
    public static final String PLAIN_NAME = "[A-Za-z0-9][A-Za-z0-9._:@-]*";

    private static final Pattern NAME = Pattern.compile(PLAIN_NAME);

    private TextRules() {
    }

    /** At most {@code max} characters, none a control character, a line separator or half a surrogate pair. */
    public static boolean isPlainText(CharSequence value, int max) {
        if (value.length() > max) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= value.length() || !Character.isLowSurrogate(value.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /** A {@link #PLAIN_NAME} of 1 to {@code max} characters. */
    public static boolean isPlainName(CharSequence value, int max) {
        return value.length() <= max && NAME.matcher(value).matches();
    }
}
