package io.pureboot.clone.agent;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Undo actions (unmount, logout, detach, delete) run in reverse order of registration when the run ends, on every exit
 * path: normal return, exception, or a signal (the command registers {@link #close()} as a shutdown hook). Each action
 * runs at most once; a failing action is logged and does not stop the others.
 */
public final class Cleanup implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Cleanup.class.getName());

    /** One undo step. */
    @FunctionalInterface
    public interface Action {
        void run() throws Exception;
    }

    private record Entry(String description, Action action) {
    }

    private final Deque<Entry> actions = new ArrayDeque<>();

    /** Registers an undo step; the description names what is undone (for the log). */
    public synchronized void push(String description, Action action) {
        actions.push(new Entry(description, action));
    }

    /**
     * Runs and forgets, newest first, the steps registered since the stack held {@code size} (a {@link #size()} taken
     * before): a part of the run whose resources are released before its end.
     */
    public synchronized void releaseTo(int size) {
        while (actions.size() > size) {
            runQuietly(actions.pop());
        }
    }

    public synchronized int size() {
        return actions.size();
    }

    @Override
    public synchronized void close() {
        while (!actions.isEmpty()) {
            runQuietly(actions.pop());
        }
    }

    private static void runQuietly(Entry entry) {
        try {
            entry.action().run();
        } catch (Exception e) {
            LOG.log(Level.WARNING, "cleanup step failed: " + entry.description() + ": " + e.getMessage(), e);
        }
    }
}
