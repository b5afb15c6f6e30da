package io.pureboot.clone.agent.table;

import io.pureboot.clone.agent.AgentException;
import io.pureboot.clone.agent.FailureKind;

/** A partition table that cannot be trusted; the message names the byte offset on the disk and the reason. */
public final class TableFormatException extends AgentException {

    private static final long serialVersionUID = 1L;

    private final long offset;

    public TableFormatException(String device, long offset, String reason) {
        super(FailureKind.PARTITION_TABLE, device + ": partition table at byte offset " + offset + ": " + reason);
        this.offset = offset;
    }

    public long offset() {
        return offset;
    }
}
