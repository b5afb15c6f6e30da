package io.pureboot.clone.platform.security;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * JWTs exchanged for API keys, by the key's hash (never the key), each reused until {@link AuthConfig#renewBefore()}
 * before it expires. A revoked key therefore stops working within one token lifetime; a key the issuer refused is
 * not cached, so it is asked again each time.
 */
@ApplicationScoped
public class ExchangedTokenCache {

    private record Entry(String token, Instant renewAt) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final ApiKeyExchange exchange;
    private final AuthConfig config;
    private final Clock clock = Clock.systemUTC();

    public ExchangedTokenCache(ApiKeyExchange exchange, AuthConfig config) {
        this.exchange = exchange;
        this.config = config;
    }

    /** A JWT for the API key: the cached one while it is fresh, else a new exchange. */
    public Uni<String> tokenFor(String apiKey) {
        String hash = Credentials.hash(apiKey);
        Instant now = clock.instant();
        Entry cached = entries.get(hash);
        if (cached != null && now.isBefore(cached.renewAt())) {
            return Uni.createFrom().item(cached.token());
        }
        return exchange.exchange(apiKey).map(issued -> {
            Instant renewAt = now.plusSeconds(issued.expiresIn()).minus(config.renewBefore());
            evictIfFull(now);
            entries.put(hash, new Entry(issued.accessToken(), renewAt));
            return issued.accessToken();
        });
    }

    /** Drops stale entries, and if that is not enough, arbitrary ones: the cache only saves exchanges. */
    private void evictIfFull(Instant now) {
        if (entries.size() < config.cacheSize()) {
            return;
        }
        entries.values().removeIf(entry -> !now.isBefore(entry.renewAt()));
        Iterator<String> keys = entries.keySet().iterator();
        while (entries.size() >= config.cacheSize() && keys.hasNext()) {
            keys.next();
            keys.remove();
        }
    }
}
