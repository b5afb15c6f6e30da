package io.pureboot.clone.storage.backend.service;

import io.pureboot.clone.events.storage.BackendType;
import io.pureboot.clone.platform.rest.ApiError.FieldError;
import io.pureboot.clone.storage.backend.ManagementMode;
import io.pureboot.clone.storage.backend.StorageBackend;
import io.pureboot.clone.storage.backend.rest.BackendRequest;
import io.pureboot.clone.storage.backend.rest.IscsiManagementRequest;
import io.pureboot.clone.storage.support.InvalidFieldsException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The rules Bean Validation cannot express: which fields each backend type requires (missing → 400)
 * and which it must not carry (present → 422), given what is already stored on an update.
 */
final class BackendRules {

    private static final String MANAGEMENT = "iscsi_management";

    private BackendRules() {
    }

    static void check(BackendRequest request, StorageBackend existing) {
        List<FieldError> missing = new ArrayList<>();
        List<FieldError> wrong = new ArrayList<>();
        if (existing != null && existing.backendType != request.backendType()) {
            wrong.add(new FieldError("backend_type", "cannot change from " + typeName(existing.backendType) + " to "
                    + typeName(request.backendType()) + "; register a new backend instead"));
        }
        if (request.backendType() == BackendType.NFS) {
            require(missing, "nfs_server", request.nfsServer(), "is required for an nfs backend");
            require(missing, "nfs_export", request.nfsExport(), "is required for an nfs backend");
            forbid(wrong, "iscsi_target", request.iscsiTarget(), "nfs");
            forbid(wrong, "iscsi_portal", request.iscsiPortal(), "nfs");
            forbid(wrong, "iscsi_username", request.iscsiUsername(), "nfs");
            forbid(wrong, "iscsi_password", request.iscsiPassword(), "nfs");
            forbid(wrong, MANAGEMENT, request.iscsiManagement(), "nfs");
        } else {
            forbid(wrong, "nfs_server", request.nfsServer(), "iscsi");
            forbid(wrong, "nfs_export", request.nfsExport(), "iscsi");
            forbid(wrong, "nfs_options", request.nfsOptions(), "iscsi");
            require(missing, "iscsi_target", request.iscsiTarget(), "is required for an iscsi backend");
            require(missing, "iscsi_portal", request.iscsiPortal(), "is required for an iscsi backend");
            checkChap(request, existing, missing, wrong);
            if (request.iscsiManagement() == null) {
                missing.add(new FieldError(MANAGEMENT, "is required for an iscsi backend: how the service creates"
                        + " targets and LUNs (mode tgtadm_local or tgtadm_ssh, backing_store_dir)"));
            } else {
                checkManagement(request.iscsiManagement(), existing, missing, wrong);
            }
        }
        if (!missing.isEmpty()) {
            throw InvalidFieldsException.missing(missing);
        }
        if (!wrong.isEmpty()) {
            throw InvalidFieldsException.unprocessable(wrong);
        }
    }

    private static void checkChap(BackendRequest request, StorageBackend existing, List<FieldError> missing,
            List<FieldError> wrong) {
        boolean userGiven = present(request.iscsiUsername());
        if (!userGiven && present(request.iscsiPassword())) {
            wrong.add(new FieldError("iscsi_password", "needs iscsi_username: CHAP takes both or neither"));
        }
        boolean passwordStored = existing != null && existing.iscsiPassword != null
                && Objects.equals(existing.iscsiUsername, request.iscsiUsername());
        if (userGiven && !present(request.iscsiPassword()) && !passwordStored) {
            missing.add(new FieldError("iscsi_password", "is required when iscsi_username is set"));
        }
    }

    private static void checkManagement(IscsiManagementRequest management, StorageBackend existing,
            List<FieldError> missing, List<FieldError> wrong) {
        if (management.mode() == ManagementMode.TGTADM_SSH) {
            require(missing, MANAGEMENT + ".ssh_host", management.sshHost(), "is required for tgtadm_ssh");
            require(missing, MANAGEMENT + ".ssh_user", management.sshUser(), "is required for tgtadm_ssh");
            require(missing, MANAGEMENT + ".ssh_host_key", management.sshHostKey(),
                    "is required for tgtadm_ssh: the host key as ssh-keyscan prints it, so the host is verified");
            boolean keyStored = existing != null && existing.managementSshPrivateKey != null;
            if (!present(management.sshPrivateKey()) && !keyStored) {
                missing.add(new FieldError(MANAGEMENT + ".ssh_private_key", "is required for tgtadm_ssh"));
            }
        } else {
            forbid(wrong, MANAGEMENT + ".ssh_host", management.sshHost(), "tgtadm_local");
            forbid(wrong, MANAGEMENT + ".ssh_port", management.sshPort(), "tgtadm_local");
            forbid(wrong, MANAGEMENT + ".ssh_user", management.sshUser(), "tgtadm_local");
            forbid(wrong, MANAGEMENT + ".ssh_private_key", management.sshPrivateKey(), "tgtadm_local");
            forbid(wrong, MANAGEMENT + ".ssh_host_key", management.sshHostKey(), "tgtadm_local");
        }
    }

    private static void require(List<FieldError> missing, String field, String value, String reason) {
        if (!present(value)) {
            missing.add(new FieldError(field, reason));
        }
    }

    private static void forbid(List<FieldError> wrong, String field, Object value, String kind) {
        if (value != null && (!(value instanceof String text) || !text.isBlank())) {
            wrong.add(new FieldError(field, "does not apply to " + (kind.startsWith("tgtadm") ? "mode " : "an ") + kind
                    + (kind.startsWith("tgtadm") ? "" : " backend")));
        }
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }

    static String typeName(BackendType type) {
        return type == BackendType.NFS ? "nfs" : "iscsi";
    }
}
