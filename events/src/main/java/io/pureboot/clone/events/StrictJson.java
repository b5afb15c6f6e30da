package io.pureboot.clone.events;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import java.io.IOException;
import java.util.UUID;

/**
 * How every JSON body a client sends is read, in one place for the services' REST mapper (platform's
 * customizer) and the node API's stricter one: a document followed by anything else, an enum value given as a
 * number, a float where a whole number belongs are refused rather than guessed at. Unknown enum names
 * are refused by Jackson's default, which none of our mappers changes. Jackson trims whitespace and control
 * characters around enum names, UUIDs and dates and reads numbers from strings ({@code "gpt\u0000"},
 * {@code "<uuid>\u0000"}, {@code "1\u0000"}): all refused here, so that what is accepted is what was sent.
 */
public final class StrictJson {

    private StrictJson() {
    }

    /** Enables the strict reading features on {@code mapper} and returns it. */
    public static ObjectMapper apply(ObjectMapper mapper) {
        SimpleModule exactEnums = new SimpleModule("pureboot-exact-enums");
        exactEnums.setDeserializerModifier(new BeanDeserializerModifier() {
            @Override
            public JsonDeserializer<?> modifyEnumDeserializer(DeserializationConfig config, JavaType type,
                    BeanDescription description, JsonDeserializer<?> deserializer) {
                return new ExactTextDeserializer(deserializer);
            }

            @Override
            public JsonDeserializer<?> modifyDeserializer(DeserializationConfig config, BeanDescription description,
                    JsonDeserializer<?> deserializer) {
                Class<?> type = description.getBeanClass();
                boolean fromText = type == UUID.class || type.getPackageName().equals("java.time");
                return fromText ? new ExactTextDeserializer(deserializer) : deserializer;
            }
        });
        mapper.coercionConfigDefaults().setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        return mapper.registerModule(exactEnums)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_AS_NULL)
                .disable(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_USING_DEFAULT_VALUE);
    }

    /** Refuses a name, UUID or date with anything around it: Jackson would trim it and take what is left. */
    private static final class ExactTextDeserializer extends DelegatingDeserializer {

        ExactTextDeserializer(JsonDeserializer<?> delegate) {
            super(delegate);
        }

        @Override
        protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> delegate) {
            return new ExactTextDeserializer(delegate);
        }

        @Override
        public Object deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (parser.hasToken(JsonToken.VALUE_STRING)) {
                String text = parser.getText();
                if (!text.isEmpty() && (text.charAt(0) <= ' ' || text.charAt(text.length() - 1) <= ' ')) {
                    return context.handleWeirdStringValue(handledType(), text,
                            "whitespace or control characters around the value");
                }
            }
            return super.deserialize(parser, context);
        }
    }
}
