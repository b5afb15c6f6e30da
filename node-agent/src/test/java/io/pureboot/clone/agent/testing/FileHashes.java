package io.pureboot.clone.agent.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** SHA-256 of every regular file (and the target of every symlink) under a directory, by relative path. */
public final class FileHashes {

    private FileHashes() {
    }

    public static Map<String, String> of(Path root) {
        Map<String, String> hashes = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.toList()) {
                String name = root.relativize(path).toString();
                if (name.equals("lost+found") || name.startsWith("lost+found/")) {
                    continue;
                }
                if (Files.isSymbolicLink(path)) {
                    hashes.put(name, "-> " + Files.readSymbolicLink(path));
                } else if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                    hashes.put(name, sha256(path));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return hashes;
    }

    public static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                digest.update(buffer, 0, read);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Copies regular files from the system (binaries, libraries, text) into {@code target}, up to {@code budget}. */
    public static long copySample(Path target, long budget, String... sources) throws IOException {
        long copied = 0;
        int index = 0;
        for (String source : sources) {
            try (Stream<Path> paths = Files.walk(Path.of(source))) {
                for (Path path : paths.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).sorted().toList()) {
                    long size = Files.size(path);
                    if (size == 0 || size > 8 << 20 || copied + size > budget) {
                        continue;
                    }
                    Path destination = target.resolve(String.format("d%02d", index / 200))
                            .resolve(index + "-" + path.getFileName());
                    Files.createDirectories(destination.getParent());
                    Files.copy(path, destination);
                    copied += size;
                    index++;
                }
            } catch (java.nio.file.AccessDeniedException e) {
                // unreadable system file: skip it
            }
            if (copied >= budget * 95 / 100) {
                break;
            }
        }
        return copied;
    }
}
