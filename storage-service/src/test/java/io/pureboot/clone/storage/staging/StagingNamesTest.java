package io.pureboot.clone.storage.staging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StagingNamesTest {

    @Test
    void sessionIdsThatCouldEscapeADirectoryAreRefused() {
        assertThat(StagingNames.validSessionId("3f2c1a9e-7d7b-4c1e-9a0f-0b7a6e5d4c3b")).isTrue();
        assertThat(StagingNames.validSessionId("../etc")).isFalse();
        assertThat(StagingNames.validSessionId("a/b")).isFalse();
        assertThat(StagingNames.validSessionId(".hidden")).isFalse();
        assertThat(StagingNames.validSessionId("")).isFalse();
        assertThat(StagingNames.validSessionId("x".repeat(65))).isFalse();
        assertThat(StagingNames.validSessionId(null)).isFalse();
    }

    @Test
    void namesDeriveFromTheSessionAlone() {
        assertThat(StagingNames.nfsPath("S-1")).isEqualTo("pureboot-staging/S-1");
        assertThat(StagingNames.iqn("iqn.2026-01.io.pureboot.staging", "S_1")).isEqualTo("iqn.2026-01.io.pureboot.staging:s-1");
        assertThat(StagingNames.backingFile("/srv/luns", "s1")).isEqualTo("/srv/luns/pureboot-s1.img");
        assertThat(StagingNames.backingFile("/srv/luns/", "s1")).isEqualTo("/srv/luns/pureboot-s1.img");
    }

    @Test
    void theLunHasRoomForExt4AndIsWholeMebibytes() {
        long mib = 1L << 20;
        assertThat(StagingNames.lunSize(1)).isEqualTo(65 * mib);
        assertThat(StagingNames.lunSize(256 * mib)).isEqualTo(320 * mib);
        assertThat(StagingNames.lunSize(32L << 30)).isEqualTo((32L << 30) + (1L << 30));
        assertThat(StagingNames.lunSize(10 * mib + 1) % mib).isZero();
    }
}
