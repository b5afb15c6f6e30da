package io.pureboot.clone.platform.security;

import io.pureboot.clone.events.Actor;
import io.pureboot.clone.events.EventCatalog;
import io.pureboot.clone.events.operator.OperatorActionRecorded;
import io.pureboot.clone.platform.outbox.Outbox;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Records every successful operator change of this service's API (any method but a read) as an
 * {@code io.pureboot.operator.action-recorded} event with its actor: one filter, so that no endpoint can forget it,
 * and a change with no event of its own (an API key made or revoked, a node registered) is audited too. Written in
 * a transaction of its own once the change has committed: a crash in between loses the record, not the change.
 */
public final class OperatorActionRecorder {

    private static final Logger LOG = Logger.getLogger(OperatorActionRecorder.class);
    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");
    /** Exchanging a key for a token changes nothing. */
    private static final String NOT_CHANGES = "api/v1/auth/";
    private static final Pattern SESSION = Pattern.compile("api/v1/clone-sessions/([0-9a-fA-F-]{36})(/.*)?");

    private final CurrentActor actor;
    private final Outbox outbox;
    private final String service;

    public OperatorActionRecorder(CurrentActor actor, Outbox outbox,
            @ConfigProperty(name = "quarkus.application.name") String service) {
        this.actor = actor;
        this.outbox = outbox;
        this.service = service;
    }

    @ServerResponseFilter
    public Uni<Void> record(ContainerRequestContext request, ContainerResponseContext response) {
        String path = request.getUriInfo().getPath().replaceFirst("^/", "");
        if (READS.contains(request.getMethod()) || response.getStatus() >= 300 || !path.startsWith("api/")
                || path.startsWith(NOT_CHANGES)) {
            return Uni.createFrom().voidItem();
        }
        return actor.get().chain(caller -> caller.filter(OperatorActionRecorder::isOperator)
                .map(operator -> write(request.getMethod(), "/" + path, response.getStatus()))
                .orElse(Uni.createFrom().voidItem()));
    }

    private static boolean isOperator(Actor actor) {
        return Roles.OPERATOR_ROLES.contains(actor.role());
    }

    private Uni<Void> write(String method, String path, int status) {
        Matcher session = SESSION.matcher(path.substring(1));
        Optional<String> sessionId = session.matches() ? Optional.of(session.group(1).toLowerCase()) : Optional.empty();
        OperatorActionRecorded action = new OperatorActionRecorded(service, method, path, status, sessionId.orElse(null));
        return Panache.withTransaction(() -> outbox.publish(EventCatalog.OPERATOR_ACTION_RECORDED, action))
                .replaceWithVoid()
                .onFailure().invoke(failure -> LOG.errorf("operator action %s %s was not recorded: %s", method, path,
                        failure.toString()))
                .onFailure().recoverWithNull();
    }
}
