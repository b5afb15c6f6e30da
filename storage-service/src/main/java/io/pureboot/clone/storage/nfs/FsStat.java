package io.pureboot.clone.storage.nfs;

/**
 * What FSSTAT reports for the file system behind an export (RFC 1813 section 3.3.18).
 *
 * @param totalBytes size of the file system
 * @param freeBytes free space, including what only root may use
 * @param availableBytes free space available to the client's user: what staging may count on
 */
public record FsStat(long totalBytes, long freeBytes, long availableBytes, long totalFiles, long freeFiles,
        long availableFiles) {
}
