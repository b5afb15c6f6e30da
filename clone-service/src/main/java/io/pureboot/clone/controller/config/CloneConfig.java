package io.pureboot.clone.controller.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Everything clone-service reads from its configuration, with every default, under {@code pureboot.clone}.
 * A default that names an environment variable is the one the deployments set.
 */
@ConfigMapping(prefix = "pureboot.clone")
public interface CloneConfig {

    Boot boot();

    Deadlines deadlines();

    Direct direct();

    SecretKeys secrets();

    Bootstrap bootstrap();

    Workflows workflows();

    Progress progress();

    Auth auth();

    NodeTokens nodeTokens();

    /** The bearer token clone-service presents to storage-service's internal endpoint. */
    @WithDefault("${PUREBOOT_INTERNAL_TOKEN:dev-internal-token}")
    String storageInternalToken();

    /** How nodes boot into the agent. */
    interface Boot {

        /** The controller URL nodes reach (the one origin), put on the kernel command line as pureboot.server. */
        @WithDefault("${PUREBOOT_PUBLIC_URL:http://127.0.0.1:8080}")
        String serverUrl();

        /** Where iPXE fetches boot files (a workflow's kernel and initrd names are resolved under it). */
        @WithDefault("${PUREBOOT_BOOT_FILES_URL:http://127.0.0.1:8080/boot}")
        String filesUrl();

        /**
         * Site-wide kernel arguments added after the workflow's (e.g. a serial console, pureboot.java_opts,
         * pureboot.direct_network), {@code PUREBOOT_KERNEL_ARGUMENTS}.
         */
        @WithDefault("${PUREBOOT_KERNEL_ARGUMENTS:}")
        Optional<String> kernelArguments();

        /** How often iPXE tries to fetch a script or the boot files before it gives the node back to its firmware. */
        @WithDefault("3")
        int fetchAttempts();

        /** How long a node token lives at most; it dies earlier with its session. */
        @WithDefault("PT12H")
        Duration tokenLifetime();

        /**
         * The URL the agent calls, put on the kernel command line as pureboot.server: the one origin's HTTPS port
         * ({@code PUREBOOT_AGENT_URL}, e.g. https://10.0.2.2:8443). Unset: {@link #serverUrl()}, for setups without TLS.
         */
        @WithDefault("${PUREBOOT_AGENT_URL:}")
        Optional<String> agentUrl();

        /**
         * How long a boot ticket (pureboot.ticket) may wait for its one exchange: from the script's fetch to the
         * agent's first call. Generous because a software-emulated VM takes minutes to boot.
         */
        @WithDefault("PT15M")
        Duration ticketLifetime();

        /**
         * The file name, under {@link #filesUrl()}, of the small second initrd holding the controller's CA certificate
         * (deploy/boot-image/ca-initrd.sh), loaded beside the boot image so that the image's cache stays valid when
         * the CA changes. Unset: the image's own /etc/pureboot/ca.pem, if any.
         */
        @WithDefault("${PUREBOOT_CA_INITRD:}")
        Optional<String> caInitrd();
    }

    /** How long each party of a session may keep the others waiting. */
    interface Deadlines {

        /** Longest gap between two progress reports of a running node. */
        @WithDefault("${PUREBOOT_NODE_SILENCE:PT2M}")
        Duration silence();

        /** How long an armed node (source or target) may take to boot and report for the first time. */
        @WithDefault("PT30M")
        Duration boot();

        /** How long storage-service may take to provision a staging area, and to seal an uploaded image. */
        @WithDefault("PT15M")
        Duration storage();

        /** How often the deadlines are checked. */
        @WithDefault("PT5S")
        Duration checkEvery();
    }

    /** Direct mode's certificates. */
    interface Direct {

        /**
         * How long a node certificate is valid. Short: a certificate is asked for when the agent starts,
         * and the source checks the session it names, so a late one is useless after its session anyway.
         */
        @WithDefault("PT12H")
        Duration certificateLifetime();

        /** How long the CA is valid; a new one is made only by deleting the old (all running sessions then fail). */
        @WithDefault("P3650D")
        Duration caLifetime();
    }

    /** The keys clone-service seals its stored secrets with (today: the direct-mode CA's private key). */
    interface SecretKeys {

        /**
         * The AES-256 key that seals, 32 bytes in base64 ({@code PUREBOOT_CLONE_SECRET_KEY}; a Kubernetes Secret in
         * production). It must stay the same for the life of the database: what it sealed opens with no other key.
         */
        String key();

        /** Former keys, which still open what they sealed after a rotation. */
        Optional<List<String>> retiredKeys();
    }

    /** Where the first admin key comes from. */
    interface Bootstrap {

        /** An admin key to register at start (never logged). */
        Optional<String> adminKey();

        /** Where a generated first admin key is written when no key exists yet. */
        @WithDefault("${PUREBOOT_ADMIN_KEY_FILE:admin-api-key}")
        Path adminKeyFile();
    }

    /** Where the workflow files live: what each agent mode boots and how it is supervised. */
    interface Workflows {

        /** The directory holding one {@code <mode>.yaml} per agent mode (the repository's {@code workflows/}). */
        @WithDefault("${PUREBOOT_WORKFLOWS:workflows}")
        Path directory();
    }

    /** Live progress: how often a stream may be re-read, and how the cross-replica listener reconnects. */
    interface Progress {

        /**
         * The least time between two updates of one stream. Changes within it are coalesced into one re-read after
         * it, so a stream shows at most a few updates per second however fast reports arrive, and always ends on the
         * latest.
         */
        @WithDefault("PT0.25S")
        Duration minInterval();

        /**
         * How often progress reports that change only figures are written (ProgressLedger): one transaction per
         * session per flush. Short enough that a report reaches the operators' streams well within a second.
         */
        @WithDefault("PT0.25S")
        Duration flushInterval();

        /** The first wait before the listener reconnects to PostgreSQL after its connection dropped; doubled per failure. */
        @WithDefault("PT0.5S")
        Duration reconnectFirst();

        /** The longest wait between two reconnection attempts of the listener. */
        @WithDefault("PT10S")
        Duration reconnectMax();
    }

    /** clone-service as the issuer of operators' JWTs (docs/security.md). */
    interface Auth {

        /** How long a JWT issued for an API key is valid; a revoked key keeps working at most this long. */
        @WithDefault("PT10M")
        Duration tokenLifetime();

        /**
         * How often the signing key changes. Each key is published a whole period before it signs, and stays
         * published one period after, so verifiers that re-read the keys every 10 minutes never miss one: keep it
         * well above that and above the token lifetime.
         */
        @WithDefault("P1D")
        Duration keyRotation();
    }

    /** Node tokens as this replica authenticates them. */
    interface NodeTokens {

        /**
         * How long a session token looked up stays known to this replica without a new lookup. A token voided on
         * another replica (its session ended there) is still accepted here for at most this long, where the session's
         * machine refuses every change; on the replica that voided it, it is refused at once. PT0S looks every token
         * up on every call.
         */
        @WithDefault("PT5S")
        Duration cacheFor();
    }
}
