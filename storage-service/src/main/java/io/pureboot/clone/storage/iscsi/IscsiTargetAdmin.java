package io.pureboot.clone.storage.iscsi;

import java.util.List;
import java.util.Optional;

/**
 * Manages the iSCSI target server of a backend: the per-session targets, their LUN, CHAP account
 * and backing file. Every operation is idempotent, so a provisioning or cleanup interrupted by a
 * crash can simply be run again. Blocks; call it off the event loop.
 *
 * <p>{@link TgtadmTargetAdmin} drives tgt (locally or over SSH). LIO (targetcli) would be a second
 * implementation of this interface.
 */
public interface IscsiTargetAdmin {

    /** Fails unless the target server answers its management interface. */
    void check() throws IscsiException;

    /** The targets the server offers, with their LUNs and bound accounts. */
    List<TargetInfo> targets() throws IscsiException;

    default Optional<TargetInfo> target(String iqn) throws IscsiException {
        return targets().stream().filter(target -> target.iqn().equals(iqn)).findFirst();
    }

    /**
     * Creates a target reachable only with {@code username}/{@code password} (CHAP), with one LUN on
     * {@code backingFile}. An existing target of that IQN is reused. Returns the target id.
     */
    int createTarget(String iqn, int lun, String backingFile, String username, String password) throws IscsiException;

    /** Makes the LUN read-only for initiators. */
    void setReadOnly(int tid, int lun) throws IscsiException;

    /** Removes the target (even with initiators logged in) and the account; missing ones are fine. */
    void deleteTarget(String iqn, String username) throws IscsiException;

    /** Creates a sparse file of {@code sizeBytes} with an empty ext4 file system on it. */
    void createBackingFile(String path, long sizeBytes) throws IscsiException;

    /** Removes a backing file; a missing file is fine. */
    void deleteBackingFile(String path) throws IscsiException;

    /** Whether a backing file exists. */
    boolean backingFileExists(String path) throws IscsiException;

    /** Size and available space of the file system holding the backing-store directory. */
    Space backingStoreSpace() throws IscsiException;

    /** Where the commands run, for messages. */
    String where();

    /** File-system space in bytes. */
    record Space(long totalBytes, long availableBytes) {
    }

    /** One target as the server shows it. */
    record TargetInfo(int tid, String iqn, List<LunInfo> luns, List<String> accounts) {

        public TargetInfo {
            luns = List.copyOf(luns);
            accounts = List.copyOf(accounts);
        }

        public Optional<LunInfo> lun(int number) {
            return luns.stream().filter(lun -> lun.lun() == number).findFirst();
        }
    }

    /** One logical unit of a target. */
    record LunInfo(int lun, String type, String backingStore, boolean readOnly) {
    }
}
