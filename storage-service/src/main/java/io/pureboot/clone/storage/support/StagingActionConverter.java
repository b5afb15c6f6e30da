package io.pureboot.clone.storage.support;

import io.pureboot.clone.storage.staging.StagingAction;
import jakarta.persistence.Converter;

/** {@link StagingAction} as "provision" / "seal" / "cleanup". */
@Converter
public final class StagingActionConverter extends LowerCaseEnumConverter<StagingAction> {

    public StagingActionConverter() {
        super(StagingAction.class);
    }
}
