package io.pureboot.clone.controller.session.machine;

import java.time.Duration;

/**
 * How long the session waits for each party before it fails that party's part with a reason.
 *
 * @param silence longest gap between two reports of a running node
 * @param boot how long an armed node (source or target) may take to boot and report for the first time
 * @param storage how long storage-service may take to provision the staging area or to seal the image
 */
public record Deadlines(Duration silence, Duration boot, Duration storage) {
}
