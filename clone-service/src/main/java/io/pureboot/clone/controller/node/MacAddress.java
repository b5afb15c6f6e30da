package io.pureboot.clone.controller.node;

import java.util.Locale;
import java.util.regex.Pattern;

/** MAC addresses as the registry stores them: six lower-case hex pairs joined by colons. */
public final class MacAddress {

    /** Accepts colon or dash separators in either case; what iPXE's ${net0/mac} and operators type. */
    public static final String PATTERN = "^([0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}$";
    private static final Pattern COMPILED = Pattern.compile(PATTERN);

    private MacAddress() {
    }

    public static boolean isValid(String mac) {
        return mac != null && COMPILED.matcher(mac).matches();
    }

    /** The canonical form; call only on a valid address. */
    public static String normalize(String mac) {
        return mac.toLowerCase(Locale.ROOT).replace('-', ':');
    }
}
