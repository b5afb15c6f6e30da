package io.pureboot.clone.storage.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Settings of storage-service ({@code pureboot.storage.*}); docs/storage.md describes each. */
@ConfigMapping(prefix = "pureboot.storage")
public interface StorageConfig {

    /**
     * The AES-256 key (base64 of 32 bytes) that seals CHAP passwords and SSH keys at rest. In
     * Kubernetes it comes from a Secret through {@code PUREBOOT_STORAGE_SECRET_KEY}.
     */
    String secretKey();

    /** Former keys, still accepted for opening sealed values until they are re-sealed; never used to seal. */
    Optional<List<String>> retiredSecretKeys();

    /** The shared token other services send as {@code Authorization: Bearer <token>} to reach /internal endpoints. */
    String internalToken();

    Staging staging();

    Nfs nfs();

    Iscsi iscsi();

    /** Staging areas. */
    interface Staging {

        /** How long a staging area is kept after its session completed, was cancelled or failed. */
        @WithDefault("PT0S")
        Duration retention();

        /** How often the worker looks for due staging actions (a scheduler interval like 1s). */
        @WithDefault("1s")
        String pollInterval();

        /** How long after start the worker begins (a scheduler delay like 2s). */
        @WithDefault("2s")
        String startDelay();

        /** How many staging actions (provision, seal, cleanup) run at the same time. */
        @WithDefault("4")
        int parallelism();

        /** Bound for one provisioning, sealing or cleanup, after which it is retried. */
        @WithDefault("PT10M")
        Duration actionTimeout();

        /** How often a failed provisioning is tried before the staging area is marked failed. */
        @WithDefault("3")
        int provisionAttempts();

        /** Longest wait between two attempts of a failing cleanup. */
        @WithDefault("PT5M")
        Duration maxRetryDelay();

        /** Largest staging area a session may ask for (a guard against absurd sizes). */
        @WithDefault("68719476736000")
        long maxSizeBytes();
    }

    /** The NFSv3 client. */
    interface Nfs {

        /** Bound for each connection and each RPC. */
        @WithDefault("PT10S")
        Duration timeout();

        /** AUTH_SYS user the service acts as; 0 needs no_root_squash on the export. */
        @WithDefault("0")
        int uid();

        /** AUTH_SYS group the service acts as. */
        @WithDefault("0")
        int gid();

        /** Mode of the staging directories the service creates (octal). */
        @WithDefault("0775")
        String directoryMode();
    }

    /** iSCSI target management and the libiscsi probe. */
    interface Iscsi {

        /** Bound for one management command (tgtadm, mkfs.ext4 on a new LUN, ssh). */
        @WithDefault("PT2M")
        Duration commandTimeout();

        /** Bound for one libiscsi probe (discovery, login, inquiry). */
        @WithDefault("PT15S")
        Duration probeTimeout();

        /** The highest LUN number the connectivity test probes on a target. */
        @WithDefault("7")
        int probeMaxLun();

        /** Prefix of the IQN of the per-session targets; the session id is appended. */
        @WithDefault("iqn.2026-01.io.pureboot.staging")
        String stagingIqnPrefix();

        /** The initiator name libiscsi presents. */
        @WithDefault("iqn.2026-01.io.pureboot:storage-service")
        String initiatorName();
    }
}
