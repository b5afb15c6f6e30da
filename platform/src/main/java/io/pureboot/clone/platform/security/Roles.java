package io.pureboot.clone.platform.security;

import java.util.List;
import java.util.Set;

/**
 * The roles a caller can hold, as constants for {@code @RolesAllowed}. Operators hold one of viewer &lt; operator &lt;
 * admin, and a higher role implies the lower ones ({@link RoleHierarchyAugmentor} adds them), so an endpoint names
 * only the least role it needs. Agents hold node, which implies nothing and is implied by nothing.
 */
public final class Roles {

    /** Operators who may only look. */
    public static final String VIEWER = "viewer";
    /** Operators who run sessions: define, analyze, edit plans, start, cancel, change nodes. */
    public static final String OPERATOR = "operator";
    /** Operators who also manage storage backends and API keys. */
    public static final String ADMIN = "admin";
    /** A node agent, scoped by its token to one session and one role in it. */
    public static final String NODE = "node";

    /** The operator roles, least first. */
    public static final List<String> OPERATOR_ROLES = List.of(VIEWER, OPERATOR, ADMIN);

    private Roles() {
    }

    /** The role and every operator role below it; an unknown role implies only itself. */
    public static Set<String> withImplied(String role) {
        int rank = OPERATOR_ROLES.indexOf(role);
        if (rank < 0) {
            return Set.of(role);
        }
        return Set.copyOf(OPERATOR_ROLES.subList(0, rank + 1));
    }

    /** The highest operator role among these, or null when there is none. */
    public static String highest(Iterable<String> roles) {
        int best = -1;
        for (String role : roles) {
            best = Math.max(best, OPERATOR_ROLES.indexOf(role));
        }
        return best < 0 ? null : OPERATOR_ROLES.get(best);
    }
}
