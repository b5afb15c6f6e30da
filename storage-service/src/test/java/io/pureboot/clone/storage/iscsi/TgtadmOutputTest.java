package io.pureboot.clone.storage.iscsi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The parser of tgtadm's target listing, on output captured from tgt 1.0.85. */
class TgtadmOutputTest {

    private static final String SHOW = """
            Target 1: iqn.2026-01.io.pureboot:dev-store
                System information:
                    Driver: iscsi
                    State: ready
                I_T nexus information:
                LUN information:
                    LUN: 0
                        Type: controller
                        SCSI ID: IET     00010000
                        SCSI SN: beaf10
                        Size: 0 MB, Block size: 1
                        Online: Yes
                        Removable media: No
                        Prevent removal: No
                        Readonly: No
                        SWP: No
                        Thin-provisioning: No
                        Backing store type: null
                        Backing store path: None
                        Backing store flags:\s
                    LUN: 1
                        Type: disk
                        SCSI ID: IET     00010001
                        SCSI SN: beaf11
                        Size: 67 MB, Block size: 512
                        Online: Yes
                        Removable media: No
                        Prevent removal: No
                        Readonly: Yes
                        SWP: No
                        Thin-provisioning: No
                        Backing store type: rdwr
                        Backing store path: /var/luns/dev-store.img
                        Backing store flags:\s
                Account information:
                    pureboot-dev
                ACL information:
                    ALL
            Target 2: iqn.2026-01.io.pureboot.staging:s-1
                System information:
                    Driver: iscsi
                    State: ready
                I_T nexus information:
                LUN information:
                    LUN: 0
                        Type: controller
                        Readonly: No
                        Backing store path: None
                Account information:
                ACL information:
                    ALL
            """;

    @Test
    void targetsLunsAndAccountsAreRead() {
        List<IscsiTargetAdmin.TargetInfo> targets = TgtadmTargetAdmin.parseTargets(SHOW);

        assertThat(targets).extracting(IscsiTargetAdmin.TargetInfo::tid).containsExactly(1, 2);
        IscsiTargetAdmin.TargetInfo store = targets.getFirst();
        assertThat(store.iqn()).isEqualTo("iqn.2026-01.io.pureboot:dev-store");
        assertThat(store.accounts()).containsExactly("pureboot-dev");
        assertThat(store.luns()).containsExactly(
                new IscsiTargetAdmin.LunInfo(0, "controller", null, false),
                new IscsiTargetAdmin.LunInfo(1, "disk", "/var/luns/dev-store.img", true));
        assertThat(targets.get(1).accounts()).isEmpty();
        assertThat(targets.get(1).lun(1)).isEmpty();
    }

    @Test
    void noTargetsIsAnEmptyList() {
        assertThat(TgtadmTargetAdmin.parseTargets("")).isEmpty();
    }

    @Test
    void remoteArgumentsAreSingleQuoted() {
        assertThat(SshCommandRunner.shellCommand(List.of("tgtadm", "--password", "a'b c;$(x)")))
                .isEqualTo("'tgtadm' '--password' 'a'\\''b c;$(x)'");
    }

    @Test
    void portalsParseWithDefaultPortAndIpv6() {
        assertThat(Portal.parse("10.0.0.6")).isEqualTo(new Portal("10.0.0.6", 3260));
        assertThat(Portal.parse("san.example:3261")).isEqualTo(new Portal("san.example", 3261));
        assertThat(Portal.parse("[fd00::6]:3260").toString()).isEqualTo("[fd00::6]:3260");
    }
}
