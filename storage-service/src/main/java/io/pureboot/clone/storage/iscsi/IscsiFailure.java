package io.pureboot.clone.storage.iscsi;

/** Why an iSCSI probe or a target-management step failed, in the terms an operator acts on. */
public enum IscsiFailure {
    /** The portal's host does not resolve or did not answer in time. */
    UNREACHABLE,
    /** Nothing listens on the portal. */
    REFUSED,
    /** A command or an exchange did not finish in time. */
    TIMEOUT,
    /** The target refused the CHAP credentials. */
    AUTH_FAILED,
    /** The portal does not offer the target (or the LUN) asked for. */
    TARGET_MISSING,
    /** tgtadm, ssh or a file command on the target host failed. */
    MANAGEMENT_FAILED,
    /** The backing-store directory has no room for the LUN. */
    NO_SPACE,
    /** The target answered something the service cannot use. */
    PROTOCOL
}
