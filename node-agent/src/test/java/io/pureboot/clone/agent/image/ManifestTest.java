package io.pureboot.clone.agent.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pureboot.clone.events.node.PartitionTableType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestTest {

    private static final String ZERO = "0".repeat(64);

    private static Manifest manifest(List<ManifestChunk> chunks, long diskBytes, long imageBytes) {
        return manifest(Manifest.STAGED, chunks, diskBytes, imageBytes);
    }

    private static Manifest manifest(String compression, List<ManifestChunk> chunks, long diskBytes, long imageBytes) {
        return new Manifest(1, "test", 4096, compression, 3, new ManifestDisk("id", null, null, null, diskBytes, 512, 512),
                new ManifestTable(PartitionTableType.NONE, 512, null, 0, 0), List.of(), chunks, imageBytes);
    }

    @Test
    void roundTripsThroughSnakeCaseJson() {
        Manifest manifest = manifest(List.of(new ManifestChunk(0, 0, 4096, 0, 0, 0, 10, ZERO, ChunkKind.UNUSED),
                new ManifestChunk(1, 4096, 4096, 0, 4096, 10, 20, ZERO, ChunkKind.DATA)), 8192, 30);

        String json = new String(manifest.toJson(), StandardCharsets.UTF_8);

        assertThat(json).contains("\"format_version\" : 1").contains("\"compressed_offset\" : 10")
                .contains("\"kind\" : \"unused\"").contains("\"type\" : \"none\"");
        assertThat(Manifest.parse(manifest.toJson(), "m.json")).isEqualTo(manifest);
    }

    @Test
    void aGapInTheChunkTableIsNamed() {
        Manifest manifest = manifest(List.of(new ManifestChunk(0, 0, 4096, 0, 0, 0, 10, ZERO, ChunkKind.DATA),
                new ManifestChunk(1, 8192, 4096, 0, 8192, 10, 20, ZERO, ChunkKind.DATA)), 12288, 30);

        assertThatThrownBy(manifest::validate).hasMessage("manifest: chunk 1 starts at disk byte 8192, expected 4096");
    }

    @Test
    void framesMustTileTheImage() {
        Manifest manifest = manifest(List.of(new ManifestChunk(0, 0, 4096, 0, 0, 0, 10, ZERO, ChunkKind.DATA)), 4096,
                11);

        assertThatThrownBy(manifest::validate).hasMessage("manifest: frames add up to 10 bytes, image_bytes says 11");
    }

    @Test
    void aStreamedManifestHasNoFramePositionsAndItsDataChunksNoHashes() {
        Manifest streamed = manifest(Manifest.STREAMED, List.of(
                new ManifestChunk(0, 0, 4096, 0, 0, 0, 0, ZERO, ChunkKind.UNUSED),
                new ManifestChunk(1, 4096, 4096, 0, 4096, 0, 0, null, ChunkKind.DATA)), 8192, 0);

        assertThat(Manifest.parse(streamed.toJson(), "direct").streamed()).isTrue();
        assertThat(new String(streamed.toJson(), StandardCharsets.UTF_8)).contains("\"sha256\" : null");
        assertThatThrownBy(manifest(Manifest.STREAMED, List.of(
                new ManifestChunk(0, 0, 4096, 0, 0, 0, 10, null, ChunkKind.DATA)), 4096, 0)::validate)
                .hasMessage("manifest: chunk 0 of a streamed manifest names image bytes");
        assertThatThrownBy(manifest(Manifest.STREAMED, List.of(
                new ManifestChunk(0, 0, 4096, 0, 0, 0, 0, null, ChunkKind.UNUSED)), 4096, 0)::validate)
                .hasMessage("manifest: chunk 0 has no sha256");
        assertThatThrownBy(manifest(List.of(new ManifestChunk(0, 0, 4096, 0, 0, 0, 10, null, ChunkKind.DATA)), 4096,
                10)::validate).hasMessage("manifest: chunk 0 has no sha256");
    }

    @Test
    void malformedJsonNamesItsPosition() {
        byte[] json = "{\n  \"format_version\": 1,\n  \"chunk_size\": }".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> Manifest.parse(json, "staging/manifest.json"))
                .hasMessageStartingWith("staging/manifest.json: not a valid manifest: Unexpected character ('}'")
                .hasMessageContaining("at line 3, column 17");
    }
}
