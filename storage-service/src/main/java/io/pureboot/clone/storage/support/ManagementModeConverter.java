package io.pureboot.clone.storage.support;

import io.pureboot.clone.storage.backend.ManagementMode;
import jakarta.persistence.Converter;

/** {@link ManagementMode} as "tgtadm_local" / "tgtadm_ssh". */
@Converter
public final class ManagementModeConverter extends LowerCaseEnumConverter<ManagementMode> {

    public ManagementModeConverter() {
        super(ManagementMode.class);
    }
}
