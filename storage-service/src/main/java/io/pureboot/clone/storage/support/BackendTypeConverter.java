package io.pureboot.clone.storage.support;

import io.pureboot.clone.events.storage.BackendType;
import jakarta.persistence.Converter;

/** {@link BackendType} as "nfs" / "iscsi". */
@Converter
public final class BackendTypeConverter extends LowerCaseEnumConverter<BackendType> {

    public BackendTypeConverter() {
        super(BackendType.class);
    }
}
