package io.pureboot.clone.controller.session.rest;

import io.pureboot.clone.events.validation.PlainText;

/** Why an operator cancels a session; optional. */
public record CancelRequest(@PlainText(max = 1000) String reason) {
}
