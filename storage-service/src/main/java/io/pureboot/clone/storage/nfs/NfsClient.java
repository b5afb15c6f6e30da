package io.pureboot.clone.storage.nfs;

import static io.pureboot.clone.storage.nfs.Nfs3Protocol.IPPROTO_TCP;
import static io.pureboot.clone.storage.nfs.Nfs3Protocol.MOUNT_EXPORT;
import static io.pureboot.clone.storage.nfs.Nfs3Protocol.MOUNT_MNT;
import static io.pureboot.clone.storage.nfs.Nfs3Protocol.MOUNT_PROGRAM;
import static io.pureboot.clone.storage.nfs.Nfs3Protocol.MOUNT_UMNT;
import static io.pureboot.clone.storage.nfs.Nfs3Protocol.MOUNT_VERSION;
import static io.pureboot.clone.storage.nfs.Nfs3Protocol.NFS_PROGRAM;
import static io.pureboot.clone.storage.nfs.Nfs3Protocol.NFS_VERSION;
import static io.pureboot.clone.storage.nfs.Nfs3Protocol.PORTMAP_GETPORT;
import static io.pureboot.clone.storage.nfs.Nfs3Protocol.PORTMAP_PROGRAM;
import static io.pureboot.clone.storage.nfs.Nfs3Protocol.PORTMAP_VERSION;
import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.dcache.oncrpc4j.rpc.RpcAuth;
import org.dcache.oncrpc4j.rpc.RpcAuthTypeUnix;

/**
 * An NFSv3 client that needs no kernel mount: it asks the server's rpcbind for mountd and nfsd,
 * gets the export's root handle over the MOUNT protocol and then speaks NFSv3 over TCP, all from
 * an unprivileged process. Calls block; run them off the event loop.
 *
 * <p>The MOUNT and NFS procedures are RFC 1813's; the RPC layer (record marking, XIDs, AUTH_SYS)
 * is dCache's oncrpc4j.
 */
public final class NfsClient {

    /** The rpcbind / portmapper port, fixed by RFC 1833. */
    public static final int PORTMAPPER_PORT = 111;
    private static final String MACHINE_NAME = "pureboot-storage";

    private final Duration timeout;
    private final int uid;
    private final int gid;

    /**
     * @param timeout bound for each connection attempt and each call
     * @param uid the AUTH_SYS user the service acts as on the server (0 needs no_root_squash)
     * @param gid the AUTH_SYS group
     */
    public NfsClient(Duration timeout, int uid, int gid) {
        this.timeout = requireNonNull(timeout, "timeout is null");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        this.uid = uid;
        this.gid = gid;
    }

    /** Mounts {@code exportPath} of {@code server} and keeps an NFSv3 connection to it until closed. */
    public NfsExport open(String server, String exportPath) throws NfsException {
        requireNonNull(server, "server is null");
        requireNonNull(exportPath, "exportPath is null");
        InetAddress address = resolve(server);
        RpcAuth auth = new RpcAuthTypeUnix(uid, gid, new int[] {gid}, (int) (System.currentTimeMillis() / 1000),
                MACHINE_NAME);
        int mountPort;
        int nfsPort;
        String rpcbind = "rpcbind on " + server + ":" + PORTMAPPER_PORT;
        try (RpcChannel portmapper = RpcChannel.open(new InetSocketAddress(address, PORTMAPPER_PORT), rpcbind,
                timeout, auth)) {
            mountPort = port(portmapper, server, MOUNT_PROGRAM, MOUNT_VERSION, "MOUNT v3 (mountd)");
            nfsPort = port(portmapper, server, NFS_PROGRAM, NFS_VERSION, "NFSv3");
        }
        FileHandle root = mount(new InetSocketAddress(address, mountPort), server, exportPath, auth);
        String nfsd = "nfsd on " + server + ":" + nfsPort;
        RpcChannel nfs = RpcChannel.open(new InetSocketAddress(address, nfsPort), nfsd, timeout, auth);
        return new NfsExport(nfs, root, server + ":" + exportPath);
    }

    private InetAddress resolve(String server) throws NfsException {
        try {
            return InetAddress.getByName(server);
        } catch (UnknownHostException e) {
            throw new NfsException(NfsFailure.UNREACHABLE, "NFS server " + server + " does not resolve", e);
        }
    }

    private static int port(RpcChannel portmapper, String server, int program, int version, String name)
            throws NfsException {
        int port = portmapper.call(PORTMAP_PROGRAM, PORTMAP_VERSION, PORTMAP_GETPORT, xdr -> {
            xdr.xdrEncodeInt(program);
            xdr.xdrEncodeInt(version);
            xdr.xdrEncodeInt(IPPROTO_TCP);
            xdr.xdrEncodeInt(0);
        }, xdr -> xdr.xdrDecodeInt());
        if (port <= 0 || port > 65535) {
            throw new NfsException(NfsFailure.REFUSED, server + " offers no " + name + " over TCP (not registered with rpcbind)");
        }
        return port;
    }

    /** MNT then UMNT: the handle stays valid, and the server keeps no record of a mount nobody holds. */
    private FileHandle mount(InetSocketAddress mountd, String server, String exportPath, RpcAuth auth)
            throws NfsException {
        String service = "mountd on " + server + ":" + mountd.getPort();
        try (RpcChannel channel = RpcChannel.open(mountd, service, timeout, auth)) {
            MountReply reply = channel.call(MOUNT_PROGRAM, MOUNT_VERSION, MOUNT_MNT,
                    xdr -> xdr.xdrEncodeString(exportPath), xdr -> {
                        int status = xdr.xdrDecodeInt();
                        if (status != 0) {
                            return new MountReply(status, null);
                        }
                        FileHandle handle = Nfs3Protocol.readHandle(xdr);
                        xdr.xdrDecodeIntVector(); // accepted auth flavors
                        return new MountReply(status, handle);
                    });
            if (reply.status() != 0) {
                throw mountFailure(server, exportPath, reply.status(), exports(channel));
            }
            channel.call(MOUNT_PROGRAM, MOUNT_VERSION, MOUNT_UMNT, xdr -> xdr.xdrEncodeString(exportPath), xdr -> null);
            return reply.handle();
        }
    }

    /**
     * Many servers (Linux knfsd, nfs-ganesha) answer MNT3ERR_ACCES for a path they do not export at
     * all, so the export list tells a missing export from a refused client.
     */
    private static NfsException mountFailure(String server, String exportPath, int status, List<String> exports) {
        String where = server + ":" + exportPath;
        boolean exported = exports == null || exports.contains(exportPath);
        return switch (status) {
            case Nfs3Protocol.ERR_NOENT, Nfs3Protocol.ERR_NOTDIR ->
                    new NfsException(NfsFailure.EXPORT_MISSING, "export " + where + " does not exist on the server");
            case Nfs3Protocol.ERR_PERM, Nfs3Protocol.ERR_ACCES -> exported
                    ? new NfsException(NfsFailure.ACCESS_DENIED, "server refused to mount " + where + " for this client")
                    : new NfsException(NfsFailure.EXPORT_MISSING, "export " + where + " does not exist on the server"
                            + " (it exports " + (exports.isEmpty() ? "nothing" : String.join(", ", exports)) + ")");
            default -> new NfsException(NfsFailure.PROTOCOL, "mounting " + where + " failed: "
                    + Nfs3Protocol.statusName(status));
        };
    }

    /** MOUNTPROC3_EXPORT: the exported paths, or null when the server does not tell. */
    private static List<String> exports(RpcChannel channel) {
        try {
            return channel.call(MOUNT_PROGRAM, MOUNT_VERSION, MOUNT_EXPORT, XdrCodec.NO_ARGUMENTS, xdr -> {
                List<String> paths = new ArrayList<>();
                while (xdr.xdrDecodeBoolean()) {
                    paths.add(xdr.xdrDecodeString());
                    while (xdr.xdrDecodeBoolean()) {
                        xdr.xdrDecodeString(); // client groups allowed to mount it
                    }
                }
                return paths;
            });
        } catch (NfsException e) {
            return null;
        }
    }

    private record MountReply(int status, FileHandle handle) {
    }
}
