package org.phoneemu.tac.served;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.phoneemu.tftp.client.TftpClient;
import org.phoneemu.tftp.client.TftpOptions;
import org.phoneemu.tftp.client.TftpResult;

/**
 * Reads a live cluster's files over TFTP, read-only: the cluster-wide ITL/CTL and default config, and for each
 * device its ITLSEP/CTLSEP and config files; optionally the certificate of each node's HTTPS provisioning port (a TLS
 * handshake only). Nothing but read requests is ever sent.
 */
public final class TftpReader {
    /** Files every TFTP node is asked for. */
    public static final List<String> CLUSTER_FILES = List.of("ITLFile.tlv", "CTLFile.tlv", "XMLDefault.cnf.xml");

    /** The longest one file may take, from the request to its last block. */
    public static final Duration FILE_DEADLINE = Duration.ofSeconds(10);
    /** The longest a whole read (every server, every file) may take. */
    public static final Duration OVERALL_DEADLINE = Duration.ofMinutes(5);

    private final TftpOptions options;
    private final Duration overall;
    /** Time for the overall deadline (a test gives one that jumps, so no test waits five minutes). */
    private final java.time.InstantSource clock;

    public TftpReader(Duration timeout, int retries) {
        this(timeout, retries, FILE_DEADLINE, OVERALL_DEADLINE);
    }

    /**
     * @param fileDeadline the longest one file may take (a trickling server is cut here)
     * @param overall the longest the whole read may take, whatever each file does
     */
    public TftpReader(Duration timeout, int retries, Duration fileDeadline, Duration overall) {
        this(timeout, retries, fileDeadline, overall, java.time.InstantSource.system());
    }

    /** The HTTPS provisioning port asked for its certificate on each server's host; 0: not asked. */
    private int provisioningPort;

    /**
     * Also reads the certificate each server's host presents on {@code port} (6971 on a real cluster; 0: none): one
     * TLS handshake, no request sent.
     */
    public TftpReader withProvisioningPort(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("the HTTPS provisioning port must be 0-65535");
        }
        this.provisioningPort = port;
        return this;
    }

    TftpReader(Duration timeout, int retries, Duration fileDeadline, Duration overall, java.time.InstantSource clock) {
        this.clock = clock;
        this.options = TftpOptions.defaults().withTimeout(timeout).withRetries(retries).withMaxSize(TftpOptions.PHONE_CONFIG_MAX_SIZE)
                .withDeadline(fileDeadline);
        this.overall = overall;
    }

    /** The files a device is asked for, in the order a phone asks them. */
    public static List<String> deviceFiles(Device d) {
        return List.of("CTL" + d.name() + ".tlv", "ITL" + d.name() + ".tlv", d.name() + ".cnf.xml.sgn", d.name() + ".cnf.xml",
                d.name() + ".cnf.xml.enc.sgn");
    }

    /**
     * Reads every server; a server that answers nothing (not even "file not found") makes the cluster unreachable,
     * and one that is too slow (a file past its deadline, the read past the overall deadline) or stops answering
     * ends the read too: what it left unread is unknown, not "not served", so nothing is judged on a part.
     */
    public ServedCluster read(List<InetSocketAddress> servers, List<Device> devices) throws UnreachableClusterException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            TftpClient client = new TftpClient(group);
            List<NodeFiles> nodes = new ArrayList<>();
            java.time.Instant end = clock.instant().plus(overall);
            for (InetSocketAddress server : servers) {
                NodeFiles read = readServer(client, server, devices, end);
                if (provisioningPort > 0) {
                    InetSocketAddress https = new InetSocketAddress(server.getAddress() != null ? server.getAddress().getHostAddress()
                            : server.getHostString(), provisioningPort);
                    read = new NodeFiles(read.node(), read.address(), read.files(), new ProvisioningProbe(group).certificate(https).join());
                }
                nodes.add(read);
            }
            String label = "TFTP " + servers.stream().map(TftpReader::show).reduce((a, b) -> a + ", " + b).orElse("");
            return new ServedCluster(label, nodes, devices, Optional.empty());
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    private NodeFiles readServer(TftpClient client, InetSocketAddress server, List<Device> devices, java.time.Instant end)
            throws UnreachableClusterException {
        List<String> names = new ArrayList<>(CLUSTER_FILES);
        devices.forEach(d -> names.addAll(deviceFiles(d)));
        Map<String, byte[]> files = new LinkedHashMap<>();
        boolean answered = false;
        // One file at a time, as a phone reads them: a TFTP server is not a place for a burst of requests.
        for (String name : names) {
            Duration left = Duration.between(clock.instant(), end);
            if (left.isNegative() || left.isZero()) {
                throw tooSlowOverall(server, "stopped before " + name);
            }
            // The file's own deadline, or what is left of the whole read if that is shorter.
            boolean clipped = options.deadline().compareTo(left) > 0;
            TftpOptions o = clipped ? options.withDeadline(left) : options;
            CompletableFuture<TftpResult> f = client.read(server, name, o);
            TftpResult r = f.join();
            if (r instanceof TftpResult.DeadlineExceeded d && clipped) {
                throw tooSlowOverall(server, "stopped in " + name + ", " + d.received() + " bytes of it so far");
            }
            if (r instanceof TftpResult.DeadlineExceeded d) {
                throw new UnreachableClusterException("the TFTP server " + show(server) + " is too slow: " + name + " was not received within "
                        + d.deadline().toSeconds() + " s (" + d.received() + " bytes so far)");
            }
            if (r instanceof TftpResult.TimedOut) {
                throw new UnreachableClusterException(answered
                        ? "the TFTP server " + show(server) + " stopped answering (" + name + ")"
                        : "no answer from the TFTP server " + show(server) + " (" + name + ")");
            }
            answered = true;
            if (r instanceof TftpResult.Received rec) {
                files.put(name, rec.data());
            }
        }
        return new NodeFiles(show(server), server.getAddress() == null ? server.getHostString() : server.getAddress().getHostAddress(), files);
    }

    private UnreachableClusterException tooSlowOverall(InetSocketAddress server, String where) {
        return new UnreachableClusterException("the TFTP server " + show(server) + " is too slow: the files were not read within "
                + overall.toSeconds() + " s (" + where + ")");
    }

    static String show(InetSocketAddress a) {
        String host = a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
        return host + ":" + a.getPort();
    }
}
