package io.pureboot.clone.storage.iscsi;

import static java.util.Objects.requireNonNull;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An iSCSI portal: a host name or address and a TCP port (3260 unless given). */
public record Portal(String host, int port) {

    public static final int DEFAULT_PORT = 3260;
    /** host, host:port, [ipv6] or [ipv6]:port. */
    public static final String PATTERN = "^(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9]([A-Za-z0-9.-]{0,252}[A-Za-z0-9])?)(:[0-9]{1,5})?$";
    private static final Pattern PARSER = Pattern.compile(PATTERN);

    public Portal {
        requireNonNull(host, "host is null");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1 to 65535: " + port);
        }
    }

    /** Parses host[:port]; throws IllegalArgumentException naming the problem. */
    public static Portal parse(String text) {
        Matcher matcher = PARSER.matcher(text == null ? "" : text.strip());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not a portal (host or host:port): " + text);
        }
        String host = matcher.group(1);
        if (host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = matcher.group(3) == null ? DEFAULT_PORT : Integer.parseInt(matcher.group(3).substring(1));
        return new Portal(host, port);
    }

    /** host:port, brackets around an IPv6 address: the form libiscsi's URLs take. */
    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
