package io.pureboot.clone.controller.security;

import io.pureboot.clone.controller.config.CloneConfig;
import io.pureboot.clone.platform.security.Roles;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Gives a fresh installation its first admin key. A key given in configuration (a Kubernetes
 * Secret, or the tests) is registered if missing; otherwise, when no key exists at all, one is
 * generated and written, readable by the owner only, to the configured file.
 */
@ApplicationScoped
public class BootstrapAdminKey {

    private static final Logger LOG = Logger.getLogger(BootstrapAdminKey.class);

    private final CloneConfig.Bootstrap config;
    private final Clock clock;

    public BootstrapAdminKey(CloneConfig config, Clock clock) {
        this.config = config.bootstrap();
        this.clock = clock;
    }

    void onStart(@Observes StartupEvent start) throws Throwable {
        // Hibernate Reactive needs a Vert.x context; start-up observers run on the main thread.
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(this::ensureAdminKey));
    }

    private Uni<Void> ensureAdminKey() {
        if (config.adminKey().isPresent()) {
            if (!config.adminKey().get().startsWith(Secrets.API_KEY_PREFIX)) {
                // Every service tells API keys from JWTs by this prefix: a key without it could never sign in.
                throw new IllegalStateException("pureboot.clone.bootstrap.admin-key (PUREBOOT_BOOTSTRAP_ADMIN_KEY) must"
                        + " start with " + Secrets.API_KEY_PREFIX);
            }
            String hash = Secrets.hash(config.adminKey().get());
            return ApiKey.<ApiKey>findById(hash).chain(existing -> existing != null
                    ? Uni.createFrom().voidItem()
                    : register(hash, "bootstrap-admin"));
        }
        return ApiKey.count().chain(count -> {
            if (count > 0) {
                return Uni.createFrom().voidItem();
            }
            String key = Secrets.newSecret(Secrets.API_KEY_PREFIX);
            writeKeyFile(key);
            LOG.infof("no API key existed: wrote a first admin key to %s", config.adminKeyFile().toAbsolutePath());
            return register(Secrets.hash(key), "first-admin");
        });
    }

    private Uni<Void> register(String hash, String name) {
        ApiKey key = new ApiKey();
        key.keyHash = hash;
        key.id = UUID.randomUUID();
        key.name = name;
        key.role = Roles.ADMIN;
        key.createdAt = OffsetDateTime.now(clock);
        return key.persist().replaceWithVoid();
    }

    private void writeKeyFile(String key) {
        Path file = config.adminKeyFile().toAbsolutePath();
        try {
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, key + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the first admin key to " + file, e);
        }
    }
}
