package io.pureboot.clone.agent.table;

import java.util.HexFormat;
import java.util.Locale;
import java.util.UUID;

/** GPT GUIDs are stored mixed-endian: the first three fields little-endian, the last two as bytes. */
public final class Guid {

    private static final HexFormat HEX = HexFormat.of();

    private Guid() {
    }

    /** The canonical lower-case text of the 16 bytes at {@code offset}. */
    public static String read(byte[] bytes, int offset) {
        StringBuilder text = new StringBuilder(36);
        appendReversed(text, bytes, offset, 4);
        text.append('-');
        appendReversed(text, bytes, offset + 4, 2);
        text.append('-');
        appendReversed(text, bytes, offset + 6, 2);
        text.append('-');
        text.append(HEX.formatHex(bytes, offset + 8, offset + 10));
        text.append('-');
        text.append(HEX.formatHex(bytes, offset + 10, offset + 16));
        return text.toString();
    }

    /** Writes a canonical GUID text as 16 mixed-endian bytes at {@code offset}. */
    public static void write(String guid, byte[] bytes, int offset) {
        String normalized = UUID.fromString(guid).toString().toLowerCase(Locale.ROOT);
        byte[] plain = HEX.parseHex(normalized.replace("-", ""));
        writeReversed(plain, 0, 4, bytes, offset);
        writeReversed(plain, 4, 2, bytes, offset + 4);
        writeReversed(plain, 6, 2, bytes, offset + 6);
        System.arraycopy(plain, 8, bytes, offset + 8, 8);
    }

    public static boolean isZero(byte[] bytes, int offset) {
        for (int i = 0; i < 16; i++) {
            if (bytes[offset + i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static void appendReversed(StringBuilder text, byte[] bytes, int offset, int length) {
        for (int i = length - 1; i >= 0; i--) {
            text.append(HEX.toHexDigits(bytes[offset + i]));
        }
    }

    private static void writeReversed(byte[] source, int from, int length, byte[] target, int offset) {
        for (int i = 0; i < length; i++) {
            target[offset + i] = source[from + length - 1 - i];
        }
    }
}
