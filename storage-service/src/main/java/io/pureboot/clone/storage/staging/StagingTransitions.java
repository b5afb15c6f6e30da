package io.pureboot.clone.storage.staging;

import static io.pureboot.clone.events.storage.StagingStatus.CLEANUP;
import static io.pureboot.clone.events.storage.StagingStatus.DELETED;
import static io.pureboot.clone.events.storage.StagingStatus.DOWNLOADING;
import static io.pureboot.clone.events.storage.StagingStatus.FAILED;
import static io.pureboot.clone.events.storage.StagingStatus.PENDING;
import static io.pureboot.clone.events.storage.StagingStatus.PROVISIONED;
import static io.pureboot.clone.events.storage.StagingStatus.PROVISIONING;
import static io.pureboot.clone.events.storage.StagingStatus.READY;
import static io.pureboot.clone.events.storage.StagingStatus.UPLOADING;

import io.pureboot.clone.events.storage.StagingStatus;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The status machine of a staging area:
 * pending → provisioning → provisioned → uploading → ready → downloading → cleanup → deleted.
 * Any status before cleanup may turn failed; a failed area, and any area whose session ended, is
 * cleaned up. Deleted is final.
 */
public final class StagingTransitions {

    private static final Map<StagingStatus, Set<StagingStatus>> NEXT = new EnumMap<>(StagingStatus.class);

    static {
        NEXT.put(PENDING, EnumSet.of(PROVISIONING, FAILED, CLEANUP));
        NEXT.put(PROVISIONING, EnumSet.of(PROVISIONED, FAILED, CLEANUP));
        NEXT.put(PROVISIONED, EnumSet.of(UPLOADING, FAILED, CLEANUP));
        NEXT.put(UPLOADING, EnumSet.of(READY, FAILED, CLEANUP));
        NEXT.put(READY, EnumSet.of(DOWNLOADING, FAILED, CLEANUP));
        NEXT.put(DOWNLOADING, EnumSet.of(FAILED, CLEANUP));
        NEXT.put(FAILED, EnumSet.of(CLEANUP));
        NEXT.put(CLEANUP, EnumSet.of(DELETED));
        NEXT.put(DELETED, EnumSet.noneOf(StagingStatus.class));
    }

    private StagingTransitions() {
    }

    public static boolean allowed(StagingStatus from, StagingStatus to) {
        return NEXT.get(from).contains(to);
    }

    /** The statuses {@code from} may move to. */
    public static Set<StagingStatus> next(StagingStatus from) {
        return Set.copyOf(NEXT.get(from));
    }

    /** Throws when the move is not a transition of the machine. */
    public static void require(UUID sessionId, StagingStatus from, StagingStatus to) {
        if (!allowed(from, to)) {
            throw new IllegalTransitionException(sessionId, from, to);
        }
    }

    /** A move the status machine does not have. */
    public static final class IllegalTransitionException extends IllegalStateException {

        private final StagingStatus from;

        IllegalTransitionException(UUID sessionId, StagingStatus from, StagingStatus to) {
            super("staging area of session " + sessionId + " cannot go from " + name(from) + " to " + name(to));
            this.from = from;
        }

        public StagingStatus from() {
            return from;
        }
    }

    /** The status as the API and the events spell it. */
    public static String name(StagingStatus status) {
        return status.name().toLowerCase(Locale.ROOT);
    }
}
