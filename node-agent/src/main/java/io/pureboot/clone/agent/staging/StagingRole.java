package io.pureboot.clone.agent.staging;

/** Sources write the image (read-write access); targets only read it. */
public enum StagingRole {
    SOURCE,
    TARGET
}
