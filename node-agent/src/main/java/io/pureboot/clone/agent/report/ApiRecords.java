package io.pureboot.clone.agent.report;

import static java.util.Objects.requireNonNull;

import io.pureboot.clone.events.node.DiskInventory;
import java.util.List;

/** The request bodies the agent sends to the node API (snake_case on the wire). */
public final class ApiRecords {

    private ApiRecords() {
    }

    /** {@code POST /api/v1/node/inventory}. */
    public record InventoryReport(String mac, String hostname, List<DiskInventory> disks) {
        public InventoryReport {
            disks = List.copyOf(disks);
        }
    }

    /** {@code POST /api/v1/node/progress}. */
    public record ProgressReport(String phase, long bytesDone, long bytesTotal, long rateBytesPerSecond) {
        public ProgressReport {
            requireNonNull(phase, "phase is null");
        }
    }

    /** {@code POST /api/v1/node/source-complete}. */
    public record SourceComplete(long imageSizeBytes, String manifestSha256) {
        public SourceComplete {
            requireNonNull(manifestSha256, "manifestSha256 is null");
        }
    }

    /** {@code POST /api/v1/node/failed}. */
    public record Failure(String code, String message) {
        public Failure {
            requireNonNull(code, "code is null");
            requireNonNull(message, "message is null");
        }
    }

    /** {@code POST /api/v1/node/direct/certificate}: the source's address (null for a target). */
    public record DirectCertificateRequest(String address) {
    }

    /** {@code POST /api/v1/node/direct/listening}. */
    public record DirectListening(String address, int port) {
        public DirectListening {
            requireNonNull(address, "address is null");
        }
    }

    /** {@code POST /api/v1/node/complete}: an empty object. */
    public record Empty() {
    }
}
