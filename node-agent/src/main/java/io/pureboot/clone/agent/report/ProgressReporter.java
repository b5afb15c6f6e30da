package io.pureboot.clone.agent.report;

import static java.util.Objects.requireNonNull;

import io.pureboot.clone.agent.image.ProgressListener;
import io.pureboot.clone.nodeapi.ProgressPhase;
import io.pureboot.clone.nodeapi.ProgressReport;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * Sends progress every interval (~2 s): phase, bytes done and total, and the rate over the last interval. A report
 * that cannot be delivered (no connection, 5xx) is queued, oldest first, and sent before the next one; the queue is
 * bounded, dropping the oldest. A 4xx drops the report: the server will never accept it, so it is not retried.
 */
public final class ProgressReporter implements ProgressListener, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ProgressReporter.class.getName());

    /** Where reports go; the node API client in production. */
    @FunctionalInterface
    public interface Sink {
        void send(ProgressReport report);
    }

    private final Sink sink;
    private final int queueLimit;
    private final LongSupplier clock;
    private final Deque<ProgressReport> queue = new ArrayDeque<>();
    private final ScheduledExecutorService scheduler;
    private volatile ProgressPhase phase = ProgressPhase.STARTING;
    private volatile long bytesDone;
    private volatile long bytesTotal;
    private long lastBytes;
    private long lastNanos;
    private int dropped;

    /** A reporter that is driven by calls to {@link #tick()} (tests), not by a timer. */
    public ProgressReporter(Sink sink, int queueLimit, LongSupplier nanoClock) {
        this(sink, queueLimit, nanoClock, null);
    }

    private ProgressReporter(Sink sink, int queueLimit, LongSupplier nanoClock, Duration interval) {
        this.sink = requireNonNull(sink, "sink is null");
        if (queueLimit < 1) {
            throw new IllegalArgumentException("queueLimit must be >= 1: " + queueLimit);
        }
        this.queueLimit = queueLimit;
        this.clock = requireNonNull(nanoClock, "nanoClock is null");
        this.lastNanos = nanoClock.getAsLong();
        if (interval == null) {
            this.scheduler = null;
            return;
        }
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "progress-reporter");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleAtFixedRate(this::tickQuietly, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** A reporter sending every {@code interval} on its own daemon thread. */
    public static ProgressReporter every(Duration interval, Sink sink) {
        return new ProgressReporter(sink, 256, System::nanoTime, interval);
    }

    /**
     * Phases named as the capture and restore code names them ({@code uploading}...), each with {@code total} bytes;
     * a name that is no {@link ProgressPhase} fails at once rather than being reported for the service to refuse.
     */
    public Consumer<String> phases(long total) {
        return name -> phase(ProgressPhase.ofJsonName(name), total);
    }

    /** Starts a new phase (uploading, downloading, resizing...) with its own byte count. */
    public synchronized void phase(ProgressPhase next, long total) {
        requireNonNull(next, "next is null");
        if (bytesDone > 0) {
            // The phase that ends is reported as it ended: a phase shorter than the interval is seen too.
            tickQuietly();
        }
        phase = next;
        bytesDone = 0;
        bytesTotal = total;
        lastBytes = 0;
        lastNanos = clock.getAsLong();
        if (next == ProgressPhase.REPAIRING_SOURCE) {
            // A repair changes the source: the clone-service hears of it when it starts, however short it is.
            tickQuietly();
        }
    }

    @Override
    public void progress(long done, long total) {
        bytesDone = done;
        bytesTotal = total;
    }

    /** Builds a report from the current counters, queues it and sends everything queued. */
    public synchronized void tick() {
        long now = clock.getAsLong();
        long done = bytesDone;
        long elapsedNanos = Math.max(1, now - lastNanos);
        long rate = Math.max(0, (done - lastBytes) * 1_000_000_000L / elapsedNanos);
        lastBytes = done;
        lastNanos = now;
        enqueue(new ProgressReport(phase, done, bytesTotal, rate));
        flush();
    }

    /** Sends queued reports oldest first; stops at the first that cannot be delivered (it stays queued). */
    public synchronized void flush() {
        while (!queue.isEmpty()) {
            ProgressReport report = queue.peekFirst();
            try {
                sink.send(report);
                queue.pollFirst();
            } catch (ApiException e) {
                if (!e.retryable()) {
                    LOG.warning("progress report rejected, dropped: " + e.getMessage());
                    queue.pollFirst();
                    continue;
                }
                LOG.fine(() -> "progress report not delivered, " + queue.size() + " queued: " + e.getMessage());
                return;
            }
        }
    }

    public synchronized int queued() {
        return queue.size();
    }

    public synchronized int dropped() {
        return dropped;
    }

    private void enqueue(ProgressReport report) {
        if (queue.size() >= queueLimit) {
            queue.pollFirst();
            dropped++;
        }
        queue.addLast(report);
    }

    private void tickQuietly() {
        try {
            tick();
        } catch (RuntimeException e) {
            LOG.warning("progress reporting failed: " + e.getMessage());
        }
    }

    /** Stops the timer and makes a last attempt to send the final state and anything queued. */
    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        tickQuietly();
    }
}
