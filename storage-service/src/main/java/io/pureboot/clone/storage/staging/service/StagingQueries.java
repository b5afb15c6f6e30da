package io.pureboot.clone.storage.staging.service;

import io.pureboot.clone.events.storage.StagingStatus;
import io.pureboot.clone.storage.staging.StagingArea;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/** Read-only questions about staging areas, asked by the backend API and the provisioning. */
@ApplicationScoped
public class StagingQueries {

    /** Space promised to areas still being filled, and how many areas the backend holds. */
    public record Reservation(long bytes, long activeAreas) {
    }

    /**
     * Bytes promised to the backend's areas that have not finished their upload (pending to
     * uploading), counting an iSCSI area by its LUN size; {@code exceptSession} is left out.
     */
    @WithSession
    public Uni<Reservation> reservation(UUID backendId, UUID exceptSession) {
        return Panache.getSession().chain(session -> {
            var query = session.createSelectionQuery(
                    "select coalesce(sum(coalesce(s.lunSizeBytes, s.sizeBytes)), 0) from StagingArea s"
                            + " where s.backendId = :backend and s.status in :statuses"
                            + (exceptSession == null ? "" : " and s.sessionId <> :except"), Long.class)
                    .setParameter("backend", backendId)
                    .setParameter("statuses", List.copyOf(StagingArea.RESERVING));
            return (exceptSession == null ? query : query.setParameter("except", exceptSession)).getSingleResult();
        })
                .chain(bytes -> StagingArea.count("backendId = ?1 and status <> ?2", backendId, StagingStatus.DELETED)
                        .map(active -> new Reservation(bytes, active)));
    }

    @WithSession
    public Uni<List<StagingArea>> onBackend(UUID backendId) {
        return StagingArea.list("backendId = ?1 order by createdAt desc", backendId);
    }

    @WithSession
    public Uni<StagingArea> get(UUID sessionId) {
        return StagingArea.findById(sessionId);
    }

    /**
     * The area of a session named by the internal API's path text; null (404) when the text is no
     * session id. Goes once the internal resource takes the path parameter as a UUID.
     */
    public Uni<StagingArea> get(String sessionId) {
        UUID id = SessionIds.parseOrNull(sessionId);
        return id == null ? Uni.createFrom().nullItem() : get(id);
    }
}
