package io.pureboot.clone.controller.storage;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * What storage-service announced about a backend: enough to accept or refuse a staged session
 * without calling it. Kept in step by {@code io.pureboot.storage.backend-changed} events.
 */
@Entity
@Table(name = "storage_backend_view")
public class StorageBackendView extends PanacheEntityBase {

    @Id
    public String id;

    @Column(nullable = false)
    public String name;

    @Column(name = "backend_type", nullable = false)
    public String backendType;

    @Column(nullable = false)
    public boolean enabled;
}
