package io.pureboot.clone.storage.nfs;

import java.io.IOException;
import org.dcache.oncrpc4j.xdr.XdrDecodingStream;
import org.dcache.oncrpc4j.xdr.XdrEncodingStream;

/** Program numbers, procedures, status codes and the XDR of NFSv3 and MOUNT v3 (RFC 1813) this client speaks. */
final class Nfs3Protocol {

    static final int PORTMAP_PROGRAM = 100000;
    static final int PORTMAP_VERSION = 2;
    static final int PORTMAP_GETPORT = 3;
    static final int IPPROTO_TCP = 6;

    static final int MOUNT_PROGRAM = 100005;
    static final int MOUNT_VERSION = 3;
    static final int MOUNT_MNT = 1;
    static final int MOUNT_UMNT = 3;
    static final int MOUNT_EXPORT = 5;

    static final int NFS_PROGRAM = 100003;
    static final int NFS_VERSION = 3;
    static final int NFS_NULL = 0;
    static final int NFS_LOOKUP = 3;
    static final int NFS_ACCESS = 4;
    static final int NFS_MKDIR = 9;
    static final int NFS_REMOVE = 12;
    static final int NFS_RMDIR = 13;
    static final int NFS_READDIR = 16;
    static final int NFS_FSSTAT = 18;

    static final int OK = 0;
    static final int ERR_PERM = 1;
    static final int ERR_NOENT = 2;
    static final int ERR_ACCES = 13;
    static final int ERR_EXIST = 17;
    static final int ERR_NOTDIR = 20;
    static final int ERR_NOSPC = 28;
    static final int ERR_ROFS = 30;
    static final int ERR_NOTEMPTY = 66;
    static final int ERR_DQUOT = 69;

    static final int ACCESS_READ = 0x01;
    static final int ACCESS_LOOKUP = 0x02;
    static final int ACCESS_MODIFY = 0x04;
    static final int ACCESS_EXTEND = 0x08;
    static final int ACCESS_DELETE = 0x10;

    private static final int COOKIE_VERIFIER_SIZE = 8;

    private Nfs3Protocol() {
    }

    /** A status code with its RFC 1813 name, for messages. */
    static String statusName(int status) {
        return switch (status) {
            case OK -> "NFS3_OK";
            case ERR_PERM -> "NFS3ERR_PERM";
            case ERR_NOENT -> "NFS3ERR_NOENT";
            case 5 -> "NFS3ERR_IO";
            case 6 -> "NFS3ERR_NXIO";
            case ERR_ACCES -> "NFS3ERR_ACCES";
            case ERR_EXIST -> "NFS3ERR_EXIST";
            case ERR_NOTDIR -> "NFS3ERR_NOTDIR";
            case 21 -> "NFS3ERR_ISDIR";
            case 22 -> "NFS3ERR_INVAL";
            case ERR_NOSPC -> "NFS3ERR_NOSPC";
            case ERR_ROFS -> "NFS3ERR_ROFS";
            case 63 -> "NFS3ERR_NAMETOOLONG";
            case ERR_NOTEMPTY -> "NFS3ERR_NOTEMPTY";
            case ERR_DQUOT -> "NFS3ERR_DQUOT";
            case 70 -> "NFS3ERR_STALE";
            case 10001 -> "NFS3ERR_BADHANDLE";
            case 10004 -> "NFS3ERR_NOTSUPP";
            case 10006 -> "NFS3ERR_SERVERFAULT";
            case 10008 -> "NFS3ERR_JUKEBOX";
            default -> "status " + status;
        };
    }

    /** The failure kind an NFS or MOUNT status stands for. */
    static NfsFailure failureOf(int status) {
        return switch (status) {
            case ERR_PERM, ERR_ACCES, ERR_ROFS -> NfsFailure.ACCESS_DENIED;
            case ERR_NOENT, ERR_NOTDIR -> NfsFailure.NOT_FOUND;
            case ERR_NOSPC, ERR_DQUOT -> NfsFailure.NO_SPACE;
            default -> NfsFailure.PROTOCOL;
        };
    }

    static void writeHandle(XdrEncodingStream xdr, FileHandle handle) {
        xdr.xdrEncodeDynamicOpaque(handle.bytes());
    }

    static FileHandle readHandle(XdrDecodingStream xdr) throws IOException {
        return new FileHandle(xdr.xdrDecodeDynamicOpaque());
    }

    /** diropargs3: a directory and a name in it. */
    static void writeDirectoryOperation(XdrEncodingStream xdr, FileHandle directory, String name) {
        writeHandle(xdr, directory);
        xdr.xdrEncodeString(name);
    }

    /** sattr3 that sets only the mode. */
    static void writeModeOnly(XdrEncodingStream xdr, int mode) {
        xdr.xdrEncodeBoolean(true);
        xdr.xdrEncodeInt(mode);
        xdr.xdrEncodeBoolean(false); // uid
        xdr.xdrEncodeBoolean(false); // gid
        xdr.xdrEncodeBoolean(false); // size
        xdr.xdrEncodeInt(0); // atime: DONT_CHANGE
        xdr.xdrEncodeInt(0); // mtime: DONT_CHANGE
    }

    static void writeReaddirArguments(XdrEncodingStream xdr, FileHandle directory, long cookie, byte[] verifier,
            int count) {
        writeHandle(xdr, directory);
        xdr.xdrEncodeLong(cookie);
        xdr.xdrEncodeOpaque(verifier, COOKIE_VERIFIER_SIZE);
        xdr.xdrEncodeInt(count);
    }

    static byte[] emptyVerifier() {
        return new byte[COOKIE_VERIFIER_SIZE];
    }

    static byte[] readVerifier(XdrDecodingStream xdr) throws IOException {
        return xdr.xdrDecodeOpaque(COOKIE_VERIFIER_SIZE);
    }

    /** fattr3. */
    static FileAttributes readAttributes(XdrDecodingStream xdr) throws IOException {
        int type = xdr.xdrDecodeInt();
        int mode = xdr.xdrDecodeInt();
        xdr.xdrDecodeInt(); // nlink
        int uid = xdr.xdrDecodeInt();
        int gid = xdr.xdrDecodeInt();
        long size = xdr.xdrDecodeLong();
        long used = xdr.xdrDecodeLong();
        xdr.xdrDecodeLong(); // rdev
        xdr.xdrDecodeLong(); // fsid
        xdr.xdrDecodeLong(); // fileid
        for (int time = 0; time < 3; time++) {
            xdr.xdrDecodeLong(); // atime, mtime, ctime
        }
        return new FileAttributes(FileAttributes.FileType.of(type), mode, uid, gid, size, used);
    }

    /** post_op_attr: attributes if the server sent them, else null. */
    static FileAttributes readOptionalAttributes(XdrDecodingStream xdr) throws IOException {
        return xdr.xdrDecodeBoolean() ? readAttributes(xdr) : null;
    }

    /** post_op_fh3. */
    static FileHandle readOptionalHandle(XdrDecodingStream xdr) throws IOException {
        return xdr.xdrDecodeBoolean() ? readHandle(xdr) : null;
    }

    /** wcc_data: skipped, the client keeps no cache. */
    static void skipWeakCacheData(XdrDecodingStream xdr) throws IOException {
        if (xdr.xdrDecodeBoolean()) {
            xdr.xdrDecodeLong(); // size
            xdr.xdrDecodeLong(); // mtime
            xdr.xdrDecodeLong(); // ctime
        }
        readOptionalAttributes(xdr);
    }
}
