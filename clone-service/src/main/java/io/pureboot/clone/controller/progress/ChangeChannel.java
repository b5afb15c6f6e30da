package io.pureboot.clone.controller.progress;

import io.pureboot.clone.controller.config.CloneConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnectOptions;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Consumer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The channel between clone-service replicas: PostgreSQL NOTIFY on the service's own database, heard by one LISTEN
 * connection per replica (the reactive client's {@link PgSubscriber}, on the datasource's own URL and account).
 * Every replica already has this database; no topic, consumer group or broker is added for it.
 */
@ApplicationScoped
public class ChangeChannel {

    /** The PostgreSQL channel name; lower case, as LISTEN folds unquoted names. */
    static final String NAME = "clone_session_changes";
    /** How the listening connection shows in pg_stat_activity. */
    static final String APPLICATION_NAME = "clone-service live progress";
    private static final Logger LOG = Logger.getLogger(ChangeChannel.class);

    private final Pool pool;
    private final Vertx vertx;
    private final CloneConfig.Progress config;
    private final PgConnectOptions options;
    private volatile PgSubscriber subscriber;

    public ChangeChannel(Pool pool, Vertx vertx, CloneConfig config,
            @ConfigProperty(name = "quarkus.datasource.reactive.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") String user,
            @ConfigProperty(name = "quarkus.datasource.password") String password) {
        this.pool = pool;
        this.vertx = vertx;
        this.config = config.progress();
        this.options = PgConnectOptions.fromUri(url.startsWith("vertx-reactive:") ? url.substring(15) : url)
                .setUser(user).setPassword(password).addProperty("application_name", APPLICATION_NAME);
    }

    /** Sends one notification to every listening replica, this one included. */
    Uni<Void> send(String payload) {
        return pool.preparedQuery("SELECT pg_notify($1, $2)").execute(Tuple.of(NAME, payload)).replaceWithVoid();
    }

    /**
     * Listens from now on: {@code onNotification} gets each payload; {@code onListening} runs whenever LISTEN took
     * effect, at first and again after each reconnection (notifications sent while disconnected are lost).
     */
    void listen(Consumer<String> onNotification, Runnable onListening) {
        PgSubscriber listener = PgSubscriber.subscriber(vertx, options).reconnectPolicy(retries -> {
            long delay = reconnectDelayMillis(retries);
            LOG.warnf("lost the connection listening to %s; reconnecting in %d ms (attempt %d)", NAME, delay, retries + 1);
            return delay;
        });
        listener.channel(NAME).handler(onNotification).subscribeHandler(() -> {
            LOG.debugf("listening to %s", NAME);
            onListening.run();
        });
        subscriber = listener;
        connect(listener, 0);
    }

    /** The first connection is retried here; later drops are retried by the subscriber with the same policy. */
    private void connect(PgSubscriber listener, int attempt) {
        listener.connect().subscribe().with(connected -> { }, failure -> {
            if (listener.closed()) {
                return;
            }
            long delay = reconnectDelayMillis(attempt);
            LOG.warnf("cannot listen to %s yet (%s); retrying in %d ms", NAME, failure.getMessage(), delay);
            vertx.setTimer(delay, timer -> connect(listener, attempt + 1));
        });
    }

    /** Exponential from {@code reconnect-first}, bounded by {@code reconnect-max}; never gives up. */
    long reconnectDelayMillis(int retries) {
        long first = Math.max(1, config.reconnectFirst().toMillis());
        long max = Math.max(first, config.reconnectMax().toMillis());
        return retries >= 30 ? max : Math.min(max, first << retries);
    }

    @PreDestroy
    void stop() {
        PgSubscriber listener = subscriber;
        if (listener != null) {
            listener.closeAndForget();
        }
    }
}
