package io.pureboot.clone.storage.backend;

import static io.restassured.RestAssured.given;

import io.pureboot.clone.platform.security.RoleHierarchyAugmentor;
import io.pureboot.clone.platform.security.Roles;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Who may do what with backends; real tokens on every operation are the system tests' auth matrix. */
@QuarkusTest
class BackendRolesTest {

    private static final Map<String, Object> NFS = Map.of("name", "roles-test", "type", "nfs",
            "nfs_server", "127.0.0.1", "nfs_export", "/srv/roles-test");

    @Test
    void anonymousCallersGet401Everywhere() {
        given().get("/api/v1/storage-backends").then().statusCode(401);
        given().delete("/api/v1/storage-backends/{id}", UUID.randomUUID()).then().statusCode(401);
        given().contentType("application/json").body(NFS).post("/api/v1/storage-backends").then().statusCode(401);
    }

    @Test
    @TestSecurity(user = "test-viewer", roles = Roles.VIEWER, augmentors = RoleHierarchyAugmentor.class)
    void viewersReadButChangeNothing() {
        given().get("/api/v1/storage-backends").then().statusCode(200);
        given().contentType("application/json").body(NFS).post("/api/v1/storage-backends").then().statusCode(403);
        given().delete("/api/v1/storage-backends/{id}", UUID.randomUUID()).then().statusCode(403);
    }

    @Test
    @TestSecurity(user = "test-operator", roles = Roles.OPERATOR, augmentors = RoleHierarchyAugmentor.class)
    void operatorsRunSessionsButDoNotManageBackends() {
        given().get("/api/v1/storage-backends").then().statusCode(200);
        given().delete("/api/v1/storage-backends/{id}", UUID.randomUUID()).then().statusCode(403);
        given().post("/api/v1/storage-backends/{id}/test", UUID.randomUUID()).then().statusCode(403);
    }

    @Test
    @TestSecurity(user = "test-admin", roles = Roles.ADMIN, augmentors = RoleHierarchyAugmentor.class)
    void adminsManageBackends() {
        given().delete("/api/v1/storage-backends/{id}", UUID.randomUUID()).then().statusCode(404);
    }
}
