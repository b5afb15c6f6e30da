package io.pureboot.clone.platform.security;

/**
 * The answer of {@code POST /api/v1/auth/token}: a signed JWT for an API key, with what the console needs to know
 * about it. {@code expires_in} is in seconds.
 */
public record IssuedToken(String accessToken, String tokenType, long expiresIn, String role, String subject) {

    public static final String BEARER = "Bearer";
}
