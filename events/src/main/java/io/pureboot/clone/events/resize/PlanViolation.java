package io.pureboot.clone.events.resize;

import static java.util.Objects.requireNonNull;

/**
 * One rule a plan breaks, said so that an operator can fix it: which partition, which value, by how
 * many bytes.
 *
 * @param partition the partition number at fault, or null when the rule concerns the whole disk
 * @param field the plan value at fault in snake_case ({@code new_size_bytes}, {@code new_start_bytes},
 *     {@code action}, {@code partition}, {@code target_disk_bytes})
 * @param bytes by how many bytes the value misses the rule, or null when the rule is not about an amount
 * @param message the whole explanation, starting with the partition it concerns
 */
public record PlanViolation(Integer partition, String field, Long bytes, String message) {

    public PlanViolation {
        requireNonNull(field, "field is null");
        requireNonNull(message, "message is null");
    }
}
