package io.pureboot.clone.controller.session.rest;

import jakarta.validation.constraints.Size;

/** Why an operator cancels a session; optional. */
public record CancelRequest(@Size(max = 1000, message = "must be at most 1000 characters") String reason) {
}
