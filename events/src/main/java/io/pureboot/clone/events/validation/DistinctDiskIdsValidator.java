package io.pureboot.clone.events.validation;

import io.pureboot.clone.events.node.DiskInventory;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Checks {@link DistinctDiskIds}; null disks and ids are left to {@code @NotNull}. */
public final class DistinctDiskIdsValidator implements ConstraintValidator<DistinctDiskIds, List<DiskInventory>> {

    @Override
    public boolean isValid(List<DiskInventory> disks, ConstraintValidatorContext context) {
        if (disks == null) {
            return true;
        }
        Set<String> seen = new HashSet<>();
        for (DiskInventory disk : disks) {
            if (disk != null && disk.stableId() != null && !seen.add(disk.stableId())) {
                return false;
            }
        }
        return true;
    }
}
