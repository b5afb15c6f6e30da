package io.pureboot.clone.planner.plan;

import static java.util.Objects.requireNonNull;

/**
 * What a target's plan was computed from and what every edit of it is checked against: the
 * session's capture layout and the target disk as inventoried at analysis time.
 */
public record PlanBasis(CaptureLayout capture, TargetDisk target) {

    public PlanBasis {
        requireNonNull(capture, "capture is null");
        requireNonNull(target, "target is null");
    }
}
