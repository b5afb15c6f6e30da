package io.pureboot.clone.storage.nfs;

import io.pureboot.clone.storage.config.StorageConfig;
import jakarta.enterprise.context.ApplicationScoped;

/** The service's NFS client, configured from {@code pureboot.storage.nfs.*}. */
@ApplicationScoped
public class NfsClients {

    private final NfsClient client;
    private final int directoryMode;

    public NfsClients(StorageConfig config) {
        this.client = new NfsClient(config.nfs().timeout(), config.nfs().uid(), config.nfs().gid());
        this.directoryMode = Integer.parseInt(config.nfs().directoryMode(), 8);
    }

    public NfsClient client() {
        return client;
    }

    /** Mode of the staging directories the service creates. */
    public int directoryMode() {
        return directoryMode;
    }
}
