package io.pureboot.clone.controller.session;

import com.fasterxml.jackson.annotation.JsonProperty;

/** When a staged session's targets restore. */
public enum TargetsRun {
    /** As soon as the source's image is complete. */
    @JsonProperty("after_upload") AFTER_UPLOAD,
    /** When an operator starts them (POST /clone-sessions/{id}/start-targets); the image waits in staging. */
    @JsonProperty("on_request") ON_REQUEST
}
