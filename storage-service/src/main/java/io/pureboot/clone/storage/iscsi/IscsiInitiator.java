package io.pureboot.clone.storage.iscsi;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Looks at iSCSI targets the way an initiator does, with libiscsi's command-line tools
 * ({@code iscsi-ls}, {@code iscsi-inq}, {@code iscsi-readcapacity16} from libiscsi-bin).
 *
 * <p>Why shell out: there is no maintained pure-Java iSCSI initiator, and a login with CHAP, an
 * INQUIRY and a READ CAPACITY(16) are exactly what these tools do, from user space, without
 * root or the kernel's initiator. CHAP credentials go to the tools through libiscsi's
 * {@code LIBISCSI_CHAP_USERNAME} / {@code LIBISCSI_CHAP_PASSWORD} environment variables, never on
 * the command line where {@code ps} would show them.
 */
public final class IscsiInitiator {

    private static final Pattern TARGET_LINE = Pattern.compile("^Target:(\\S+) Portal:(\\S+)$");
    private static final Pattern DEVICE_TYPE = Pattern.compile("^Peripheral Device Type:(\\S+)", Pattern.MULTILINE);
    private static final Pattern TOTAL_SIZE = Pattern.compile("^Total size:(\\d+)", Pattern.MULTILINE);

    private final CommandRunner runner;
    private final String initiatorName;
    private final Duration timeout;

    public IscsiInitiator(CommandRunner runner, String initiatorName, Duration timeout) {
        this.runner = requireNonNull(runner, "runner is null");
        this.initiatorName = requireNonNull(initiatorName, "initiatorName is null");
        this.timeout = requireNonNull(timeout, "timeout is null");
    }

    /** One logical unit as an initiator sees it; {@code sizeBytes} only for block devices. */
    public record Lun(int lun, String type, Long sizeBytes) {
    }

    /** Opens and closes a TCP connection to the portal, telling unreachable from refused. */
    public void reach(Portal portal) throws IscsiException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(portal.host(), portal.port()), (int) timeout.toMillis());
        } catch (UnknownHostException e) {
            throw new IscsiException(IscsiFailure.UNREACHABLE, "portal host " + portal.host() + " does not resolve", e);
        } catch (ConnectException e) {
            throw new IscsiException(IscsiFailure.REFUSED, "portal " + portal + " refused the connection", e);
        } catch (SocketTimeoutException e) {
            throw new IscsiException(IscsiFailure.UNREACHABLE, "portal " + portal + " did not answer in "
                    + timeout.toSeconds() + " s", e);
        } catch (NoRouteToHostException e) {
            throw new IscsiException(IscsiFailure.UNREACHABLE, "portal " + portal + " is unreachable (no route to host)", e);
        } catch (IOException e) {
            throw new IscsiException(IscsiFailure.UNREACHABLE, "portal " + portal + " cannot be reached: " + e.getMessage(), e);
        }
    }

    /** The targets the portal offers (SendTargets discovery). */
    public List<String> discover(Portal portal, ChapCredentials credentials) throws IscsiException {
        CommandResult result = libiscsi(credentials, "iscsi-ls", "-i", initiatorName, "iscsi://" + portal + "/");
        List<String> targets = new ArrayList<>();
        for (String line : result.stdout().lines().toList()) {
            Matcher matcher = TARGET_LINE.matcher(line.strip());
            if (matcher.matches() && !targets.contains(matcher.group(1))) {
                targets.add(matcher.group(1));
            }
        }
        if (!result.succeeded() && targets.isEmpty() && !result.diagnostic().isEmpty()
                && !result.diagnostic().contains("Can not reconnect right now")) {
            throw classify("discovery on portal " + portal, result);
        }
        return targets;
    }

    /**
     * Logs into {@code iqn} with the credentials and lists LUNs 0 to {@code maxLun} with their type and,
     * for block devices, capacity. Fails with AUTH_FAILED or TARGET_MISSING when the login does.
     */
    public List<Lun> luns(Portal portal, String iqn, ChapCredentials credentials, int maxLun) throws IscsiException {
        List<Lun> luns = new ArrayList<>();
        for (int lun = 0; lun <= maxLun; lun++) {
            CommandResult inquiry = libiscsi(credentials, "iscsi-inq", "-i", initiatorName, url(portal, iqn, lun));
            if (!inquiry.succeeded()) {
                if (inquiry.diagnostic().contains("LOGICAL_UNIT_NOT_SUPPORTED")) {
                    continue;
                }
                throw classify("login to " + iqn + " on " + portal, inquiry);
            }
            Matcher type = DEVICE_TYPE.matcher(inquiry.stdout());
            String deviceType = type.find() ? type.group(1) : "UNKNOWN";
            Long size = "DIRECT_ACCESS".equals(deviceType) ? capacity(portal, iqn, lun, credentials) : null;
            luns.add(new Lun(lun, deviceType, size));
        }
        return luns;
    }

    /** READ CAPACITY(16) of one LUN, in bytes. */
    public long capacity(Portal portal, String iqn, int lun, ChapCredentials credentials) throws IscsiException {
        CommandResult result = libiscsi(credentials, "iscsi-readcapacity16", "-i", initiatorName, url(portal, iqn, lun));
        Matcher size = TOTAL_SIZE.matcher(result.stdout());
        if (!result.succeeded() || !size.find()) {
            throw classify("READ CAPACITY of LUN " + lun + " of " + iqn + " on " + portal, result);
        }
        return Long.parseLong(size.group(1));
    }

    private CommandResult libiscsi(ChapCredentials credentials, String... command) throws IscsiException {
        Map<String, String> environment = new HashMap<>();
        if (credentials != null) {
            environment.put("LIBISCSI_CHAP_USERNAME", credentials.username());
            environment.put("LIBISCSI_CHAP_PASSWORD", credentials.password());
        }
        return runner.run(List.of(command), environment, timeout);
    }

    private static String url(Portal portal, String iqn, int lun) {
        return "iscsi://" + portal + "/" + iqn + "/" + lun;
    }

    private static IscsiException classify(String what, CommandResult result) {
        String output = result.diagnostic();
        if (output.contains("Authentication failure") || output.contains("Authorization failure")) {
            return new IscsiException(IscsiFailure.AUTH_FAILED, what + ": the target refused the CHAP credentials");
        }
        if (output.contains("Target not found") || output.contains("Target removed")) {
            return new IscsiException(IscsiFailure.TARGET_MISSING, what + ": the portal does not offer this target");
        }
        if (output.contains("Connection refused")) {
            return new IscsiException(IscsiFailure.REFUSED, what + ": connection refused");
        }
        if (output.contains("LOGICAL_UNIT_NOT_SUPPORTED")) {
            return new IscsiException(IscsiFailure.TARGET_MISSING, what + ": no such LUN");
        }
        return new IscsiException(IscsiFailure.PROTOCOL, what + " failed: " + output);
    }
}
