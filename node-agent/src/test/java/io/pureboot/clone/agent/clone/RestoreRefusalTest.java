package io.pureboot.clone.agent.clone;

import static io.pureboot.clone.agent.testing.TestDisks.MIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pureboot.clone.agent.AgentException;
import io.pureboot.clone.agent.FailureKind;
import io.pureboot.clone.agent.disk.BlockDevices;
import io.pureboot.clone.agent.fs.Filesystems;
import io.pureboot.clone.agent.image.Manifest;
import io.pureboot.clone.agent.image.ProgressListener;
import io.pureboot.clone.agent.image.RestoreEngine;
import io.pureboot.clone.agent.process.CommandRunner;
import io.pureboot.clone.agent.process.Tools;
import io.pureboot.clone.agent.testing.FileHashes;
import io.pureboot.clone.agent.testing.Plans;
import io.pureboot.clone.agent.testing.SystemResources;
import io.pureboot.clone.agent.testing.Sys;
import io.pureboot.clone.agent.testing.TestDisks;
import io.pureboot.clone.agent.testing.TestDisks.Disk;
import io.pureboot.clone.events.node.PartitionTableType;
import io.pureboot.clone.events.resize.PartitionAction;
import io.pureboot.clone.events.resize.PartitionPlan;
import io.pureboot.clone.events.resize.ResizePlan;
import io.pureboot.clone.events.session.ResizeMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every refusal a restore can give before its first write leaves the target's bytes as they were: the whole target
 * loop disk (filled with random bytes) is hashed before and after each refused restore of an MBR image with logical
 * partitions.
 */
class RestoreRefusalTest {

    private static final long DISK_MIB = 128;

    @RegisterExtension
    static final SystemResources SHARED = SystemResources.perClass();

    private static Path staging;
    private static Manifest manifest;
    private static Disk target;
    private static String targetHash;

    @BeforeAll
    static void captureSourceAndFillTarget() throws IOException {
        Sys.assumeRoot();
        Disk source = TestDisks.mbrLogicalDisk(SHARED, SHARED.tempDirectory("pureboot-refusal-source"), DISK_MIB, 24,
                64, 16 * MIB);
        staging = SHARED.tempDirectory("pureboot-refusal-staging");
        manifest = CloneFixture.capture(source.blockDevice(), staging, false, 0).manifest();
        Path file = SHARED.tempDirectory("pureboot-refusal-target").resolve("target.img");
        Sys.run("dd", "if=/dev/urandom", "of=" + file, "bs=1M", "count=" + DISK_MIB, "status=none");
        target = new Disk(file, SHARED.attach(file));
        targetHash = FileHashes.sha256(target.device());
    }

    @BeforeEach
    void targetIsAsFilled() throws IOException {
        assertThat(FileHashes.sha256(target.device())).isEqualTo(targetHash);
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                refusal("the plan is marked infeasible", FailureKind.PLAN, "the plan is marked infeasible",
                        plan -> new ResizePlan(plan.sourceDiskBytes(), plan.targetDiskBytes(), plan.resizeMode(),
                                plan.tableType(), plan.logicalSectorSize(), plan.alignmentBytes(),
                                plan.firstUsableBytes(), plan.usableEndBytes(), plan.partitions(), false,
                                "too small", List.of())),
                refusal("a partition is missing from the plan", FailureKind.PLAN, "does not say what to do with "
                        + "partition 6", plan -> withPartitions(plan, plan.partitions().stream()
                                .filter(p -> p.partition() != 6).toList())),
                refusal("a partition is smaller than its filesystem", FailureKind.PLAN, "partition 5 needs at least",
                        plan -> moved(plan, 5, start(plan, 5), 8 * MIB)),
                refusal("a partition ends past the disk", FailureKind.PLAN, "lies outside the target's usable area",
                        plan -> moved(plan, 6, (DISK_MIB - 8) * MIB, 16 * MIB)),
                refusal("two partitions overlap", FailureKind.PLAN, "partitions 5 and 6 overlap",
                        plan -> moved(plan, 6, start(plan, 5) + MIB, 16 * MIB)),
                refusal("a start is not on a sector", FailureKind.PLAN, "is not aligned to the target's 512-byte "
                        + "sectors", plan -> moved(plan, 1, MIB + 100, 24 * MIB)),
                refusal("a logical partition leaves no sector for its EBR", FailureKind.PARTITION_TABLE,
                        "leaving no sector for its extended boot record",
                        plan -> moved(plan, 6, start(plan, 5) + 64 * MIB, 16 * MIB)),
                refusal("a logical partition lies outside the extended one", FailureKind.PARTITION_TABLE,
                        "past the end of extended partition 2",
                        plan -> moved(plan, 2, start(plan, 2), size(plan, 2) - MIB)),
                refusal("the extended partition is deleted but its logical ones kept", FailureKind.PLAN,
                        "deletes extended partition 2", plan -> deleted(plan, 2)),
                refusal("the plan is for 4 KiB sectors", FailureKind.PLAN, "made for 4096-byte sectors",
                        plan -> new ResizePlan(plan.sourceDiskBytes(), plan.targetDiskBytes(), plan.resizeMode(),
                                plan.tableType(), 4096, plan.alignmentBytes(), plan.firstUsableBytes(),
                                plan.usableEndBytes(), plan.partitions(), true, null, List.of())),
                refusal("the plan asks for another table type", FailureKind.UNSUPPORTED, "converting tables is not "
                        + "supported", plan -> new ResizePlan(plan.sourceDiskBytes(), plan.targetDiskBytes(),
                                plan.resizeMode(), PartitionTableType.GPT, MIB, plan.partitions(), true, null)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refusalLeavesTheTargetUntouched(String name, FailureKind kind, String message,
            UnaryOperator<ResizePlan> change) throws IOException {
        ResizePlan plan = change.apply(Plans.mbrPlan(manifest, DISK_MIB * MIB, ResizeMode.SHRINK_SOURCE,
                java.util.Map.of(), 0));

        assertThatThrownBy(() -> restore(plan, Tools.system())).isInstanceOf(AgentException.class)
                .hasMessageContaining(message).extracting(e -> ((AgentException) e).kind()).isEqualTo(kind);

        assertThat(FileHashes.sha256(target.device())).as("target after: " + name).isEqualTo(targetHash);
    }

    @org.junit.jupiter.api.Test
    void aMissingToolIsFoundBeforeTheFirstWrite() throws IOException {
        Path bin = SHARED.tempDirectory("pureboot-partial-path");
        for (String tool : List.of("partx", "sfdisk", "blkid", "e2fsck", "mkswap")) {
            Path found = Stream.of("/usr/sbin", "/usr/bin", "/sbin", "/bin").map(d -> Path.of(d, tool))
                    .filter(Files::isExecutable).findFirst().orElseThrow();
            Files.createSymbolicLink(bin.resolve(tool), found);
        }
        ResizePlan plan = Plans.mbrPlan(manifest, DISK_MIB * MIB, ResizeMode.SHRINK_SOURCE, java.util.Map.of(), 0);

        assertThatThrownBy(() -> restore(plan, Tools.searching(List.of(bin)))).isInstanceOf(AgentException.class)
                .hasMessage("restoring onto " + target.device() + " needs resize2fs, not found in " + bin)
                .extracting(e -> ((AgentException) e).kind()).isEqualTo(FailureKind.TOOL);

        assertThat(FileHashes.sha256(target.device())).isEqualTo(targetHash);
    }

    @org.junit.jupiter.api.Test
    void anImageOf512ByteSectorsIsRefusedOnA4KibSectorDiskBeforeAnyWrite() throws IOException {
        Path file = SHARED.tempDirectory("pureboot-refusal-4k").resolve("target-4k.img");
        Sys.run("dd", "if=/dev/urandom", "of=" + file, "bs=1M", "count=" + DISK_MIB, "status=none");
        Disk fourK = new Disk(file, SHARED.attach(file, 4096));
        assertThat(fourK.blockDevice().logicalSectorSize()).isEqualTo(4096);
        String hash = FileHashes.sha256(fourK.device());
        CommandRunner runner = CommandRunner.system();

        assertThatThrownBy(() -> new TargetRestore(BlockDevices.system(), new Filesystems(runner), runner).restore(
                fourK.blockDevice(), staging, null, new TargetRestore.Options(RestoreEngine.Options.defaults(
                        CloneFixture.CODEC), SHARED.tempDirectory("pureboot-refusal-state")), phase -> { },
                ProgressListener.NONE)).isInstanceOf(AgentException.class)
                .hasMessage(fourK.device() + " has 4096-byte logical sectors and the image's MBR table counts in "
                        + "512-byte ones: restoring across sector sizes is not supported")
                .extracting(e -> ((AgentException) e).kind()).isEqualTo(FailureKind.UNSUPPORTED);

        assertThat(FileHashes.sha256(fourK.device())).isEqualTo(hash);
    }

    /** The other direction: a GPT image captured from a 4 KiB-sector disk, refused on this 512-byte-sector one. */
    @org.junit.jupiter.api.Test
    void anImageOf4KibSectorsIsRefusedOnA512ByteSectorDiskBeforeAnyWrite() throws IOException {
        Path file = SHARED.sparseFile(SHARED.tempDirectory("pureboot-source-4k"), "source-4k.img", 64 * MIB);
        Disk source = new Disk(file, SHARED.attach(file, 4096));
        assertThat(source.blockDevice().logicalSectorSize()).isEqualTo(4096);
        TestDisks.partition(SHARED, source, "-n1:1MiB:+48MiB", "-t1:8300");
        Sys.run("mkfs.ext4", "-q", "-F", "-b", "4096", source.partition(1).toString());
        Path fourKStaging = SHARED.tempDirectory("pureboot-staging-4k");
        Manifest fourK = CloneFixture.capture(source.blockDevice(), fourKStaging, false, 0).manifest();
        assertThat(fourK.table().sectorSize()).isEqualTo(4096);
        CommandRunner runner = CommandRunner.system();

        assertThatThrownBy(() -> new TargetRestore(BlockDevices.system(), new Filesystems(runner), runner).restore(
                target.blockDevice(), fourKStaging, null, new TargetRestore.Options(RestoreEngine.Options.defaults(
                        CloneFixture.CODEC), SHARED.tempDirectory("pureboot-refusal-state")), phase -> { },
                ProgressListener.NONE)).isInstanceOf(AgentException.class)
                .hasMessage(target.device() + " has 512-byte logical sectors and the image's GPT table counts in "
                        + "4096-byte ones: restoring across sector sizes is not supported")
                .extracting(e -> ((AgentException) e).kind()).isEqualTo(FailureKind.UNSUPPORTED);

        assertThat(FileHashes.sha256(target.device())).isEqualTo(targetHash);
    }

    private static void restore(ResizePlan plan, Tools tools) throws IOException {
        CommandRunner runner = CommandRunner.system();
        new TargetRestore(BlockDevices.system(), new Filesystems(runner), runner, tools).restore(target.blockDevice(),
                staging, plan, new TargetRestore.Options(RestoreEngine.Options.defaults(CloneFixture.CODEC),
                        SHARED.tempDirectory("pureboot-refusal-state")), phase -> { }, ProgressListener.NONE);
    }

    private static Arguments refusal(String name, FailureKind kind, String message, UnaryOperator<ResizePlan> change) {
        return Arguments.of(name, kind, message, change);
    }

    private static PartitionPlan entry(ResizePlan plan, int number) {
        return plan.partitions().stream().filter(p -> p.partition() == number).findFirst().orElseThrow();
    }

    private static long start(ResizePlan plan, int number) {
        return entry(plan, number).newStartBytes();
    }

    private static long size(ResizePlan plan, int number) {
        return entry(plan, number).newSizeBytes();
    }

    private static ResizePlan moved(ResizePlan plan, int number, long start, long size) {
        List<PartitionPlan> partitions = new ArrayList<>();
        for (PartitionPlan p : plan.partitions()) {
            partitions.add(p.partition() != number ? p : new PartitionPlan(p.partition(), p.currentStartBytes(),
                    p.currentSizeBytes(), start, size, p.minimumSizeBytes(), p.filesystem(),
                    size < p.currentSizeBytes() ? PartitionAction.SHRINK : size > p.currentSizeBytes()
                            ? PartitionAction.GROW : PartitionAction.KEEP, null));
        }
        return withPartitions(plan, partitions);
    }

    private static ResizePlan deleted(ResizePlan plan, int number) {
        List<PartitionPlan> partitions = new ArrayList<>();
        for (PartitionPlan p : plan.partitions()) {
            partitions.add(p.partition() != number ? p : new PartitionPlan(p.partition(), p.currentStartBytes(),
                    p.currentSizeBytes(), 0, 0, p.minimumSizeBytes(), p.filesystem(), PartitionAction.DELETE, null));
        }
        return withPartitions(plan, partitions);
    }

    private static ResizePlan withPartitions(ResizePlan plan, List<PartitionPlan> partitions) {
        return new ResizePlan(plan.sourceDiskBytes(), plan.targetDiskBytes(), plan.resizeMode(), plan.tableType(),
                plan.alignmentBytes(), partitions, true, null);
    }
}
