package io.pureboot.clone.storage.staging;

import java.util.UUID;

/**
 * Where a session's staging area lives, derived from the session id alone, so that a cleanup can
 * find everything even when a provisioning was interrupted before recording it. A session id is a
 * UUID, whose text (lower-case hex and dashes) is a safe directory, file, account and IQN name.
 */
public final class StagingNames {

    /** The directory under an NFS export's root that holds one directory per session. */
    public static final String NFS_ROOT = "pureboot-staging";
    /** The LUN number of a session's disk on its target (LUN 0 is tgt's controller). */
    public static final int LUN = 1;

    private static final long MIB = 1L << 20;
    private static final long MIN_FILESYSTEM_OVERHEAD = 64 * MIB;

    private StagingNames() {
    }

    /** Export-relative directory of the session: pureboot-staging/&lt;session-id&gt;. */
    public static String nfsPath(UUID sessionId) {
        return NFS_ROOT + "/" + sessionId;
    }

    /** The session's target: &lt;prefix&gt;:&lt;session-id in lower case&gt;. */
    public static String iqn(String prefix, UUID sessionId) {
        return prefix + ":" + sessionId;
    }

    /** The session's own CHAP user. */
    public static String chapUser(UUID sessionId) {
        return "pureboot-" + sessionId;
    }

    /** The sparse file behind the session's LUN, inside the backend's backing-store directory. */
    public static String backingFile(String backingStoreDir, UUID sessionId) {
        String directory = backingStoreDir.endsWith("/") ? backingStoreDir : backingStoreDir + "/";
        return directory + "pureboot-" + sessionId + ".img";
    }

    /**
     * The LUN of a session asking for {@code sizeBytes}: the request plus room for ext4's metadata
     * and journal (1/32 of it, at least 64 MiB), rounded up to whole MiB.
     */
    public static long lunSize(long sizeBytes) {
        long withOverhead = Math.addExact(sizeBytes, Math.max(MIN_FILESYSTEM_OVERHEAD, sizeBytes / 32));
        return Math.ceilDiv(withOverhead, MIB) * MIB;
    }
}
