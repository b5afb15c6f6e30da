package io.pureboot.clone.planner.plan;

import io.pureboot.clone.events.resize.PartitionPlan;
import io.pureboot.clone.events.resize.PlanViolation;
import io.pureboot.clone.events.resize.ResizePlan;
import java.util.Locale;

/** A plan as text a reviewer can check by eye: exact bytes, and sizes in MiB beside them. */
final class PlanText {

    private PlanText() {
    }

    static String render(ResizePlan plan) {
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "source %d bytes, target %d bytes (%s), %s, %d-byte sectors, resize %s%n",
                plan.sourceDiskBytes(), plan.targetDiskBytes(), mib(plan.targetDiskBytes()),
                plan.tableType().name().toLowerCase(Locale.ROOT), plan.logicalSectorSize(),
                plan.resizeMode().name().toLowerCase(Locale.ROOT)));
        text.append(String.format(Locale.ROOT, "usable %d .. %d, alignment %d, feasible %s%n", plan.firstUsableBytes(),
                plan.usableEndBytes(), plan.alignmentBytes(), plan.feasible()));
        text.append(String.format(Locale.ROOT, "%-3s %-6s %-6s %14s %14s %14s %14s %12s %14s %14s %14s%n", "no", "fs",
                "action", "start", "new start", "size", "new size", "(MiB)", "minimum", "maximum", "capture"));
        for (PartitionPlan p : plan.partitions()) {
            text.append(String.format(Locale.ROOT, "%-3d %-6s %-6s %14d %14d %14d %14d %12s %14d %14s %14d%n",
                    p.partition(), p.filesystem() == null ? "-" : p.filesystem(),
                    p.action().name().toLowerCase(Locale.ROOT), p.currentStartBytes(), p.newStartBytes(),
                    p.currentSizeBytes(), p.newSizeBytes(), mib(p.newSizeBytes()), p.minimumSizeBytes(),
                    p.maximumSizeBytes() == null ? "-" : p.maximumSizeBytes().toString(), p.captureSizeBytes()));
            if (p.fixedReason() != null) {
                text.append("    limited: ").append(p.fixedReason()).append(System.lineSeparator());
            }
        }
        for (PlanViolation violation : plan.violations()) {
            text.append("violation [").append(violation.partition()).append(' ').append(violation.field()).append(' ')
                    .append(violation.bytes()).append("]: ").append(violation.message()).append(System.lineSeparator());
        }
        if (plan.errorMessage() != null) {
            text.append("error: ").append(plan.errorMessage()).append(System.lineSeparator());
        }
        return text.toString();
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.2f", bytes / (double) (1L << 20));
    }
}
