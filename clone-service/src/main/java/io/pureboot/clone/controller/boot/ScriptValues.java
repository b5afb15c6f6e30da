package io.pureboot.clone.controller.boot;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one place that decides what may be written into an iPXE script. iPXE expands {@code ${...}}, ends a command at a
 * newline, chains commands with {@code ||} and {@code &&} and starts comments with {@code #}; the kernel splits its
 * command line at spaces. So every interpolated value is held to a pattern that contains none of these, and refused
 * (never escaped: a refused value is a bug or an attack, and a script half-trusting it would still boot something).
 */
public final class ScriptValues {

    /** http(s), a host (name, IPv4 or bracketed IPv6), an optional port and a plain path. */
    private static final Pattern URL = Pattern.compile(
            "https?://(?:[A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+\\])(?::[0-9]{1,5})?(?:/[A-Za-z0-9._~/-]*)?");
    /**
     * A disk id as the agent names disks (serials, WWNs, /dev/disk/by-id names with or without that prefix, loop:FILE
     * in tests): no space, no iPXE or kernel command line syntax.
     */
    private static final Pattern DISK_ID = Pattern.compile("[A-Za-z0-9._:+@/-]{1,255}");
    /** One kernel argument: {@code word} or {@code key=value} with the characters consoles and modules use. */
    private static final Pattern KERNEL_ARGUMENT = Pattern.compile("[A-Za-z0-9._,:/+@=-]{1,200}");
    /**
     * The settings only clone-service writes: a workflow or site argument setting one of them is refused. (pureboot.ca
     * is the site's to set, e.g. {@code pureboot.ca=system} for a publicly certified origin.)
     */
    private static final Set<String> RESERVED = Set.of("pureboot.server", "pureboot.session", "pureboot.mode",
            "pureboot.disk", "pureboot.token", "pureboot.ticket");

    private ScriptValues() {
    }

    /** A URL the script fetches from or names; {@code what} names the setting in the refusal. */
    public static String url(String what, String url) {
        if (url == null || !URL.matcher(url).matches()) {
            throw new UnsafeScriptValue(what, "must be a plain http(s) URL (host, port, path of letters, digits, "
                    + ". _ ~ / -), not " + quoted(url));
        }
        return url;
    }

    public static String diskId(String diskId) {
        if (diskId == null || !DISK_ID.matcher(diskId).matches()) {
            throw new UnsafeScriptValue("disk_id", "must be 1 to 255 letters, digits or . _ : + @ / -, not "
                    + quoted(diskId));
        }
        return diskId;
    }

    /** Space-separated kernel arguments from a workflow or the site configuration, each checked on its own. */
    public static String kernelArguments(String what, String arguments) {
        if (arguments == null || arguments.isBlank()) {
            return "";
        }
        if (!arguments.strip().matches("[^\\s]+(?: [^\\s]+)*")) {
            throw new UnsafeScriptValue(what, "must be arguments separated by single spaces, not " + quoted(arguments));
        }
        for (String argument : arguments.strip().split(" ")) {
            if (!KERNEL_ARGUMENT.matcher(argument).matches()) {
                throw new UnsafeScriptValue(what, "holds " + quoted(argument) + "; a kernel argument is letters, "
                        + "digits and . _ , : / + @ = - only");
            }
            String key = argument.contains("=") ? argument.substring(0, argument.indexOf('=')) : argument;
            if (RESERVED.contains(key)) {
                throw new UnsafeScriptValue(what, "sets " + key + ", which only clone-service writes");
            }
        }
        return arguments.strip();
    }

    /** Values shown in a refusal: control characters made visible, long ones cut, so a log line stays one line. */
    static String quoted(String value) {
        if (value == null) {
            return "nothing";
        }
        StringBuilder shown = new StringBuilder("\"");
        value.codePoints().limit(80).forEach(c -> {
            if (Character.isISOControl(c)) {
                shown.append(String.format("\\u%04x", c));
            } else {
                shown.appendCodePoint(c);
            }
        });
        return shown.append(value.length() > 80 ? "...\"" : "\"").toString();
    }

    /** A value that may not go into a script; the node then boots its local disk. */
    public static final class UnsafeScriptValue extends IllegalArgumentException {

        private final String field;

        UnsafeScriptValue(String field, String reason) {
            super(field + " " + reason);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }
}
