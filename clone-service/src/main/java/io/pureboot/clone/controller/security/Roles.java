package io.pureboot.clone.controller.security;

/** The roles a caller can hold. Operators hold admin or viewer; agents hold node. */
public final class Roles {

    /** Operators who may change things. */
    public static final String ADMIN = "admin";
    /** Operators who may only look. */
    public static final String VIEWER = "viewer";
    /** A node agent, scoped by its token to one session and one role in it. */
    public static final String NODE = "node";

    private Roles() {
    }
}
