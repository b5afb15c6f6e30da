package io.pureboot.clone.storage.support;

import io.pureboot.clone.events.storage.StagingStatus;
import jakarta.persistence.Converter;

/** {@link StagingStatus} as its event name ("provisioned"). */
@Converter
public final class StagingStatusConverter extends LowerCaseEnumConverter<StagingStatus> {

    public StagingStatusConverter() {
        super(StagingStatus.class);
    }
}
