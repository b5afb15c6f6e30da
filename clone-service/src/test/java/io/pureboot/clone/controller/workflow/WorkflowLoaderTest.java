package io.pureboot.clone.controller.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The repository's workflows load, and a broken one is refused with its file and reason. */
class WorkflowLoaderTest {

    private static final Path REPOSITORY_WORKFLOWS = Path.of("..", "workflows");

    @TempDir
    Path directory;

    @Test
    void theRepositoryHoldsOneValidWorkflowPerMode() {
        Map<String, Workflow> workflows = WorkflowLoader.load(REPOSITORY_WORKFLOWS);

        assertThat(workflows).containsOnlyKeys(WorkflowLoader.MODES);
        assertThat(workflows.get("inventory").after().success()).isEqualTo(AfterAction.POWEROFF);
        assertThat(workflows.get("clone-target-staged").after().success()).isEqualTo(AfterAction.REBOOT);
        assertThat(workflows.get("clone-source-direct").deadlines().serve()).isEqualTo(Duration.ofHours(12));
        assertThat(workflows.get("clone-source-staged").deadlines().serve()).isNull();
        assertThat(workflows.get("partition").boot().kernel()).isEqualTo("pureboot-vmlinuz");
    }

    @Test
    void aMissingModeIsNamed() throws IOException {
        copyAll();
        Files.delete(directory.resolve("partition.yaml"));

        assertThatThrownBy(() -> WorkflowLoader.load(directory)).isInstanceOf(WorkflowException.class)
                .hasMessageContaining("partition.yaml").hasMessageContaining("missing");
    }

    @Test
    void anUnknownAfterActionIsRefusedWithItsLine() throws IOException {
        copyAll();
        edit("inventory.yaml", "success: poweroff", "success: hibernate");

        assertThatThrownBy(() -> WorkflowLoader.load(directory)).isInstanceOf(WorkflowException.class)
                .hasMessageContaining("inventory.yaml").hasMessageContaining("hibernate").hasMessageContaining("line");
    }

    @Test
    void aTypoInAKeyIsRefused() throws IOException {
        copyAll();
        edit("clone-source-direct.yaml", "serve: PT12H", "serv: PT12H");

        assertThatThrownBy(() -> WorkflowLoader.load(directory)).isInstanceOf(WorkflowException.class)
                .hasMessageContaining("clone-source-direct.yaml").hasMessageContaining("\"serv\"");
    }

    @Test
    void aRequiredKeyMisspeltIsReportedMissing() throws IOException {
        copyAll();
        edit("inventory.yaml", "network: PT1M", "netwrok: PT1M");

        assertThatThrownBy(() -> WorkflowLoader.load(directory)).isInstanceOf(WorkflowException.class)
                .hasMessageContaining("inventory.yaml: deadlines.network is required");
    }

    @Test
    void aKernelThatIsNotAPlainFileNameIsRefused() throws IOException {
        copyAll();
        edit("clone-target-staged.yaml", "kernel: pureboot-vmlinuz", "kernel: ../../etc/passwd");

        assertThatThrownBy(() -> WorkflowLoader.load(directory)).isInstanceOf(WorkflowException.class)
                .hasMessageContaining("clone-target-staged.yaml").hasMessageContaining("boot.kernel must be a plain file name");
    }

    @Test
    void aFileNamedForAnotherModeIsRefused() throws IOException {
        copyAll();
        edit("partition.yaml", "mode: partition", "mode: inventory");

        assertThatThrownBy(() -> WorkflowLoader.load(directory)).isInstanceOf(WorkflowException.class)
                .hasMessageContaining("mode is inventory but the file is named for partition");
    }

    private void copyAll() throws IOException {
        for (String mode : WorkflowLoader.MODES) {
            Files.copy(REPOSITORY_WORKFLOWS.resolve(mode + ".yaml"), directory.resolve(mode + ".yaml"));
        }
    }

    private void edit(String file, String from, String to) throws IOException {
        Path path = directory.resolve(file);
        String text = Files.readString(path);
        assertThat(text).contains(from);
        Files.writeString(path, text.replace(from, to));
    }
}
