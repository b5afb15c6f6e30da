package io.pureboot.clone.platform.json;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pureboot.clone.events.StrictJson;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * Every service reads request bodies with {@link StrictJson}'s rules: trailing garbage, numeric or unknown enum
 * values and nulls for whole numbers become a 400 naming the field instead of a guess. Unknown properties stay
 * tolerated on operator endpoints (a newer console may send more); the node API refuses them too.
 */
@Singleton
public class StrictJsonCustomizer implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        StrictJson.apply(mapper);
    }
}
