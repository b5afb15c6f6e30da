package io.pureboot.clone.agent;

/**
 * What kind of failure ended a run. Each kind has the process exit code documented in docs/node-agent.md and the
 * {@code code} sent to {@code POST /api/v1/node/failed}.
 */
public enum FailureKind {
    /** A bug or an unexpected exception. */
    INTERNAL(1, "internal_error"),
    /** Missing or invalid settings (kernel command line or flags). */
    CONFIGURATION(3, "configuration"),
    /** The clone-service refused a call or could not be reached within the retry budget. */
    SERVER(4, "server_unreachable"),
    /** The disk could not be found by its stable id, or reading or writing it failed. */
    DISK(5, "disk_error"),
    /** A partition table could not be parsed or written. */
    PARTITION_TABLE(6, "partition_table"),
    /** A filesystem check, shrink, grow or probe failed. */
    FILESYSTEM(7, "filesystem"),
    /** The image or its manifest is corrupt: a chunk's SHA-256 differs, a frame does not decompress. */
    IMAGE_CORRUPT(8, "image_corrupt"),
    /** The plan cannot be carried out on this disk (a partition does not fit, data lies beyond the new end). */
    PLAN(9, "plan_infeasible"),
    /** Staging storage could not be reached, mounted or logged into. */
    STAGING(10, "staging_unavailable"),
    /** The run was interrupted (signal); it can be resumed. */
    INTERRUPTED(11, "interrupted"),
    /** The mode or feature is not available in this build. */
    UNSUPPORTED(12, "unsupported"),
    /** An external tool (mount, partclone, resize2fs...) is missing or failed unexpectedly. */
    TOOL(13, "tool_failed"),
    /**
     * Direct mode: the peer node (the source, for a target; the targets, for a source) could not be reached, refused
     * this node's certificate, presented one that is not of this session, or did not finish in time.
     */
    PEER(14, "peer_unreachable");

    private final int exitCode;
    private final String code;

    FailureKind(int exitCode, String code) {
        this.exitCode = exitCode;
        this.code = code;
    }

    public int exitCode() {
        return exitCode;
    }

    public String code() {
        return code;
    }
}
