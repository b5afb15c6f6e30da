package io.pureboot.clone.nodeapi;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pureboot.clone.events.EventCodec;
import io.pureboot.clone.events.StrictJson;

/**
 * How node-API bodies are written and read on both sides: the event contract's snake_case and ISO dates, but an
 * unknown property is refused rather than ignored, and everything {@link StrictJson} refuses is refused too.
 * Agent and clone-service ship together in one release, so a property one side does not know is a contract drift
 * to be caught, never a newer producer to be tolerated.
 */
public final class NodeApiJson {

    private static final ObjectMapper MAPPER = StrictJson.apply(EventCodec.mapper().copy())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private NodeApiJson() {
    }

    /** The shared strict mapper; do not reconfigure it. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Whether a type belongs to the node API (this package), so that it is bound with {@link #mapper()}. */
    public static boolean isNodeApiType(Class<?> type) {
        return type != null && type.getPackageName().equals(NodeApiJson.class.getPackageName());
    }
}
