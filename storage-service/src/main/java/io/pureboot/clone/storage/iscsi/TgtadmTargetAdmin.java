package io.pureboot.clone.storage.iscsi;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@link IscsiTargetAdmin} for tgt: {@code tgtadm} on the tgtd's control port, and coreutils /
 * e2fsprogs for the backing files, run through a {@link CommandRunner} (locally or over SSH).
 * Backing files are only ever created or removed inside the backing-store directory.
 */
public final class TgtadmTargetAdmin implements IscsiTargetAdmin {

    private static final Pattern TARGET_LINE = Pattern.compile("^Target (\\d+): (\\S+)$");
    private static final Pattern LUN_LINE = Pattern.compile("^\\s+LUN: (\\d+)$");
    private static final Pattern TYPE_LINE = Pattern.compile("^\\s+Type: (.+)$");
    private static final Pattern BACKING_LINE = Pattern.compile("^\\s+Backing store path: (.+)$");
    private static final Pattern READONLY_LINE = Pattern.compile("^\\s+Readonly: (Yes|No)$");
    private static final int CREATE_ATTEMPTS = 5;

    private final CommandRunner runner;
    private final int controlPort;
    private final Path backingStoreDir;
    private final Duration timeout;

    public TgtadmTargetAdmin(CommandRunner runner, int controlPort, String backingStoreDir, Duration timeout) {
        this.runner = requireNonNull(runner, "runner is null");
        this.controlPort = controlPort;
        this.backingStoreDir = Path.of(requireNonNull(backingStoreDir, "backingStoreDir is null")).normalize();
        this.timeout = requireNonNull(timeout, "timeout is null");
        if (!this.backingStoreDir.isAbsolute()) {
            throw new IllegalArgumentException("backing-store directory must be absolute: " + backingStoreDir);
        }
    }

    @Override
    public void check() throws IscsiException {
        CommandResult result = tgtadm("show the system", "--mode", "system", "--op", "show");
        if (!result.stdout().contains("State: ready")) {
            throw new IscsiException(IscsiFailure.MANAGEMENT_FAILED, "tgtd on " + where() + " is not ready");
        }
    }

    @Override
    public List<TargetInfo> targets() throws IscsiException {
        return parseTargets(tgtadm("list targets", "--mode", "target", "--op", "show").stdout());
    }

    @Override
    public int createTarget(String iqn, int lun, String backingFile, String username, String password)
            throws IscsiException {
        TargetInfo target = target(iqn).orElse(null);
        int tid = target == null ? newTarget(iqn) : target.tid();
        if (target == null || target.lun(lun).isEmpty()) {
            tgtadm("add LUN " + lun + " to target " + iqn, "--mode", "logicalunit", "--op", "new", "--tid",
                    Integer.toString(tid), "--lun", Integer.toString(lun), "--backing-store", backingFile,
                    "--bstype", "rdwr");
        }
        // A retried provisioning brings a new password: replace the account rather than keep a stale one.
        deleteAccount(username);
        tgtadm("create the CHAP account of target " + iqn, "--mode", "account", "--op", "new", "--user", username,
                "--password", password);
        tgtadm("bind the CHAP account to target " + iqn, "--mode", "account", "--op", "bind", "--tid",
                Integer.toString(tid), "--user", username);
        CommandResult acl = run("--mode", "target", "--op", "bind", "--tid", Integer.toString(tid),
                "--initiator-address", "ALL");
        if (!acl.succeeded() && !acl.diagnostic().contains("already exists")) {
            throw failed("allow initiators on target " + iqn, acl);
        }
        return tid;
    }

    @Override
    public void setReadOnly(int tid, int lun) throws IscsiException {
        tgtadm("make LUN " + lun + " of target " + tid + " read-only", "--mode", "logicalunit", "--op", "update",
                "--tid", Integer.toString(tid), "--lun", Integer.toString(lun), "--params", "readonly=1");
    }

    @Override
    public void deleteTarget(String iqn, String username) throws IscsiException {
        TargetInfo target = target(iqn).orElse(null);
        if (target != null) {
            CommandResult result = run("--mode", "target", "--op", "delete", "--force", "--tid",
                    Integer.toString(target.tid()));
            if (!result.succeeded() && !result.diagnostic().contains("can't find the target")) {
                throw failed("delete target " + iqn, result);
            }
        }
        if (username != null) {
            deleteAccount(username);
        }
    }

    @Override
    public void createBackingFile(String path, long sizeBytes) throws IscsiException {
        String file = insideBackingStore(path);
        command("create backing file " + file, "truncate", "-s", Long.toString(sizeBytes), file);
        CommandResult mkfs = runner.run(List.of("mkfs.ext4", "-q", "-F", "-m", "0", "-L", "pureboot-stage",
                "-E", "lazy_itable_init=1,lazy_journal_init=1,nodiscard", file), timeout);
        if (!mkfs.succeeded()) {
            deleteBackingFile(file);
            throw failed("make an ext4 file system on " + file, mkfs);
        }
    }

    @Override
    public void deleteBackingFile(String path) throws IscsiException {
        String file = insideBackingStore(path);
        command("remove backing file " + file, "rm", "-f", "--", file);
    }

    @Override
    public boolean backingFileExists(String path) throws IscsiException {
        return runner.run(List.of("test", "-f", insideBackingStore(path)), timeout).succeeded();
    }

    @Override
    public Space backingStoreSpace() throws IscsiException {
        CommandResult df = runner.run(List.of("df", "-P", "-B1", "--", backingStoreDir.toString()), timeout);
        if (!df.succeeded()) {
            throw new IscsiException(IscsiFailure.MANAGEMENT_FAILED, "backing-store directory " + backingStoreDir
                    + " cannot be measured on " + where() + ": " + df.diagnostic());
        }
        List<String> lines = df.stdout().lines().toList();
        String[] columns = lines.size() < 2 ? new String[0] : lines.get(1).trim().split("\\s+");
        if (columns.length < 4) {
            throw new IscsiException(IscsiFailure.PROTOCOL, "df on " + where() + " printed something unexpected: "
                    + df.diagnostic());
        }
        return new Space(Long.parseLong(columns[1]), Long.parseLong(columns[3]));
    }

    @Override
    public String where() {
        return "tgtd (control port " + controlPort + ", " + runner.where() + ")";
    }

    /** Parses {@code tgtadm --mode target --op show}. */
    static List<TargetInfo> parseTargets(String output) {
        List<TargetInfo> targets = new ArrayList<>();
        ShownTarget current = null;
        for (String line : output.lines().toList()) {
            Matcher target = TARGET_LINE.matcher(line);
            if (target.matches()) {
                if (current != null) {
                    targets.add(current.finish());
                }
                current = new ShownTarget(Integer.parseInt(target.group(1)), target.group(2));
            } else if (current != null) {
                current.accept(line);
            }
        }
        if (current != null) {
            targets.add(current.finish());
        }
        return targets;
    }

    /** One target being read from the show output; LUN details follow their "LUN: n" line. */
    private static final class ShownTarget {

        private final int tid;
        private final String iqn;
        private final List<LunInfo> luns = new ArrayList<>();
        private final List<String> accounts = new ArrayList<>();
        private String section = "";
        private int lun = -1;
        private String type;
        private String backing;
        private boolean readOnly;

        ShownTarget(int tid, String iqn) {
            this.tid = tid;
            this.iqn = iqn;
        }

        void accept(String line) {
            String trimmed = line.strip();
            if (line.startsWith("    ") && !line.startsWith("     ") && trimmed.endsWith(":")) {
                flushLun();
                section = trimmed;
                return;
            }
            Matcher lunLine = LUN_LINE.matcher(line);
            Matcher typeLine = TYPE_LINE.matcher(line);
            Matcher backingLine = BACKING_LINE.matcher(line);
            Matcher readonlyLine = READONLY_LINE.matcher(line);
            if (lunLine.matches()) {
                flushLun();
                lun = Integer.parseInt(lunLine.group(1));
            } else if (typeLine.matches()) {
                type = typeLine.group(1);
            } else if (backingLine.matches()) {
                backing = backingLine.group(1);
            } else if (readonlyLine.matches()) {
                readOnly = "Yes".equals(readonlyLine.group(1));
            } else if ("Account information:".equals(section) && !trimmed.isEmpty()) {
                accounts.add(trimmed.replace(" (outgoing)", ""));
            }
        }

        TargetInfo finish() {
            flushLun();
            return new TargetInfo(tid, iqn, luns, accounts);
        }

        private void flushLun() {
            if (lun >= 0) {
                luns.add(new LunInfo(lun, type, "None".equals(backing) ? null : backing, readOnly));
            }
            lun = -1;
            type = null;
            backing = null;
            readOnly = false;
        }
    }

    private int newTarget(String iqn) throws IscsiException {
        CommandResult last = null;
        for (int attempt = 0; attempt < CREATE_ATTEMPTS; attempt++) {
            int tid = targets().stream().mapToInt(TargetInfo::tid).max().orElse(0) + 1 + attempt;
            last = run("--mode", "target", "--op", "new", "--tid", Integer.toString(tid), "--targetname", iqn);
            if (last.succeeded()) {
                return tid;
            }
            if (!last.diagnostic().contains("already exists")) {
                break;
            }
            TargetInfo raced = target(iqn).orElse(null);
            if (raced != null) {
                return raced.tid();
            }
        }
        throw failed("create target " + iqn, last);
    }

    private void deleteAccount(String username) throws IscsiException {
        CommandResult result = run("--mode", "account", "--op", "delete", "--user", username);
        if (!result.succeeded() && !result.diagnostic().contains("can't find the account")) {
            throw failed("delete CHAP account " + username, result);
        }
    }

    private CommandResult tgtadm(String what, String... arguments) throws IscsiException {
        CommandResult result = run(arguments);
        if (!result.succeeded()) {
            throw failed(what, result);
        }
        return result;
    }

    private CommandResult run(String... arguments) throws IscsiException {
        List<String> command = new ArrayList<>(List.of("tgtadm", "-C", Integer.toString(controlPort), "--lld", "iscsi"));
        command.addAll(List.of(arguments));
        return runner.run(command, timeout);
    }

    private void command(String what, String... command) throws IscsiException {
        CommandResult result = runner.run(List.of(command), timeout);
        if (!result.succeeded()) {
            throw failed(what, result);
        }
    }

    private IscsiException failed(String what, CommandResult result) {
        return new IscsiException(IscsiFailure.MANAGEMENT_FAILED, "cannot " + what + " on " + where() + ": "
                + (result == null ? "no attempt made" : result.diagnostic()));
    }

    private String insideBackingStore(String path) {
        Path file = Path.of(path).normalize();
        if (!file.isAbsolute() || !file.startsWith(backingStoreDir) || file.equals(backingStoreDir)) {
            throw new IllegalArgumentException("backing file " + path + " is not inside " + backingStoreDir);
        }
        return file.toString();
    }
}
