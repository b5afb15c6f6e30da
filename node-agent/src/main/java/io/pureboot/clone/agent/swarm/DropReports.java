package io.pureboot.clone.agent.swarm;

import static java.util.Objects.requireNonNull;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tells the clone-service, once each, which peers this target dropped, so that the session's audit names a peer that
 * served a bad chunk. Reads {@link SwarmChunkSource.Counts#dropped()} ({@code <node>: <reason>}); a report that fails
 * is tried again on the next look, {@value #ATTEMPTS} times at most (a refusal stays one), and never fails the
 * restore.
 */
public final class DropReports {

    private static final Logger LOG = Logger.getLogger(DropReports.class.getName());
    /** How the chunk source words a bad chunk: "it served chunk 12 with SHA-256 …" or "… in a frame that …". */
    private static final Pattern SERVED_CHUNK = Pattern.compile("served chunk (\\d{1,9})");
    /** Looks at which a drop's report is tried before it is only logged. */
    static final int ATTEMPTS = 5;
    /** The most of a reason sent (the node API keeps 1000 characters). */
    private static final int MAX_REASON = 1000;

    /**
     * One dropped peer.
     *
     * @param chunk the chunk it served wrong, null when it was dropped for failed requests
     */
    public record Dropped(String peerNodeId, String reason, Integer chunk) {
        public Dropped {
            requireNonNull(peerNodeId, "peerNodeId is null");
            requireNonNull(reason, "reason is null");
        }
    }

    private final Consumer<Dropped> report;
    private final Set<String> reported = new HashSet<>();
    private final Map<String, Integer> failures = new HashMap<>();

    /** {@code report} sends one drop; it may throw, and is then asked again for the same drop later. */
    public DropReports(Consumer<Dropped> report) {
        this.report = requireNonNull(report, "report is null");
    }

    /** Reports each drop in {@code dropped} not reported yet. */
    public synchronized void reportNew(List<String> dropped) {
        for (String line : dropped) {
            Dropped drop = parse(line);
            if (reported.contains(drop.peerNodeId())) {
                continue;
            }
            try {
                report.accept(drop);
                reported.add(drop.peerNodeId());
            } catch (RuntimeException e) {
                int failed = failures.merge(drop.peerNodeId(), 1, Integer::sum);
                if (failed >= ATTEMPTS) {
                    reported.add(drop.peerNodeId());
                }
                LOG.warning("could not report dropped swarm peer " + drop.peerNodeId() + (failed >= ATTEMPTS
                        ? " (" + failed + " attempts, given up)" : " (will try again)") + ": " + e.getMessage());
            }
        }
    }

    /** {@code <node>: <reason>} as the chunk source lists it; the chunk is read from the reason when it names one. */
    static Dropped parse(String line) {
        int colon = line.indexOf(": ");
        if (colon <= 0) {
            throw new IllegalArgumentException("not a dropped peer '<node>: <reason>': " + line);
        }
        String reason = line.substring(colon + 2).strip().replaceAll("\\p{Cntrl}", " ");
        Matcher chunk = SERVED_CHUNK.matcher(reason);
        return new Dropped(line.substring(0, colon), reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON)
                : reason, chunk.find() ? Integer.valueOf(chunk.group(1)) : null);
    }
}
