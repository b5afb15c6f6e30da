package io.pureboot.clone.storage.nfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pureboot.clone.storage.testing.StagingServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The NFSv3 client against the nfs-ganesha that deploy/dev/nfs.sh runs; checked on the exported directory itself. */
class NfsClientTest {

    private final NfsClient client = new NfsClient(Duration.ofSeconds(5), 0, 0);

    @Test
    void fsstatReportsTheSpaceOfTheExportedFileSystem() throws Exception {
        try (NfsExport export = client.open(StagingServers.NFS_SERVER, StagingServers.NFS_EXPORT)) {
            export.ping();
            FsStat stat = export.fsstat();
            var local = Files.getFileStore(StagingServers.NFS_EXPORT_DIR);

            assertThat(stat.totalBytes()).isEqualTo(local.getTotalSpace());
            assertThat(stat.availableBytes()).isPositive().isLessThanOrEqualTo(stat.freeBytes());
            assertThat(export.rootWritable()).isTrue();
        }
    }

    @Test
    void createsAndRemovesADirectoryTree() throws Exception {
        String name = "nfs-client-test-" + UUID.randomUUID();
        Path local = StagingServers.NFS_EXPORT_DIR.resolve(name);
        try (NfsExport export = client.open(StagingServers.NFS_SERVER, StagingServers.NFS_EXPORT)) {
            FileHandle leaf = export.mkdirs(name + "/a/b", 0755);
            assertThat(export.mkdirs(name + "/a/b", 0755)).isEqualTo(leaf);
            assertThat(local.resolve("a/b")).isDirectory();
            for (int i = 0; i < 300; i++) {
                Files.writeString(local.resolve("a/file-with-a-long-name-to-fill-readdir-pages-" + i), "x");
            }
            Files.writeString(local.resolve("a/b/disk.img.zst"), "image");

            assertThat(export.list(export.resolve(name + "/a").orElseThrow().handle())).hasSize(301);
            assertThat(export.removePath(name)).isTrue();

            assertThat(local).doesNotExist();
            assertThat(export.removePath(name)).isFalse();
            assertThat(export.resolve(name)).isEmpty();
        }
    }

    @Test
    void aMissingExportIsNamed() {
        assertThatThrownBy(() -> client.open(StagingServers.NFS_SERVER, "/no-such-export"))
                .isInstanceOf(NfsException.class)
                .hasMessageContaining("/no-such-export does not exist")
                .extracting(failure -> ((NfsException) failure).failure()).isEqualTo(NfsFailure.EXPORT_MISSING);
    }

    @Test
    void anUnknownHostIsUnreachable() {
        assertThatThrownBy(() -> client.open("no-such-host.invalid", "/pureboot"))
                .isInstanceOf(NfsException.class)
                .hasMessageContaining("does not resolve")
                .extracting(failure -> ((NfsException) failure).failure()).isEqualTo(NfsFailure.UNREACHABLE);
    }

    @Test
    void aHostWithoutRpcbindRefuses() {
        assertThatThrownBy(() -> client.open("127.0.0.2", "/pureboot"))
                .isInstanceOf(NfsException.class)
                .extracting(failure -> ((NfsException) failure).failure()).isEqualTo(NfsFailure.REFUSED);
    }
}
