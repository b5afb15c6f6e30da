package io.pureboot.clone.controller.session.machine;

import java.util.List;

/** The machine's answer to one input: the session after it and what else must happen. */
public record Decision(SessionFacts after, List<Effect> effects) {

    public Decision {
        effects = List.copyOf(effects);
    }

    static Decision unchanged(SessionFacts facts) {
        return new Decision(facts, List.of());
    }
}
