package io.pureboot.clone.planner.inventory.messaging;

import io.pureboot.clone.events.EventCatalog;
import io.pureboot.clone.planner.inventory.service.InventoryService;
import io.pureboot.clone.planner.plan.service.AutoAnalysis;
import io.pureboot.clone.platform.outbox.EventHandlers;
import io.pureboot.clone.platform.outbox.EventInbox;
import io.pureboot.clone.platform.validation.ValidPayloads;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Takes node inventories off the node-inventory topic, once per event. A report is followed by the
 * automatic analysis of the open sessions the node is the source or a target of.
 */
@ApplicationScoped
public class InventoryConsumer {

    private static final String CONSUMER = "planner.inventory";

    private final EventInbox inbox;
    private final EventHandlers handlers;

    public InventoryConsumer(EventInbox inbox, InventoryService inventories, AutoAnalysis analysis,
            ValidPayloads payloads) {
        this.inbox = inbox;
        // The checks clone-service made on the report: an inventory it accepted is stored here, any other skipped.
        this.handlers = EventHandlers.builder()
                .on(EventCatalog.NODE_INVENTORY_REPORTED, report -> analysis.serialised(() -> inventories.apply(
                        payloads.require(report)).chain(() -> analysis.inventoryReported(report.nodeId()))))
                .build();
    }

    @Incoming("node-inventory")
    public Uni<Void> consume(String record) {
        return inbox.receive(CONSUMER, record, handlers);
    }
}
