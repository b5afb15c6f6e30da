package io.pureboot.clone.events.validation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Defensive copies that keep null elements. {@code List.copyOf} throws on a null element while the record is being
 * read, before Bean Validation could say which element it was; keeping it lets {@code List<@NotNull ...>} name
 * {@code disks[2]} in the answer.
 */
public final class NullableLists {

    private NullableLists() {
    }

    /** An unmodifiable copy, empty for null. */
    public static <T> List<T> copyOf(List<T> list) {
        return list == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(list));
    }
}
