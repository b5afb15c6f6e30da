package io.pureboot.clone.storage.iscsi;

import io.pureboot.clone.storage.backend.BackendSnapshot;
import io.pureboot.clone.storage.config.StorageConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/** Builds the {@link IscsiTargetAdmin} of a backend from its management settings, and the shared initiator. */
@ApplicationScoped
public class TargetAdmins {

    private static final Duration SSH_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final StorageConfig config;
    private final IscsiInitiator initiator;

    public TargetAdmins(StorageConfig config) {
        this.config = config;
        this.initiator = new IscsiInitiator(new LocalCommandRunner(), config.iscsi().initiatorName(),
                config.iscsi().probeTimeout());
    }

    public IscsiTargetAdmin forBackend(BackendSnapshot backend) {
        BackendSnapshot.Management management = backend.management();
        if (management == null) {
            throw new IllegalStateException("storage backend " + backend.name() + " has no iSCSI management settings");
        }
        CommandRunner runner = switch (management.mode()) {
            case TGTADM_LOCAL -> new LocalCommandRunner();
            case TGTADM_SSH -> new SshCommandRunner(management.sshHost(), management.sshPort(), management.sshUser(),
                    management.sshPrivateKey(), management.sshHostKey(), SSH_CONNECT_TIMEOUT);
        };
        return new TgtadmTargetAdmin(runner, management.controlPort(), management.backingStoreDir(),
                config.iscsi().commandTimeout());
    }

    public IscsiInitiator initiator() {
        return initiator;
    }
}
