package io.pureboot.clone.storage.backend;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import io.pureboot.clone.platform.security.RoleHierarchyAugmentor;
import io.pureboot.clone.platform.security.Roles;
import io.pureboot.clone.storage.testing.StagingServers;
import io.pureboot.clone.storage.testing.TestBackends;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** POST /test and GET /space against the real nfs-ganesha and tgtd of deploy/dev. */
@QuarkusTest
@TestSecurity(user = "test-admin", roles = Roles.ADMIN, augmentors = RoleHierarchyAugmentor.class)
class ConnectivityTest {

    private static final String BACKENDS = "/api/v1/storage-backends/";

    @Test
    void nfsBackendMountsOverRpcAndReportsFsstatSpace() throws Exception {
        String id = TestBackends.register(TestBackends.nfs(TestBackends.uniqueName("nfs")));
        long total = Files.getFileStore(StagingServers.NFS_EXPORT_DIR).getTotalSpace();

        given().when().post(BACKENDS + id + "/test")
                .then().statusCode(200)
                .body("ok", equalTo(true))
                .body("failure", nullValue())
                .body("checks.name", hasItems("mount", "space", "write_access"))
                .body("total_bytes", equalTo(total))
                .body("available_bytes", greaterThan(0L));

        given().when().get(BACKENDS + id + "/space")
                .then().statusCode(200)
                .body("measured", equalTo(true))
                .body("source", equalTo("nfs_fsstat"))
                .body("total_bytes", equalTo(total))
                .body("reserved_bytes", equalTo(0))
                .body("free_for_staging_bytes", greaterThan(0L))
                .body("measured_at", not(nullValue()));
        given().when().get(BACKENDS + id).then().body("total_bytes", equalTo(total));
    }

    @Test
    void aMissingExportIsNamedNotA500() {
        Map<String, Object> body = TestBackends.nfs(TestBackends.uniqueName("nfs"));
        body.put("nfs_export", "/no-such-export");
        JsonPath result = test(TestBackends.register(body));

        assertThat(result.getBoolean("ok")).isFalse();
        assertThat(result.getString("failure")).isEqualTo("export_missing");
        assertThat(result.getString("message")).contains("/no-such-export does not exist").contains("/pureboot");
    }

    @Test
    void unreachableAndRefusingNfsServersAreTold() {
        Map<String, Object> unknownHost = TestBackends.nfs(TestBackends.uniqueName("nfs"));
        unknownHost.put("nfs_server", "no-such-host.invalid");
        JsonPath unreachable = test(TestBackends.register(unknownHost));
        assertThat(unreachable.getString("failure")).isEqualTo("unreachable");
        assertThat(unreachable.getString("message")).contains("does not resolve");

        Map<String, Object> noService = TestBackends.nfs(TestBackends.uniqueName("nfs"));
        noService.put("nfs_server", "127.0.0.2");
        assertThat(test(TestBackends.register(noService)).getString("failure")).isEqualTo("refused");

        Map<String, Object> again = new HashMap<>(unknownHost);
        again.put("name", unknownHost.get("name") + "-b");
        String id = TestBackends.register(again);
        given().when().get(BACKENDS + id + "/space")
                .then().statusCode(200)
                .body("measured", equalTo(false))
                .body("failure", equalTo("unreachable"))
                .body("message", containsString("does not resolve"));
    }

    @Test
    void iscsiBackendLogsInWithChapAndListsTheTargetsLuns() {
        String id = TestBackends.register(TestBackends.iscsi(TestBackends.uniqueName("iscsi")));

        given().when().post(BACKENDS + id + "/test")
                .then().statusCode(200)
                .body("ok", equalTo(true))
                .body("checks.name", hasItems("portal", "discovery", "login", "management", "backing_store"))
                .body("luns.find { it.lun == 1 }.type", equalTo("DIRECT_ACCESS"))
                .body("luns.find { it.lun == 1 }.size_bytes", equalTo(64 << 20))
                .body("available_bytes", greaterThan(0L));

        given().when().get(BACKENDS + id + "/space")
                .then().statusCode(200)
                .body("measured", equalTo(true))
                .body("source", equalTo("backing_store_df"));
    }

    @Test
    void wrongChapIsAuthFailed() {
        Map<String, Object> body = TestBackends.iscsi(TestBackends.uniqueName("iscsi"));
        body.put("iscsi_password", "not-the-password");
        JsonPath result = test(TestBackends.register(body));

        assertThat(result.getString("failure")).isEqualTo("auth_failed");
        assertThat(result.getString("message")).contains("refused the CHAP credentials").doesNotContain("not-the-password");
        assertThat(result.getList("checks.name")).contains("management");
    }

    @Test
    void aTargetThePortalDoesNotOfferIsMissing() {
        Map<String, Object> body = TestBackends.iscsi(TestBackends.uniqueName("iscsi"));
        body.put("iscsi_target", "iqn.2026-01.io.pureboot:no-such-target");
        JsonPath result = test(TestBackends.register(body));

        assertThat(result.getString("failure")).isEqualTo("target_missing");
        assertThat(result.getString("message")).contains("does not offer iqn.2026-01.io.pureboot:no-such-target");
    }

    @Test
    void aPortalWithoutTargetIsRefusedAndBrokenManagementIsTold() {
        Map<String, Object> body = TestBackends.iscsi(TestBackends.uniqueName("iscsi"));
        body.put("iscsi_portal", StagingServers.ISCSI_HOST + ":" + (StagingServers.ISCSI_PORT + 1));
        @SuppressWarnings("unchecked")
        Map<String, Object> management = (Map<String, Object>) body.get("iscsi_management");
        management.put("control_port", 4711);
        JsonPath result = test(TestBackends.register(body));

        assertThat(result.getString("failure")).isEqualTo("refused");
        assertThat(result.getString("checks.find { it.name == 'management' }.failure")).isEqualTo("management_failed");
        assertThat(result.getString("checks.find { it.name == 'management' }.detail")).contains("control port 4711");
    }

    private static JsonPath test(String id) {
        return given().when().post(BACKENDS + id + "/test").then().statusCode(200).extract().jsonPath();
    }
}
