import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The measuring half of deploy/bench/control-plane.sh (run with {@code java LiveProgressProbe.java}, JDK only):
 * connects the watchers to the session's live stream as the console does (Server-Sent Events, the operator's JWT in
 * the Authorization header), probes how long a report takes to reach them with nothing else running, runs the load
 * command given after {@code --} (wrk) while probing again, and prints the figures beside the reference ones.
 *
 * <p>A probe posts a report with a figure no other report carries (from the one target wrk does not drive) and
 * waits until a watcher's stream shows it (first) and until every watcher's did (all). Every wait is bounded.
 */
public final class LiveProgressProbe {

    private static final Duration PROBE_WAIT = Duration.ofSeconds(5);
    private static final long MARKER_BASE = 500_000_000_000L;

    private final Map<String, String> options;
    private final HttpClient http;
    private final int watcherCount;
    private final AtomicLongArray eventsPerWatcher;
    private final AtomicLong connected = new AtomicLong();
    private volatile Probe current;

    /** One probe in flight: the figure it posted and who has seen it. */
    private static final class Probe {
        final String marker;
        final long postedAt = System.nanoTime();
        final AtomicLong firstSeenAt = new AtomicLong();
        final AtomicLong lastSeenAt = new AtomicLong();
        final boolean[] seen;
        final CountDownLatch everyone;

        Probe(long figure, int watchers) {
            // Every marker has 12 digits and every figure wrk sends fewer or a smaller value: no false prefix.
            this.marker = "\"bytes_done\":" + figure;
            this.seen = new boolean[watchers];
            this.everyone = new CountDownLatch(watchers);
        }

        synchronized void seenBy(int watcher, long at) {
            if (seen[watcher]) {
                return;
            }
            seen[watcher] = true;
            firstSeenAt.compareAndSet(0, at);
            lastSeenAt.set(at);
            everyone.countDown();
        }
    }

    /** Milliseconds from post to first and to every watcher; -1: not seen within the wait. */
    private record Latency(double firstMs, double allMs) {
    }

    private LiveProgressProbe(Map<String, String> options) throws Exception {
        this.options = options;
        this.watcherCount = Integer.parseInt(options.get("watchers"));
        this.eventsPerWatcher = new AtomicLongArray(watcherCount);
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(trusting(Path.of(options.get("ca")))).connectTimeout(Duration.ofSeconds(10)).build();
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        int split = Arrays.asList(args).indexOf("--");
        for (int i = 0; i + 1 < (split < 0 ? args.length : split); i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        List<String> load = split < 0 ? List.of() : Arrays.asList(args).subList(split + 1, args.length);
        new LiveProgressProbe(options).run(load);
        System.exit(0);
    }

    private void run(List<String> load) throws Exception {
        int probes = Integer.parseInt(options.get("probes"));
        for (int watcher = 0; watcher < watcherCount; watcher++) {
            int index = watcher;
            Thread.ofVirtual().name("watcher-" + watcher).start(() -> watch(index));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (connected.get() < watcherCount && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        System.out.printf("%d of %d watchers follow the session's live stream%n", connected.get(), watcherCount);
        if (connected.get() < watcherCount) {
            throw new IllegalStateException("not every watcher connected within 60 s");
        }

        String loadBefore = loadAverage();
        List<Latency> idle = probe(probes, 0);
        System.out.printf("idle probes: %s (load %s)%n", summary(idle), loadBefore);

        Map<String, Long> cpuBefore = cpuTicks();
        long[] eventsBefore = snapshot();
        Process wrk = new ProcessBuilder(load).redirectErrorStream(true).start();
        long loadStarted = System.nanoTime();
        List<String> wrkOutput = new ArrayList<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (Stream<String> lines = wrk.inputReader().lines()) {
                lines.forEach(line -> {
                    synchronized (wrkOutput) {
                        wrkOutput.add(line);
                    }
                });
            }
        });
        Thread.sleep(2000);
        String loadDuring = loadAverage();
        long duration = Long.parseLong(options.get("duration"));
        // Probes spread over the run, leaving its last seconds alone.
        List<Latency> loaded = probe(probes, Math.max(0, (duration - 6) * 1000 / probes));
        if (!wrk.waitFor(duration + 60, TimeUnit.SECONDS)) {
            wrk.destroy();
            throw new IllegalStateException("the load command did not end within its duration + 60 s");
        }
        double loadSeconds = (System.nanoTime() - loadStarted) / 1e9;
        reader.join(5000);
        long[] eventsAfter = snapshot();
        Map<String, Long> cpuAfter = cpuTicks();
        String loadAfter = loadAverage();
        wrkOutput.forEach(System.out::println);
        Map<String, Long> result = wrkResult(wrkOutput);

        double maxPerStream = 0;
        long total = 0;
        for (int i = 0; i < watcherCount; i++) {
            long events = eventsAfter[i] - eventsBefore[i];
            total += events;
            maxPerStream = Math.max(maxPerStream, events / loadSeconds);
        }
        printTable(result, idle, loaded, loadBefore, loadDuring, loadAfter, maxPerStream, total / loadSeconds);
        // CPU per report: independent of how much of the shared cores the run got, so comparable across loads.
        StringBuilder cpu = new StringBuilder();
        cpuAfter.forEach((name, ticks) -> cpu.append(String.format(Locale.ROOT, " %s %.3f ms (%.0f %% of a core);",
                name, (ticks - cpuBefore.getOrDefault(name, 0L)) * 10.0 / result.get("requests"),
                (ticks - cpuBefore.getOrDefault(name, 0L)) / loadSeconds)));
        if (!cpuAfter.isEmpty()) {
            System.out.println("CPU per report (whole run, watchers and probes included):" + cpu);
        }
    }

    /**
     * CPU ticks (1/100 s: user + system) of the processes named in --cpu "name:pid+pid,name:pid", e.g. clone-service
     * and the proxy's master and worker.
     */
    private Map<String, Long> cpuTicks() {
        Map<String, Long> ticks = new java.util.LinkedHashMap<>();
        String spec = options.getOrDefault("cpu", "");
        for (String entry : spec.split(",")) {
            if (!entry.contains(":")) {
                continue;
            }
            String[] nameAndPids = entry.split(":", 2);
            long sum = 0;
            for (String pid : nameAndPids[1].split("\\+")) {
                try {
                    String stat = Files.readString(Path.of("/proc", pid.trim(), "stat"));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    sum += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                } catch (IOException | RuntimeException e) {
                    // a process that is gone counts nothing
                }
            }
            ticks.put(nameAndPids[0], sum);
        }
        return ticks;
    }

    /** Each probe waits up to {@link #PROBE_WAIT}, then a random pause so that probes meet every point of a flush. */
    private List<Latency> probe(int count, long spacingMillis) throws Exception {
        List<Latency> latencies = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long figure = MARKER_BASE + ThreadLocalRandom.current().nextLong(1, 500_000_000_000L);
            Probe probe = new Probe(figure, watcherCount);
            current = probe;
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(options.get("origin")
                            + "/api/v1/node/progress"))
                    .header("Authorization", "Bearer " + options.get("probe-token"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"phase\":\"downloading\",\"bytes_done\":" + figure
                                    + ",\"bytes_total\":1099511627776,\"rate_bytes_per_second\":104857600}"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 204) {
                throw new IllegalStateException("the probe's report was answered " + answer.statusCode() + ": "
                        + answer.body());
            }
            probe.everyone.await(PROBE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            long first = probe.firstSeenAt.get();
            latencies.add(new Latency(first == 0 ? -1 : (first - probe.postedAt) / 1e6,
                    probe.everyone.getCount() > 0 ? -1 : (probe.lastSeenAt.get() - probe.postedAt) / 1e6));
            current = null;
            long elapsed = (System.nanoTime() - probe.postedAt) / 1_000_000;
            Thread.sleep(Math.max(0, spacingMillis - elapsed) + ThreadLocalRandom.current().nextLong(100, 600));
        }
        return latencies;
    }

    /** One stream, as the console's: the session now, then again after each change. */
    private void watch(int index) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(options.get("origin") + "/api/v1/clone-sessions/"
                        + options.get("session") + "/progress"))
                .header("Authorization", "Bearer " + options.get("viewer-token"))
                .header("Accept", "text/event-stream").GET().build();
        try {
            HttpResponse<Stream<String>> answer = http.send(request, HttpResponse.BodyHandlers.ofLines());
            if (answer.statusCode() != 200) {
                System.err.printf("watcher %d: answered %d%n", index, answer.statusCode());
                return;
            }
            boolean first = true;
            try (Stream<String> lines = answer.body()) {
                for (var iterator = lines.iterator(); iterator.hasNext(); ) {
                    String line = iterator.next();
                    if (!line.startsWith("data:")) {
                        continue;
                    }
                    long at = System.nanoTime();
                    if (first) {
                        connected.incrementAndGet();
                        first = false;
                    }
                    eventsPerWatcher.incrementAndGet(index);
                    Probe probe = current;
                    if (probe != null && line.contains(probe.marker)) {
                        probe.seenBy(index, at);
                    }
                }
            }
        } catch (IOException | InterruptedException e) {
            System.err.printf("watcher %d: %s%n", index, e);
        }
    }

    private long[] snapshot() {
        long[] events = new long[watcherCount];
        for (int i = 0; i < watcherCount; i++) {
            events[i] = eventsPerWatcher.get(i);
        }
        return events;
    }

    private static Map<String, Long> wrkResult(List<String> output) {
        Map<String, Long> result = new HashMap<>();
        output.stream().filter(line -> line.startsWith("BENCH_RESULT ")).findFirst().ifPresent(line -> {
            for (String pair : line.substring("BENCH_RESULT ".length()).trim().split(" ")) {
                String[] kv = pair.split("=");
                result.put(kv[0], Long.parseLong(kv[1]));
            }
        });
        if (result.isEmpty()) {
            throw new IllegalStateException("the load command printed no BENCH_RESULT line");
        }
        return result;
    }

    private void printTable(Map<String, Long> wrk, List<Latency> idle, List<Latency> loaded, String loadBefore,
            String loadDuring, String loadAfter, double maxPerStream, double eventsPerSecond) {
        double seconds = wrk.get("duration_us") / 1e6;
        double rate = wrk.get("requests") / seconds;
        String errors = wrk.get("status_errors") + " non-2xx, " + wrk.get("socket_errors") + " socket errors";
        System.out.println();
        System.out.printf("Control plane, %s targets (the source and %d by wrk: %s connections), %d SSE watchers, %.0f s,"
                + " through %s%n",
                options.get("targets"), Integer.parseInt(options.get("targets")) - 1, options.get("connections"),
                watcherCount, seconds, options.get("origin"));
        System.out.printf("load average (1/5/15 min): before %s | 2 s into the run %s | after %s%n",
                loadBefore, loadDuring, loadAfter);
        System.out.println();
        System.out.println("| | reports/s | p50 ms | p99 ms | first SSE update after a report, p50 / max ms |");
        System.out.println("|---|---:|---:|---:|---|");
        System.out.println("| issue 17, nothing else running | 970 | | 51 | |");
        System.out.println("| issue 17, other work on the cores | 520 | 27 | 154 | |");
        System.out.println("| goal | >= 2000 | | < 50 | < 1000 |");
        System.out.printf(Locale.ROOT, "| this run (%s) | %.0f | %.1f | %.1f | under load %s; idle %s |%n", errors, rate,
                wrk.get("p50_us") / 1e3, wrk.get("p99_us") / 1e3, firstSummary(loaded), firstSummary(idle));
        System.out.println();
        System.out.printf(Locale.ROOT, "every watcher saw the report, p50 / max ms: under load %s; idle %s%n",
                allSummary(loaded), allSummary(idle));
        System.out.printf(Locale.ROOT, "SSE updates during the run: %.2f/s on the busiest stream, %.0f/s over all %d%n",
                maxPerStream, eventsPerSecond, watcherCount);
    }

    private static String summary(List<Latency> latencies) {
        return "first " + firstSummary(latencies) + ", every watcher " + allSummary(latencies);
    }

    private static String firstSummary(List<Latency> latencies) {
        return percentiles(latencies.stream().mapToDouble(Latency::firstMs).toArray());
    }

    private static String allSummary(List<Latency> latencies) {
        return percentiles(latencies.stream().mapToDouble(Latency::allMs).toArray());
    }

    /** p50 / max of what was seen, and how many were not seen within the wait. */
    private static String percentiles(double[] values) {
        double[] seen = Arrays.stream(values).filter(value -> value >= 0).sorted().toArray();
        int missed = values.length - seen.length;
        if (seen.length == 0) {
            return "none seen of " + values.length;
        }
        return String.format(Locale.ROOT, "%.0f / %.0f (n=%d%s)", seen[(seen.length - 1) / 2], seen[seen.length - 1],
                values.length, missed == 0 ? "" : ", " + missed + " not seen within 5 s");
    }

    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static SSLContext trusting(Path caPem) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        store.setCertificateEntry("origin-ca", CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(caPem))));
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
