package io.pureboot.clone.agent.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The node token traded for a boot ticket, kept in {@code <directory>/node-token-<16 hex of the ticket's SHA-256>}
 * (tmpfs in the boot image): the ticket works once, so an agent run again in the same boot, and the init script
 * reporting a failure, find the token there. Named by its ticket, so agents of several tickets on one host (the system
 * tests) never take each other's.
 */
final class TicketTokens {

    private static final Logger LOG = Logger.getLogger(TicketTokens.class.getName());

    private final Path directory;

    TicketTokens(Path directory) {
        this.directory = directory;
    }

    Optional<String> tokenFor(String ticket) {
        try {
            String token = Files.readString(file(ticket), StandardCharsets.US_ASCII).strip();
            return token.isEmpty() ? Optional.empty() : Optional.of(token);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    void keep(String ticket, String token) {
        Path file = file(ticket);
        try {
            Files.createDirectories(directory);
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, token + "\n", StandardCharsets.US_ASCII);
        } catch (IOException | UnsupportedOperationException e) {
            // the run goes on: only a second run in this boot, or the init script's failure report, would need it
            LOG.warning("cannot keep the node token in " + file + ": " + e.getMessage());
        }
    }

    private Path file(String ticket) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(ticket.getBytes(StandardCharsets.US_ASCII));
            return directory.resolve("node-token-" + HexFormat.of().formatHex(digest).substring(0, 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
