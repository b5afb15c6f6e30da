package io.pureboot.clone.storage.nfs;

/** The parts of an NFSv3 fattr3 the service uses. */
public record FileAttributes(FileType type, int mode, int uid, int gid, long size, long used) {

    /** The NFSv3 file types (ftype3). */
    public enum FileType {
        REGULAR, DIRECTORY, BLOCK, CHARACTER, LINK, SOCKET, FIFO, UNKNOWN;

        static FileType of(int code) {
            return switch (code) {
                case 1 -> REGULAR;
                case 2 -> DIRECTORY;
                case 3 -> BLOCK;
                case 4 -> CHARACTER;
                case 5 -> LINK;
                case 6 -> SOCKET;
                case 7 -> FIFO;
                default -> UNKNOWN;
            };
        }
    }

    public boolean isDirectory() {
        return type == FileType.DIRECTORY;
    }
}
