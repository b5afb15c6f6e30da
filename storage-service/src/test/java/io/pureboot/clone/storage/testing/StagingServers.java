package io.pureboot.clone.storage.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the test NFS and iSCSI servers run: what {@code deploy/dev/nfs.sh} and
 * {@code deploy/dev/iscsi.sh} start, overridable by the same environment variables those scripts
 * read (or by system properties of the same meaning). docs/storage.md lists the defaults.
 */
public final class StagingServers {

    public static final String NFS_SERVER = setting("pureboot.test.nfs.server", "PUREBOOT_NFS_HOST", "127.0.0.1");
    public static final String NFS_EXPORT = setting("pureboot.test.nfs.export", "PUREBOOT_NFS_EXPORT", "/pureboot");
    public static final Path NFS_EXPORT_DIR = Path.of(setting("pureboot.test.nfs.export-dir", "PUREBOOT_NFS_EXPORT_DIR",
            var().resolve("nfs/export").toString()));

    public static final String ISCSI_HOST = setting("pureboot.test.iscsi.host", "PUREBOOT_ISCSI_HOST", "127.0.0.1");
    public static final int ISCSI_PORT = Integer.parseInt(setting("pureboot.test.iscsi.port", "PUREBOOT_ISCSI_PORT", "3260"));
    public static final String ISCSI_PORTAL = ISCSI_HOST + ":" + ISCSI_PORT;
    public static final int TGT_CONTROL_PORT = Integer.parseInt(setting("pureboot.test.tgt.control-port",
            "PUREBOOT_TGT_CONTROL_PORT", "7"));
    public static final Path ISCSI_BACKING_DIR = Path.of(setting("pureboot.test.iscsi.backing-dir",
            "PUREBOOT_ISCSI_BACKING_DIR", var().resolve("iscsi/luns").toString()));
    /** The CHAP-protected target iscsi.sh offers for dev backends (dev-only credentials). */
    public static final String STORE_IQN = "iqn.2026-01.io.pureboot:dev-store";
    public static final String STORE_USER = "pureboot-dev";
    public static final String STORE_PASSWORD = "pureboot-dev-chap";

    private StagingServers() {
    }

    /** The project's state directory: $PUREBOOT_VAR, else .var at the repository root. */
    public static Path var() {
        String configured = System.getenv("PUREBOOT_VAR");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        Path directory = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        while (directory != null && !Files.exists(directory.resolve("mvnw"))) {
            directory = directory.getParent();
        }
        if (directory == null) {
            throw new IllegalStateException("cannot find the repository root above " + System.getProperty("user.dir"));
        }
        return directory.resolve(".var");
    }

    private static String setting(String property, String environment, String fallback) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(environment);
        }
        return value == null || value.isBlank() ? fallback : value;
    }
}
