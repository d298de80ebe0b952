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
 * device its ITLSEP/CTLSEP and config files. Nothing but read requests is ever sent.
 */
public final class TftpReader {
    /** Files every TFTP node is asked for. */
    public static final List<String> CLUSTER_FILES = List.of("ITLFile.tlv", "CTLFile.tlv", "XMLDefault.cnf.xml");

    private final TftpOptions options;

    public TftpReader(Duration timeout, int retries) {
        this.options = TftpOptions.defaults().withTimeout(timeout).withRetries(retries).withMaxSize(TftpOptions.PHONE_CONFIG_MAX_SIZE);
    }

    /** The files a device is asked for, in the order a phone asks them. */
    public static List<String> deviceFiles(Device d) {
        return List.of("CTL" + d.name() + ".tlv", "ITL" + d.name() + ".tlv", d.name() + ".cnf.xml.sgn", d.name() + ".cnf.xml",
                d.name() + ".cnf.xml.enc.sgn");
    }

    /**
     * Reads every server; a server that answers nothing (not even "file not found") makes the cluster unreachable.
     */
    public ServedCluster read(List<InetSocketAddress> servers, List<Device> devices) throws UnreachableClusterException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            TftpClient client = new TftpClient(group);
            List<NodeFiles> nodes = new ArrayList<>();
            for (InetSocketAddress server : servers) {
                nodes.add(readServer(client, server, devices));
            }
            String label = "TFTP " + servers.stream().map(TftpReader::show).reduce((a, b) -> a + ", " + b).orElse("");
            return new ServedCluster(label, nodes, devices, Optional.empty());
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    private NodeFiles readServer(TftpClient client, InetSocketAddress server, List<Device> devices) throws UnreachableClusterException {
        List<String> names = new ArrayList<>(CLUSTER_FILES);
        devices.forEach(d -> names.addAll(deviceFiles(d)));
        Map<String, byte[]> files = new LinkedHashMap<>();
        boolean answered = false;
        // One file at a time, as a phone reads them: a TFTP server is not a place for a burst of requests.
        for (String name : names) {
            CompletableFuture<TftpResult> f = client.read(server, name, options);
            TftpResult r = f.join();
            if (r instanceof TftpResult.TimedOut) {
                if (!answered) {
                    throw new UnreachableClusterException("no answer from the TFTP server " + show(server) + " (" + name + ")");
                }
                continue;
            }
            answered = true;
            if (r instanceof TftpResult.Received rec) {
                files.put(name, rec.data());
            }
        }
        return new NodeFiles(show(server), server.getAddress() == null ? server.getHostString() : server.getAddress().getHostAddress(), files);
    }

    static String show(InetSocketAddress a) {
        String host = a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
        return host + ":" + a.getPort();
    }
}
