package io.pureboot.clone.controller.session.machine;

import java.util.List;

/** The machine refuses an input: it does not apply to the session as it is. Nothing changes. */
public final class Refusal extends RuntimeException {

    /** Why, as the HTTP answer will say it. */
    public enum Kind {
        /** 409: not in this state. */
        CONFLICT,
        /** 403: not for this caller. */
        FORBIDDEN,
        /** 422: the named fields break a rule. */
        UNPROCESSABLE
    }

    /** One field at fault and why. */
    public record Field(String field, String reason) {
    }

    private final Kind kind;
    private final List<Field> fields;

    Refusal(Kind kind, String message, List<Field> fields) {
        super(message, null, false, false);
        this.kind = kind;
        this.fields = List.copyOf(fields);
    }

    static Refusal conflict(String message) {
        return new Refusal(Kind.CONFLICT, message, List.of());
    }

    static Refusal forbidden(String message) {
        return new Refusal(Kind.FORBIDDEN, message, List.of());
    }

    static Refusal unprocessable(List<Field> fields) {
        return new Refusal(Kind.UNPROCESSABLE, String.join("; ", fields.stream()
                .map(field -> field.field() + ": " + field.reason()).toList()), fields);
    }

    public Kind kind() {
        return kind;
    }

    public List<Field> fields() {
        return fields;
    }
}
