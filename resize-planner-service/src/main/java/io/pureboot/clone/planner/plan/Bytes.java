package io.pureboot.clone.planner.plan;

import java.math.BigInteger;
import java.util.Locale;

/** Byte arithmetic of the planner: alignment, exact proportions and sizes as operators read them. */
public final class Bytes {

    public static final long MIB = 1L << 20;

    private static final String[] UNITS = {"KiB", "MiB", "GiB", "TiB", "PiB"};

    private Bytes() {
    }

    /** The smallest multiple of {@code alignment} at or above {@code value}. */
    public static long alignUp(long value, long alignment) {
        long remainder = Math.floorMod(value, alignment);
        return remainder == 0 ? value : value - remainder + alignment;
    }

    /** The largest multiple of {@code alignment} at or below {@code value}. */
    public static long alignDown(long value, long alignment) {
        return value - Math.floorMod(value, alignment);
    }

    /**
     * {@code value * numerator / denominator} rounded down, exact for every long: disk sizes times
     * partition sizes overflow a long, so the product is taken in BigInteger.
     */
    public static long scale(long value, long numerator, long denominator) {
        return BigInteger.valueOf(value).multiply(BigInteger.valueOf(numerator))
                .divide(BigInteger.valueOf(denominator)).longValueExact();
    }

    /** {@code 1.5 GiB (1610612736 bytes)}: readable, with the exact count an operator can paste. */
    public static String describe(long bytes) {
        long magnitude = Math.abs(bytes);
        if (magnitude < 1024) {
            return bytes + (magnitude == 1 ? " byte" : " bytes");
        }
        double value = magnitude;
        int unit = -1;
        while (value >= 1024 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        String sign = bytes < 0 ? "-" : "";
        return String.format(Locale.ROOT, "%s%.1f %s (%d bytes)", sign, value, UNITS[unit], bytes);
    }
}
