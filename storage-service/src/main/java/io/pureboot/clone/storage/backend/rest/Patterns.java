package io.pureboot.clone.storage.backend.rest;

/** The shapes of backend fields, shared by the request records and the service's checks. */
public final class Patterns {

    /** Letters, digits, space, dot, underscore, dash; starts with a letter or digit. */
    public static final String NAME = "^[A-Za-z0-9][A-Za-z0-9 ._-]*$";
    /** A DNS name, an IPv4 address or an IPv6 address (without brackets). */
    public static final String HOST = "^([A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?|[0-9A-Fa-f:.]+)$";
    /** Absolute, no "." or ".." components, no control characters or shell quotes. */
    public static final String ABSOLUTE_PATH = "^(/(?!\\.{1,2}(/|$))[A-Za-z0-9._+@=,~-]+)*/?$";
    /** Comma-separated mount options, key or key=value. */
    public static final String MOUNT_OPTIONS = "^[A-Za-z0-9_]+(=[A-Za-z0-9_.:/-]+)?(,[A-Za-z0-9_]+(=[A-Za-z0-9_.:/-]+)?)*$";
    /** iqn.yyyy-mm.reverse.domain[:anything], or eui./naa. names, lower case (RFC 3720). */
    public static final String IQN = "^(iqn\\.[0-9]{4}-[0-9]{2}\\.[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[a-z0-9.:_-]+)?"
            + "|eui\\.[0-9A-Fa-f]{16}|naa\\.[0-9A-Fa-f]{16,32})$";
    /** A CHAP or Unix user name. */
    public static final String USER = "^[A-Za-z0-9._-]+$";
    /** A CHAP secret: printable ASCII without space, '%' or '@' (libiscsi URLs split on them). */
    public static final String CHAP_SECRET = "^[!-$&-?A-~]+$";
    public static final String PRIVATE_KEY = "^\\s*-----BEGIN (OPENSSH|RSA|EC|DSA)? ?PRIVATE KEY-----[\\s\\S]+"
            + "-----END (OPENSSH|RSA|EC|DSA)? ?PRIVATE KEY-----\\s*$";
    /** One or more known_hosts lines, with or without the host field. */
    public static final String HOST_KEY = "^(\\s*(\\S+\\s+)?(ssh-(ed25519|rsa|dss)|ecdsa-sha2-nistp(256|384|521)"
            + "|sk-\\S+)\\s+[A-Za-z0-9+/=]+(\\s+\\S+)?\\s*)+$";

    private Patterns() {
    }
}
