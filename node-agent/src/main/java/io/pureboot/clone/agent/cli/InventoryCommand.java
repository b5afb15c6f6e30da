package io.pureboot.clone.agent.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.pureboot.clone.agent.clone.Inventory;
import io.pureboot.clone.events.EventCodec;
import io.pureboot.clone.events.node.DiskInventory;
import io.pureboot.clone.nodeapi.AgentMode;
import io.pureboot.clone.nodeapi.InventoryReport;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Reports the node's disks to the clone-service (or prints them). */
@Command(name = AgentMode.Names.INVENTORY, mixinStandardHelpOptions = true,
        description = "Describe every disk (stable id, geometry, partition table, filesystems with used and minimum "
                + "sizes) and post it to the clone-service, or print it with --print.")
public final class InventoryCommand implements Callable<Integer> {

    @Mixin
    NodeOptions options;

    @Option(names = "--print", description = "Print the inventory as JSON instead of posting it.")
    boolean print;

    @Option(names = "--disk", paramLabel = "STABLE_ID", description = "Only this disk.")
    String disk;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        try (NodeRun run = new NodeRun(options)) {
            Inventory inventory = new Inventory(run.devices(), run.filesystems());
            List<DiskInventory> disks = disk == null ? inventory.all()
                    : List.of(inventory.describe(run.devices().byStableId(disk)));
            InventoryReport report = new InventoryReport(macAddress(), hostname(), disks);
            if (print) {
                spec.commandLine().getOut().println(json(report));
                return 0;
            }
            return run.reportingFailures(() -> {
                run.client().inventory(report);
                spec.commandLine().getOut().println("reported " + disks.size() + " disks");
                return 0;
            });
        }
    }

    private static String json(Object value) throws JsonProcessingException {
        return EventCodec.mapper().copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value);
    }

    /** The first non-loopback interface's MAC, which the controller knows the node by. */
    static String macAddress() {
        Path net = Path.of("/sys/class/net");
        if (!Files.isDirectory(net)) {
            return null;
        }
        try (Stream<Path> interfaces = Files.list(net)) {
            for (Path path : interfaces.sorted().toList()) {
                if (path.getFileName().toString().equals("lo")) {
                    continue;
                }
                Path address = path.resolve("address");
                if (Files.isRegularFile(address)) {
                    String mac = Files.readString(address, StandardCharsets.UTF_8).strip();
                    if (!mac.isEmpty() && !mac.equals("00:00:00:00:00:00")) {
                        return mac;
                    }
                }
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return null;
        }
    }
}
