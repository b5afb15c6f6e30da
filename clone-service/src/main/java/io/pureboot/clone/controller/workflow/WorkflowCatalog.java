package io.pureboot.clone.controller.workflow;

import io.pureboot.clone.controller.config.CloneConfig;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The workflows clone-service boots nodes with, read once at start: a missing or invalid file stops the service
 * with the file and the reason, rather than failing a node's boot later. Edits take effect at the next start.
 */
@Startup
@ApplicationScoped
public class WorkflowCatalog {

    private static final Logger LOG = Logger.getLogger(WorkflowCatalog.class);

    private final Map<String, Workflow> workflows;

    public WorkflowCatalog(CloneConfig config) {
        this.workflows = WorkflowLoader.load(config.workflows().directory());
        LOG.infof("workflows loaded from %s: %s", config.workflows().directory().toAbsolutePath(), workflows.keySet());
    }

    /** Every workflow, one per agent mode. */
    public Collection<Workflow> all() {
        return workflows.values();
    }

    /** The workflow of an agent mode. */
    public Workflow forMode(String mode) {
        Workflow workflow = workflows.get(mode);
        if (workflow == null) {
            throw new IllegalArgumentException("no workflow for mode " + mode);
        }
        return workflow;
    }
}
