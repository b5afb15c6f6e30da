package io.pureboot.clone.controller.session.rest;

import io.pureboot.clone.controller.session.TargetsRun;
import io.pureboot.clone.controller.session.service.DefineSession;
import io.pureboot.clone.events.session.CloneMode;
import io.pureboot.clone.events.session.ResizeMode;
import io.pureboot.clone.events.validation.PlainText;
import jakarta.validation.Valid;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;

/**
 * Creates or redefines a clone session.
 *
 * @param stagingBackendId the storage backend for a staged session; must be absent for direct mode
 * @param resizeMode defaults to none
 * @param targetsRun defaults to after_upload
 * @param repairSource shrink_source only, false by default: when the source's read-only check (e2fsck -fn, ntfsresize
 *     --check) finds filesystem errors or a journal that needs recovery, repair them (e2fsck -f -y, ntfsfix -d; a
 *     btrfs log is replayed by mounting it once) and go on instead of stopping with the source unchanged. A repair
 *     changes the source; it is reported in phase repairing_source, and the tool's summary reaches the audit's
 *     clone-session.source-completed
 * @param swarm false by default: the targets also serve each other the chunks they wrote and verified, so that the
 *     source (direct) or the staging server (staged) sends each chunk about once (docs/swarm.md)
 */
public record SessionRequest(
        @NotBlank(message = "is required") @PlainText String name,
        @NotNull(message = "is required (staged or direct)") CloneMode cloneMode,
        @NotNull(message = "is required") UUID sourceNodeId,
        @NotBlank(message = "is required") @PlainText String sourceDiskId,
        @NotEmpty(message = "must name at least one target") @Size(max = 64, message = "must list at most 64 targets")
        List<@Valid @NotNull(message = "must not be null") TargetRequest> targets,
        @PlainText(max = 100) String stagingBackendId,
        ResizeMode resizeMode,
        TargetsRun targetsRun,
        @Schema(description = "shrink_source only (422 otherwise), default false: repair filesystem errors the "
                + "source's read-only check finds (e2fsck -f -y, ntfsfix -d, one mount that replays a btrfs log) "
                + "instead of stopping with the source unchanged. A repair changes the source; what the tool did is "
                + "in the audit's clone-session.source-completed (repairs).")
        Boolean repairSource,
        @Schema(description = "default false: the session's targets also serve each other the chunks they wrote, "
                + "over mutual TLS with certificates of the session, each chunk checked against the source's SHA-256 "
                + "(direct: as the source sent it; staged: the image's manifest), so that the source (direct) or the "
                + "staging server (staged) sends each chunk about once instead of once per target. "
                + "A target that drops a peer for a bad chunk or failed requests says so in the audit's "
                + "clone-session.swarm-peer-dropped.")
        Boolean swarm) {

    /** The command this request asks for, with the defaults applied. */
    public DefineSession command() {
        return new DefineSession(name, cloneMode, sourceNodeId, sourceDiskId, targets.stream()
                .map(target -> new DefineSession.Target(target.nodeId(), target.diskId())).toList(),
                stagingBackendId, resizeMode == null ? ResizeMode.NONE : resizeMode,
                targetsRun == null ? TargetsRun.AFTER_UPLOAD : targetsRun, Boolean.TRUE.equals(repairSource),
                Boolean.TRUE.equals(swarm));
    }
}
