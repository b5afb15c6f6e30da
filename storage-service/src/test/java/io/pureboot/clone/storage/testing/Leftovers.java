package io.pureboot.clone.storage.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The sessions a test class staged, and the removal of whatever a failed test left of them on the
 * servers (directory, target, account, backing file), so that a red run does not litter the
 * export or tgtd. A green run leaves nothing: the service cleaned up.
 */
public final class Leftovers {

    private final Set<String> sessions = ConcurrentHashMap.newKeySet();

    /** Remembers the session and returns it. */
    public String track(String sessionId) {
        sessions.add(sessionId);
        return sessionId;
    }

    /** Removes what is left of every tracked session; returns the sessions that had leftovers. */
    public List<String> remove() {
        return sessions.stream().filter(Leftovers::removeOne).sorted().toList();
    }

    private static boolean removeOne(String session) {
        if (session.contains("/")) {
            return false;
        }
        boolean found = delete(StagingServers.NFS_EXPORT_DIR.resolve("pureboot-staging").resolve(session));
        found |= delete(StagingServers.ISCSI_BACKING_DIR.resolve("pureboot-" + session + ".img"));
        String targets = Shell.tgtTargets();
        String iqn = "iqn.2026-01.io.pureboot.staging:" + session.toLowerCase(Locale.ROOT);
        for (String line : targets.lines().toList()) {
            if (line.startsWith("Target ") && line.endsWith(": " + iqn)) {
                String tid = line.substring("Target ".length(), line.indexOf(':'));
                tgtadm("--mode", "target", "--op", "delete", "--force", "--tid", tid);
                found = true;
            }
        }
        tgtadm("--mode", "account", "--op", "delete", "--user", "pureboot-" + session);
        return found;
    }

    private static void tgtadm(String... arguments) {
        String[] command = Stream.concat(Stream.of("tgtadm", "-C", Integer.toString(StagingServers.TGT_CONTROL_PORT),
                "--lld", "iscsi"), Stream.of(arguments)).toArray(String[]::new);
        Shell.run(command);
    }

    private static boolean delete(Path path) {
        if (!Files.exists(path)) {
            return false;
        }
        try (Stream<Path> files = Files.walk(path)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot remove " + path, e);
        }
        return true;
    }
}
