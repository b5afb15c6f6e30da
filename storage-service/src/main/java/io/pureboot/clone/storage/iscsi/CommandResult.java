package io.pureboot.clone.storage.iscsi;

/** How a command ended: its exit code and what it printed. */
public record CommandResult(int exitCode, String stdout, String stderr) {

    public boolean succeeded() {
        return exitCode == 0;
    }

    /** stderr, else stdout, trimmed to one line-ish message for errors. */
    public String diagnostic() {
        String text = stderr.isBlank() ? stdout : stderr;
        text = text.strip().replaceAll("\\s+", " ");
        return text.length() > 400 ? text.substring(0, 400) + "…" : text;
    }
}
