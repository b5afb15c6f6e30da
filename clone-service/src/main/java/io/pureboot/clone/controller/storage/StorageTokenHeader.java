package io.pureboot.clone.controller.storage;

import io.pureboot.clone.controller.config.CloneConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import org.eclipse.microprofile.rest.client.ext.ClientHeadersFactory;

/** Authenticates clone-service to storage-service's internal endpoint with the configured token. */
@ApplicationScoped
public class StorageTokenHeader implements ClientHeadersFactory {

    private final CloneConfig config;

    public StorageTokenHeader(CloneConfig config) {
        this.config = config;
    }

    @Override
    public MultivaluedMap<String, String> update(MultivaluedMap<String, String> incoming,
            MultivaluedMap<String, String> outgoing) {
        MultivaluedMap<String, String> headers = new MultivaluedHashMap<>();
        headers.putSingle("Authorization", "Bearer " + config.storageInternalToken());
        return headers;
    }
}
