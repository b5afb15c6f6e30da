package io.pureboot.clone.system;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The replicas of one service, as a Deployment runs them: each on a port of its own, reached through one
 * {@link Balancer} (the Service) when there are two or more. A replica can be killed (SIGKILL) and started again on
 * its port, as Kubernetes replaces a pod.
 */
final class ServiceReplicas implements AutoCloseable {

    /**
     * Kafka's default consumer session is 45 s: that long the partitions of a killed replica wait before the group
     * hands them to a live one. The replicated tests shorten it (a Kubernetes deployment may too) to keep CI short.
     */
    private static final List<String> SHORT_KAFKA_SESSION = List.of(
            "-Dkafka.session.timeout.ms=8000", "-Dkafka.heartbeat.interval.ms=1000");

    private final String module;
    private Map<String, String> environment = Map.of();
    private final Balancer balancer;
    private final List<Integer> ports = new ArrayList<>();
    private final List<ServiceProcess> running = new ArrayList<>();

    private ServiceReplicas(String module, Balancer balancer) {
        this.module = module;
        this.balancer = balancer;
    }

    /**
     * The replicas' ports and front (the balancer's address when replicated), fixed before any replica starts, so
     * that services can be told each other's address first.
     */
    static ServiceReplicas of(String module, int replicas) throws IOException {
        ServiceReplicas service = new ServiceReplicas(module, replicas > 1 ? Balancer.start() : null);
        for (int i = 0; i < replicas; i++) {
            int port = ServiceProcess.freePort();
            service.ports.add(port);
            service.running.add(null);
            if (service.balancer != null) {
                service.balancer.add(port);
            }
        }
        return service;
    }

    /** The environment every replica starts with (beyond {@link ServiceProcess}'s own). */
    void environment(Map<String, String> variables) {
        environment = Map.copyOf(variables);
    }

    /** Starts replica {@code index} (again) on its port, without waiting for it to be ready. */
    ServiceProcess launch(int index) throws IOException {
        if (running.get(index) != null) {
            throw new IllegalStateException(module + " replica " + index + " is running");
        }
        List<String> options = balancer == null ? List.of() : SHORT_KAFKA_SESSION;
        String logName = balancer == null ? module : module + "-" + index;
        ServiceProcess replica = ServiceProcess.launch(module, logName, environment, ports.get(index), options);
        running.set(index, replica);
        return replica;
    }

    /** Starts replica {@code index} and waits until it is ready. */
    void start(int index) throws IOException, InterruptedException {
        launch(index).awaitReady();
    }

    /** SIGKILL to replica {@code index}. */
    void kill(int index) throws InterruptedException {
        running.get(index).kill();
        running.set(index, null);
    }

    int replicas() {
        return ports.size();
    }

    URI uri() {
        return balancer != null ? balancer.uri() : URI.create("http://127.0.0.1:" + ports.getFirst());
    }

    /** Stops every running replica, then the balancer. */
    @Override
    public void close() throws InterruptedException, IOException {
        for (int i = running.size() - 1; i >= 0; i--) {
            if (running.get(i) != null) {
                running.get(i).close();
                running.set(i, null);
            }
        }
        if (balancer != null) {
            balancer.close();
        }
    }
}
