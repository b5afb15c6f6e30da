package io.pureboot.clone.storage.backend.rest;

import io.pureboot.clone.storage.backend.ManagementMode;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * How the service manages an iSCSI backend's target server to create a target and LUN per staging area.
 *
 * @param controlPort tgtd's management control port (tgtadm -C), 0 for the default tgtd
 * @param backingStoreDir the directory, on the target host, where LUN backing files are created
 * @param sshPrivateKey an unencrypted OpenSSH private key; write-only, stored sealed
 * @param sshHostKey the host's public key as ssh-keyscan prints it, pinned for every connection
 */
public record IscsiManagementRequest(
        @NotNull(message = "is required: tgtadm_local or tgtadm_ssh") ManagementMode mode,
        @Min(value = 0, message = "must be 0 to 65535") @Max(value = 65535, message = "must be 0 to 65535")
        Integer controlPort,
        @NotBlank(message = "is required")
        @Size(max = 500, message = "must be at most 500 characters")
        @Pattern(regexp = Patterns.ABSOLUTE_PATH, message = "must be an absolute path like /srv/pureboot/luns")
        String backingStoreDir,
        @Size(max = 253, message = "must be at most 253 characters")
        @Pattern(regexp = Patterns.HOST, message = "must be a host name or an IP address")
        String sshHost,
        @Min(value = 1, message = "must be 1 to 65535") @Max(value = 65535, message = "must be 1 to 65535")
        Integer sshPort,
        @Size(max = 64, message = "must be at most 64 characters")
        @Pattern(regexp = Patterns.USER, message = "must be a user name (letters, digits, . _ -)")
        String sshUser,
        @Size(max = 16384, message = "must be at most 16384 characters")
        @Pattern(regexp = Patterns.PRIVATE_KEY, message = "must be an unencrypted private key in PEM or OpenSSH format")
        String sshPrivateKey,
        @Size(max = 16384, message = "must be at most 16384 characters")
        @Pattern(regexp = Patterns.HOST_KEY, message = "must be a public host key as ssh-keyscan prints it")
        String sshHostKey) {

    @Override
    public String toString() {
        return "IscsiManagementRequest[mode=" + mode + ", controlPort=" + controlPort + ", backingStoreDir="
                + backingStoreDir + ", sshHost=" + sshHost + ", sshPort=" + sshPort + ", sshUser=" + sshUser
                + ", sshPrivateKey=" + (sshPrivateKey == null ? "null" : "***") + "]";
    }
}
