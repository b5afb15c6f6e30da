package io.pureboot.clone.storage.testing;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** Request bodies and registration of backends pointing at the test servers. */
public final class TestBackends {

    private TestBackends() {
    }

    public static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static Map<String, Object> nfs(String name) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", name);
        body.put("backend_type", "nfs");
        body.put("nfs_server", StagingServers.NFS_SERVER);
        body.put("nfs_export", StagingServers.NFS_EXPORT);
        body.put("nfs_options", "vers=3,proto=tcp");
        return body;
    }

    public static Map<String, Object> iscsi(String name) {
        Map<String, Object> management = new HashMap<>();
        management.put("mode", "tgtadm_local");
        management.put("control_port", StagingServers.TGT_CONTROL_PORT);
        management.put("backing_store_dir", StagingServers.ISCSI_BACKING_DIR.toString());
        Map<String, Object> body = new HashMap<>();
        body.put("name", name);
        body.put("backend_type", "iscsi");
        body.put("iscsi_target", StagingServers.STORE_IQN);
        body.put("iscsi_portal", StagingServers.ISCSI_PORTAL);
        body.put("iscsi_username", StagingServers.STORE_USER);
        body.put("iscsi_password", StagingServers.STORE_PASSWORD);
        body.put("iscsi_management", management);
        return body;
    }

    /** Registers the backend and returns its id. */
    public static String register(Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/storage-backends")
                .then().statusCode(201)
                .extract().path("id");
    }
}
