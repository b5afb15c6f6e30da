package io.pureboot.clone.storage.staging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class StagingNamesTest {

    private static final UUID SESSION = UUID.fromString("3F2C1A9E-7D7B-4C1E-9A0F-0B7A6E5D4C3B");
    private static final String TEXT = "3f2c1a9e-7d7b-4c1e-9a0f-0b7a6e5d4c3b";

    @Test
    void namesDeriveFromTheSessionAloneInLowerCase() {
        assertThat(StagingNames.nfsPath(SESSION)).isEqualTo("pureboot-staging/" + TEXT);
        assertThat(StagingNames.iqn("iqn.2026-01.io.pureboot.staging", SESSION))
                .isEqualTo("iqn.2026-01.io.pureboot.staging:" + TEXT);
        assertThat(StagingNames.chapUser(SESSION)).isEqualTo("pureboot-" + TEXT);
        assertThat(StagingNames.backingFile("/srv/luns", SESSION)).isEqualTo("/srv/luns/pureboot-" + TEXT + ".img");
        assertThat(StagingNames.backingFile("/srv/luns/", SESSION)).isEqualTo("/srv/luns/pureboot-" + TEXT + ".img");
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
