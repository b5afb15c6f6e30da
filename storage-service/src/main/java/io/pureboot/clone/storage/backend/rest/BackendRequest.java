package io.pureboot.clone.storage.backend.rest;

import io.pureboot.clone.events.storage.BackendType;
import io.pureboot.clone.storage.iscsi.Portal;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * A storage backend as the operator defines it (POST and PUT). NFS fields belong to nfs backends,
 * iSCSI fields to iscsi backends; which are required for which type is checked by the service.
 * On PUT, an omitted {@code iscsi_password} or {@code ssh_private_key} keeps the stored one and an
 * omitted {@code enabled} keeps the current state.
 *
 * @param nfsOptions mount options the nodes use, e.g. {@code vers=3,proto=tcp}
 * @param iscsiTarget the IQN of the operator's target the connectivity test logs into
 * @param iscsiPortal host[:port] of the target server's portal; the per-session targets are offered there too
 * @param iscsiPassword the CHAP secret of {@code iscsi_username}; write-only, stored sealed
 */
public record BackendRequest(
        @NotBlank(message = "is required")
        @Size(max = 100, message = "must be at most 100 characters")
        @Pattern(regexp = Patterns.NAME, message = "must start with a letter or digit and hold only letters, digits,"
                + " spaces, '.', '_' or '-'")
        String name,
        @NotNull(message = "is required: nfs or iscsi") BackendType backendType,
        Boolean enabled,
        @Size(max = 253, message = "must be at most 253 characters")
        @Pattern(regexp = Patterns.HOST, message = "must be a host name or an IP address")
        String nfsServer,
        @Size(max = 500, message = "must be at most 500 characters")
        @Pattern(regexp = Patterns.ABSOLUTE_PATH, message = "must be an absolute path like /srv/pureboot")
        String nfsExport,
        @Size(max = 255, message = "must be at most 255 characters")
        @Pattern(regexp = Patterns.MOUNT_OPTIONS, message = "must be comma-separated mount options like vers=3,proto=tcp")
        String nfsOptions,
        @Size(max = 223, message = "must be at most 223 characters")
        @Pattern(regexp = Patterns.IQN, message = "must be an iSCSI name like iqn.2026-01.com.example:store")
        String iscsiTarget,
        @Size(max = 261, message = "must be at most 261 characters")
        @Pattern(regexp = Portal.PATTERN, message = "must be host or host:port")
        String iscsiPortal,
        @Size(max = 255, message = "must be at most 255 characters")
        @Pattern(regexp = Patterns.USER, message = "must hold only letters, digits, '.', '_' or '-'")
        String iscsiUsername,
        @Size(min = 12, max = 255, message = "must be 12 to 255 characters")
        @Pattern(regexp = Patterns.CHAP_SECRET, message = "must be printable ASCII without spaces, '%' or '@'")
        String iscsiPassword,
        @Valid IscsiManagementRequest iscsiManagement) {

    @Override
    public String toString() {
        return "BackendRequest[name=" + name + ", backendType=" + backendType + ", nfsServer=" + nfsServer
                + ", nfsExport=" + nfsExport + ", iscsiTarget=" + iscsiTarget + ", iscsiPortal=" + iscsiPortal
                + ", iscsiUsername=" + iscsiUsername + ", iscsiPassword=" + (iscsiPassword == null ? "null" : "***")
                + ", iscsiManagement=" + iscsiManagement + "]";
    }
}
