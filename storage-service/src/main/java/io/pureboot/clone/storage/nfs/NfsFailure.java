package io.pureboot.clone.storage.nfs;

/** Why talking to an NFS server failed, in the terms an operator acts on. */
public enum NfsFailure {
    /** The host name does not resolve, or no route or answer reached the host in time. */
    UNREACHABLE,
    /** The host answered but nothing listens on the port (no rpcbind, no NFS service). */
    REFUSED,
    /** The connection was made but an RPC got no answer in time. */
    TIMEOUT,
    /** The server does not export the path asked for. */
    EXPORT_MISSING,
    /** The server refused the client: export rules, AUTH_SYS from an unprivileged port, permissions. */
    ACCESS_DENIED,
    /** A file or directory the operation needs does not exist. */
    NOT_FOUND,
    /** The export has no room left (or the quota is exhausted). */
    NO_SPACE,
    /** The server answered something this client cannot use: no NFSv3 over TCP, an unexpected status. */
    PROTOCOL
}
