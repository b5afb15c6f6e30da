package io.pureboot.clone.events;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * How every JSON body a client sends is read, in one place for the services' REST mapper (platform's
 * customizer) and the node API's stricter one: a document followed by anything else, an enum value given as a
 * number, a null or a float where a whole number belongs are refused rather than guessed at. Unknown enum names
 * are refused by Jackson's default, which none of our mappers changes.
 */
public final class StrictJson {

    private StrictJson() {
    }

    /** Enables the strict reading features on {@code mapper} and returns it. */
    public static ObjectMapper apply(ObjectMapper mapper) {
        return mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_AS_NULL)
                .disable(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_USING_DEFAULT_VALUE);
    }
}
