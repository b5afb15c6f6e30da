package io.pureboot.clone.storage.nfs;

import static io.pureboot.clone.storage.nfs.Nfs3Protocol.NFS_PROGRAM;
import static io.pureboot.clone.storage.nfs.Nfs3Protocol.NFS_VERSION;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A mounted export: its root handle and an open NFSv3 connection. Paths are relative to the
 * export root, '/'-separated, without "." or ".." components. Not thread-safe; close it after use.
 */
public final class NfsExport implements AutoCloseable {

    private static final int READDIR_COUNT = 32 * 1024;
    private static final int MAX_DEPTH = 64;

    private final RpcChannel nfs;
    private final FileHandle root;
    private final String name;
    private boolean closed;

    NfsExport(RpcChannel nfs, FileHandle root, String name) {
        this.nfs = nfs;
        this.root = root;
        this.name = name;
    }

    /** A file or directory found by name: its handle and attributes. */
    public record Entry(FileHandle handle, FileAttributes attributes) {
    }

    public FileHandle root() {
        return root;
    }

    /** NFSPROC3_NULL: the server answers RPCs for NFSv3. */
    public void ping() throws NfsException {
        ensureOpen();
        nfs.call(NFS_PROGRAM, NFS_VERSION, Nfs3Protocol.NFS_NULL, XdrCodec.NO_ARGUMENTS, xdr -> null);
    }

    /** Space and file counts of the file system behind the export. */
    public FsStat fsstat() throws NfsException {
        ensureOpen();
        return nfs.call(NFS_PROGRAM, NFS_VERSION, Nfs3Protocol.NFS_FSSTAT, xdr -> Nfs3Protocol.writeHandle(xdr, root),
                xdr -> {
                    int status = xdr.xdrDecodeInt();
                    Nfs3Protocol.readOptionalAttributes(xdr);
                    if (status != Nfs3Protocol.OK) {
                        throw failure("FSSTAT of the export root", status);
                    }
                    FsStat stat = new FsStat(xdr.xdrDecodeLong(), xdr.xdrDecodeLong(), xdr.xdrDecodeLong(),
                            xdr.xdrDecodeLong(), xdr.xdrDecodeLong(), xdr.xdrDecodeLong());
                    xdr.xdrDecodeInt(); // invarsec
                    return stat;
                });
    }

    /** Which of the asked ACCESS3 rights the server grants this client on {@code handle}. */
    public int access(FileHandle handle, int rights) throws NfsException {
        ensureOpen();
        return nfs.call(NFS_PROGRAM, NFS_VERSION, Nfs3Protocol.NFS_ACCESS, xdr -> {
            Nfs3Protocol.writeHandle(xdr, handle);
            xdr.xdrEncodeInt(rights);
        }, xdr -> {
            int status = xdr.xdrDecodeInt();
            Nfs3Protocol.readOptionalAttributes(xdr);
            if (status != Nfs3Protocol.OK) {
                throw failure("ACCESS", status);
            }
            return xdr.xdrDecodeInt();
        });
    }

    /** True when the client may create and delete entries in the export root. */
    public boolean rootWritable() throws NfsException {
        int wanted = Nfs3Protocol.ACCESS_LOOKUP | Nfs3Protocol.ACCESS_MODIFY | Nfs3Protocol.ACCESS_EXTEND
                | Nfs3Protocol.ACCESS_DELETE;
        return (access(root, wanted) & wanted) == wanted;
    }

    /** The entry called {@code name} in {@code directory}, or empty when there is none. */
    public Optional<Entry> lookup(FileHandle directory, String name) throws NfsException {
        ensureOpen();
        requireName(name);
        return nfs.call(NFS_PROGRAM, NFS_VERSION, Nfs3Protocol.NFS_LOOKUP,
                xdr -> Nfs3Protocol.writeDirectoryOperation(xdr, directory, name), xdr -> {
                    int status = xdr.xdrDecodeInt();
                    if (status == Nfs3Protocol.ERR_NOENT) {
                        return Optional.empty();
                    }
                    if (status != Nfs3Protocol.OK) {
                        throw failure("LOOKUP " + name, status);
                    }
                    FileHandle handle = Nfs3Protocol.readHandle(xdr);
                    FileAttributes attributes = Nfs3Protocol.readOptionalAttributes(xdr);
                    Nfs3Protocol.readOptionalAttributes(xdr); // directory attributes
                    return Optional.of(new Entry(handle, attributes));
                });
    }

    /** Follows {@code path} from the root; empty when a component is missing. */
    public Optional<Entry> resolve(String path) throws NfsException {
        Entry current = null;
        FileHandle directory = root;
        for (String component : components(path)) {
            Optional<Entry> next = lookup(directory, component);
            if (next.isEmpty()) {
                return Optional.empty();
            }
            current = next.get();
            directory = current.handle();
        }
        return current == null ? Optional.of(new Entry(root, null)) : Optional.of(current);
    }

    /** Creates a directory; an existing directory of that name is fine. Returns its handle. */
    public FileHandle mkdir(FileHandle directory, String name, int mode) throws NfsException {
        ensureOpen();
        requireName(name);
        MkdirReply reply = nfs.call(NFS_PROGRAM, NFS_VERSION, Nfs3Protocol.NFS_MKDIR, xdr -> {
            Nfs3Protocol.writeDirectoryOperation(xdr, directory, name);
            Nfs3Protocol.writeModeOnly(xdr, mode);
        }, xdr -> {
            int status = xdr.xdrDecodeInt();
            if (status != Nfs3Protocol.OK) {
                Nfs3Protocol.skipWeakCacheData(xdr);
                return new MkdirReply(status, null);
            }
            FileHandle handle = Nfs3Protocol.readOptionalHandle(xdr);
            Nfs3Protocol.readOptionalAttributes(xdr);
            Nfs3Protocol.skipWeakCacheData(xdr);
            return new MkdirReply(status, handle);
        });
        if (reply.status() == Nfs3Protocol.OK && reply.handle() != null) {
            return reply.handle();
        }
        if (reply.status() != Nfs3Protocol.OK && reply.status() != Nfs3Protocol.ERR_EXIST) {
            throw failure("MKDIR " + name, reply.status());
        }
        Entry entry = lookup(directory, name).orElseThrow(() -> new NfsException(NfsFailure.PROTOCOL,
                "MKDIR " + name + " on " + this.name + " succeeded but the directory cannot be found"));
        if (entry.attributes() != null && !entry.attributes().isDirectory()) {
            throw new NfsException(NfsFailure.PROTOCOL, name + " on " + this.name + " exists and is not a directory");
        }
        return entry.handle();
    }

    /** Creates every missing directory of {@code path} (like mkdir -p); returns the last one's handle. */
    public FileHandle mkdirs(String path, int mode) throws NfsException {
        FileHandle directory = root;
        for (String component : components(path)) {
            directory = mkdir(directory, component, mode);
        }
        return directory;
    }

    /** The names in a directory, without "." and "..". */
    public List<String> list(FileHandle directory) throws NfsException {
        ensureOpen();
        List<String> names = new ArrayList<>();
        long cookie = 0;
        byte[] verifier = Nfs3Protocol.emptyVerifier();
        while (true) {
            long startCookie = cookie;
            byte[] startVerifier = verifier;
            ReaddirPage page = nfs.call(NFS_PROGRAM, NFS_VERSION, Nfs3Protocol.NFS_READDIR,
                    xdr -> Nfs3Protocol.writeReaddirArguments(xdr, directory, startCookie, startVerifier, READDIR_COUNT),
                    xdr -> {
                        int status = xdr.xdrDecodeInt();
                        Nfs3Protocol.readOptionalAttributes(xdr);
                        if (status != Nfs3Protocol.OK) {
                            throw failure("READDIR", status);
                        }
                        byte[] nextVerifier = Nfs3Protocol.readVerifier(xdr);
                        List<String> entries = new ArrayList<>();
                        long lastCookie = startCookie;
                        while (xdr.xdrDecodeBoolean()) {
                            xdr.xdrDecodeLong(); // fileid
                            entries.add(xdr.xdrDecodeString());
                            lastCookie = xdr.xdrDecodeLong();
                        }
                        return new ReaddirPage(entries, lastCookie, nextVerifier, xdr.xdrDecodeBoolean());
                    });
            page.names().stream().filter(entry -> !".".equals(entry) && !"..".equals(entry)).forEach(names::add);
            if (page.eof() || page.names().isEmpty()) {
                return names;
            }
            cookie = page.cookie();
            verifier = page.verifier();
        }
    }

    /** Removes {@code name} in {@code directory} and, for a directory, everything below it (rm -r). */
    public boolean removeTree(FileHandle directory, String name) throws NfsException {
        return removeTree(directory, name, 0);
    }

    /** Removes what {@code path} names, recursively; false when it did not exist. */
    public boolean removePath(String path) throws NfsException {
        List<String> components = components(path);
        if (components.isEmpty()) {
            throw new IllegalArgumentException("refusing to remove the export root");
        }
        String parent = String.join("/", components.subList(0, components.size() - 1));
        Optional<Entry> parentEntry = resolve(parent);
        if (parentEntry.isEmpty()) {
            return false;
        }
        return removeTree(parentEntry.get().handle(), components.getLast(), 0);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            nfs.close();
        }
    }

    private boolean removeTree(FileHandle directory, String name, int depth) throws NfsException {
        if (depth > MAX_DEPTH) {
            throw new NfsException(NfsFailure.PROTOCOL, "directory tree on " + this.name + " is deeper than "
                    + MAX_DEPTH + " levels; refusing to go on");
        }
        Optional<Entry> entry = lookup(directory, name);
        if (entry.isEmpty()) {
            return false;
        }
        FileAttributes attributes = entry.get().attributes();
        if (attributes != null && attributes.isDirectory()) {
            FileHandle self = entry.get().handle();
            for (String child : list(self)) {
                removeTree(self, child, depth + 1);
            }
            remove(Nfs3Protocol.NFS_RMDIR, "RMDIR", directory, name);
        } else {
            remove(Nfs3Protocol.NFS_REMOVE, "REMOVE", directory, name);
        }
        return true;
    }

    private void remove(int procedure, String label, FileHandle directory, String name) throws NfsException {
        int status = nfs.call(NFS_PROGRAM, NFS_VERSION, procedure,
                xdr -> Nfs3Protocol.writeDirectoryOperation(xdr, directory, name), xdr -> {
                    int result = xdr.xdrDecodeInt();
                    Nfs3Protocol.skipWeakCacheData(xdr);
                    return result;
                });
        if (status != Nfs3Protocol.OK && status != Nfs3Protocol.ERR_NOENT) {
            throw failure(label + " " + name, status);
        }
    }

    private NfsException failure(String operation, int status) {
        return new NfsException(Nfs3Protocol.failureOf(status), operation + " on " + name + " failed: "
                + Nfs3Protocol.statusName(status));
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("NFS export " + name + " is closed");
        }
    }

    private static List<String> components(String path) {
        List<String> components = new ArrayList<>();
        for (String component : path.split("/")) {
            if (!component.isEmpty()) {
                requireName(component);
                components.add(component);
            }
        }
        return components;
    }

    private static void requireName(String name) {
        if (name.isEmpty() || ".".equals(name) || "..".equals(name) || name.indexOf('/') >= 0
                || name.indexOf('\0') >= 0 || name.length() > 255) {
            throw new IllegalArgumentException("not a valid file name: '" + name + "'");
        }
    }

    private record MkdirReply(int status, FileHandle handle) {
    }

    private record ReaddirPage(List<String> names, long cookie, byte[] verifier, boolean eof) {
    }
}
