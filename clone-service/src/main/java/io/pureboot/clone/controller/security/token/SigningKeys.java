package io.pureboot.clone.controller.security.token;

import io.pureboot.clone.controller.config.CloneConfig;
import io.pureboot.clone.platform.crypto.SecretCipher;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.jboss.logging.Logger;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.lang.JoseException;

/**
 * The JWT signing keys and their rotation. At any time there is a current key (the latest that has activated), the
 * next one (made a whole rotation period before it activates) and the previous one (kept one period after it was
 * replaced, longer than any token it signed lives). All three are published, so a verifier that re-reads the keys
 * now and then knows a key before the first token it signs and after the last. Older keys are deleted. Replicas
 * racing to make the next key both succeed; both are published, and the one with the greater id signs.
 *
 * <p>A stored key whose private half no configured sealing key opens (the sealing key was replaced without being
 * listed as retired, or the database was shared with another installation) can never sign here again. It is
 * deleted with a warning and a readable key takes its place, rather than failing every token request.
 */
@ApplicationScoped
public class SigningKeys {

    private static final Logger LOG = Logger.getLogger(SigningKeys.class);
    private static final Comparator<SigningKey> BY_ACTIVATION =
            Comparator.comparing((SigningKey key) -> key.activatesAt).thenComparing(key -> key.kid);

    private final SecretCipher cipher;
    private final Duration rotation;
    private final Clock clock;
    private volatile List<SigningKey> published = List.of();

    public SigningKeys(SecretCipher cipher, CloneConfig config, Clock clock) {
        this.cipher = cipher;
        this.rotation = config.auth().keyRotation();
        this.clock = clock;
    }

    /** The key that signs now, with its private half. */
    public Uni<RsaJsonWebKey> current() {
        return keys().map(keys -> {
            OffsetDateTime now = OffsetDateTime.now(clock);
            SigningKey current = keys.stream().filter(key -> !key.activatesAt.isAfter(now)).max(BY_ACTIVATION)
                    .orElseThrow(() -> new IllegalStateException("no signing key has activated"));
            return (RsaJsonWebKey) jwk(cipher.open(current.privateJwkSealed, context(current.kid)));
        });
    }

    /** The public halves of the previous, current and next keys, as a JWKS document. */
    public Uni<String> jwks() {
        return keys().map(keys -> new JsonWebKeySet(keys.stream().map(key -> jwk(key.publicJwk)).toList()).toJson());
    }

    /** Makes sure a current and a next key exist and drops the ones no token can carry any more. */
    @Scheduled(every = "1m", identity = "signing-key-rotation", skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> rotate() {
        published = List.of();
        return keys().replaceWithVoid();
    }

    private Uni<List<SigningKey>> keys() {
        List<SigningKey> known = published;
        OffsetDateTime now = OffsetDateTime.now(clock);
        if (isComplete(known, now)) {
            return Uni.createFrom().item(known);
        }
        return Panache.withTransaction(() -> SigningKey.<SigningKey>listAll().chain(stored -> complete(stored, now)))
                .invoke(keys -> published = keys);
    }

    /** Complete: one key has activated and one is waiting to. */
    private static boolean isComplete(List<SigningKey> keys, OffsetDateTime now) {
        return keys.stream().anyMatch(key -> !key.activatesAt.isAfter(now))
                && keys.stream().anyMatch(key -> key.activatesAt.isAfter(now));
    }

    private Uni<List<SigningKey>> complete(List<SigningKey> stored, OffsetDateTime now) {
        List<SigningKey> unreadable = stored.stream().filter(key -> !opens(key)).toList();
        unreadable.forEach(key -> LOG.warnf("signing key %s does not open with the configured sealing keys"
                + " (pureboot.clone.secrets.key and its retired keys); it is deleted and a new key made", key.kid));
        List<SigningKey> sorted = stored.stream().filter(key -> !unreadable.contains(key)).sorted(BY_ACTIVATION)
                .toList();
        List<SigningKey> active = sorted.stream().filter(key -> !key.activatesAt.isAfter(now)).toList();
        List<OffsetDateTime> activations = new ArrayList<>();
        if (active.isEmpty()) {
            activations.add(now);
            activations.add(now.plus(rotation));
        } else if (sorted.stream().noneMatch(key -> key.activatesAt.isAfter(now))) {
            OffsetDateTime activates = active.getLast().activatesAt.plus(rotation);
            activations.add(activates.isAfter(now) ? activates : now.plus(rotation));
        }
        Uni<List<SigningKey>> made = activations.isEmpty() ? Uni.createFrom().item(List.of())
                : generate(activations.size()).map(jwks -> IntStream.range(0, jwks.size())
                        .mapToObj(index -> stored(jwks.get(index), now, activations.get(index))).toList())
                        .call(keys -> SigningKey.persist(keys));
        // Keep the current, the one before it and every later one; the rest signed tokens long expired.
        List<SigningKey> obsolete = active.size() > 2 ? active.subList(0, active.size() - 2) : List.of();
        List<SigningKey> dropped = Stream.concat(obsolete.stream(), unreadable.stream()).toList();
        return made.chain(added -> deleteAll(dropped).replaceWith(Stream.concat(
                sorted.stream().filter(key -> !obsolete.contains(key)), added.stream()).sorted(BY_ACTIVATION).toList()));
    }

    private boolean opens(SigningKey key) {
        try {
            cipher.open(key.privateJwkSealed, context(key.kid));
            return true;
        } catch (SecretCipher.SealedValueException e) {
            return false;
        }
    }

    private static Uni<Void> deleteAll(List<SigningKey> keys) {
        if (keys.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return SigningKey.delete("kid in ?1", keys.stream().map(key -> key.kid).toList()).replaceWithVoid();
    }

    /**
     * New RSA keys, made on a worker thread: making one takes from a fraction of a second to seconds on a busy machine,
     * too long for the event loop. They come back on the caller's context, where its transaction lives.
     */
    private static Uni<List<RsaJsonWebKey>> generate(int count) {
        Context caller = Vertx.currentContext();
        Uni<List<RsaJsonWebKey>> keys = Uni.createFrom().item(() -> IntStream.range(0, count)
                .mapToObj(index -> newJwk()).toList()).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
        return caller == null ? keys : keys.emitOn(task -> caller.runOnContext(ignored -> task.run()));
    }

    private static RsaJsonWebKey newJwk() {
        try {
            RsaJsonWebKey jwk = RsaJwkGenerator.generateJwk(2048);
            jwk.setKeyId(UUID.randomUUID().toString());
            jwk.setAlgorithm("RS256");
            jwk.setUse("sig");
            return jwk;
        } catch (JoseException e) {
            throw new IllegalStateException("cannot make a signing key", e);
        }
    }

    private SigningKey stored(RsaJsonWebKey jwk, OffsetDateTime now, OffsetDateTime activatesAt) {
        SigningKey key = new SigningKey();
        key.kid = jwk.getKeyId();
        key.publicJwk = jwk.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
        key.privateJwkSealed = cipher.seal(jwk.toJson(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE), context(key.kid));
        key.createdAt = now;
        key.activatesAt = activatesAt;
        return key;
    }

    private static String context(String kid) {
        return "signing-key:" + kid;
    }

    private static JsonWebKey jwk(String json) {
        try {
            return JsonWebKey.Factory.newJwk(json);
        } catch (JoseException e) {
            throw new IllegalStateException("a stored signing key is unreadable", e);
        }
    }
}
