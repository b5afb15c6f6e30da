package io.pureboot.clone.platform.security;

import io.pureboot.clone.events.Actor;
import io.quarkus.arc.Arc;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.Optional;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** Who the current request comes from, for the audit: empty outside a request and for anonymous callers. */
@ApplicationScoped
public class CurrentActor {

    private final Instance<CurrentIdentityAssociation> association;

    public CurrentActor(Instance<CurrentIdentityAssociation> association) {
        this.association = association;
    }

    public Uni<Optional<Actor>> get() {
        if (!Arc.container().requestContext().isActive() || !association.isResolvable()) {
            return Uni.createFrom().item(Optional.empty());
        }
        // A credential that is no operator's (the service token of /internal calls, a bad bearer on an open path) is
        // refused where an endpoint asks for a role; naming the actor of an event must never turn into that refusal.
        return association.get().getDeferredIdentity().map(CurrentActor::of)
                .onFailure(AuthenticationFailedException.class).recoverWithItem(Optional.empty());
    }

    /** The actor an identity stands for: its name, the API key's id when it signed in with one, its highest role. */
    public static Optional<Actor> of(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous()) {
            return Optional.empty();
        }
        String role = Roles.highest(identity.getRoles());
        if (role == null) {
            role = identity.hasRole(Roles.NODE) ? Roles.NODE : "none";
        }
        String keyId = identity.getPrincipal() instanceof JsonWebToken jwt ? jwt.getClaim(Credentials.KEY_ID_CLAIM) : null;
        return Optional.of(new Actor(identity.getPrincipal().getName(), keyId, role));
    }
}
