package org.phoneemu.fleet;

import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.phone.NettyPhoneNetwork;
import org.phoneemu.phone.Provisioning;

/**
 * What a fleet's phones boot against: a real cluster's TFTP servers ({@link #tftp}), or a cluster the caller starts in
 * the same process (the CLI's {@code --sim}; this module has no cluster of its own). Started by a {@link FleetSession}
 * on its event loops, closed when the session shuts down.
 */
public interface FleetTarget extends AutoCloseable {
    /** Starts the target on the session's event loops; lines for the console go to {@code say}. */
    interface Starter {
        FleetTarget start(EventLoopGroup group, EventLoopGroup tftpGroup, Consumer<String> say) throws Exception;
    }

    /** How the report and the console name it: {@code --tftp 10.0.0.1}, {@code --sim lab.yaml}. */
    String against();

    /** The phones' TFTP servers in option-150 order. */
    List<InetSocketAddress> tftpServers();

    /** LSCs the target issued, by MAC (a simulated cluster's CAPF). */
    default Map<String, KeyMaterial> lscs() {
        return Map.of();
    }

    /** A phone's provisioning as asked, put on the ports the target really serves. */
    default Provisioning provisioning(Provisioning wanted) {
        return wanted;
    }

    /** Prepares the phones' network (names a simulated cluster's nodes have no DNS entry for). */
    default void prepare(NettyPhoneNetwork network) {
    }

    /** Whether the target's servers run in this process (a simulated cluster): a connection to them costs two descriptors. */
    default boolean inProcess() {
        return false;
    }

    /** Runs an administrator's command ({@code --admin-before}); its output lines. */
    default List<String> admin(String command) {
        throw new UnsupportedOperationException("no administration of " + against());
    }

    /**
     * The TFTP servers of one of the target's clusters, by the name its user gives it ({@code B}): where a migration
     * points the phones ({@link FleetSession.Settings#moveBefore}).
     *
     * @throws IllegalArgumentException the target has no cluster of that name
     */
    default List<InetSocketAddress> tftpServersOf(String cluster) {
        throw new IllegalArgumentException(against() + " has no cluster " + cluster + " to move the phones to");
    }

    /** The MD5 of the ITL the target serves now, when it knows (the dashboard compares the phones' with it). */
    default Optional<String> servedItlMd5() {
        return Optional.empty();
    }

    @Override
    default void close() {
    }

    /**
     * A real cluster's TFTP servers: started once one of them answers a probe, so a fleet against a dead address
     * ends in a couple of seconds with one line instead of thousands of phones timing out.
     */
    static Starter tftp(List<InetSocketAddress> servers, String against) {
        List<InetSocketAddress> list = List.copyOf(servers);
        return (group, tftpGroup, say) -> {
            Optional<InetSocketAddress> answering;
            try {
                // 1 s a try: at 500 ms a busy machine's late answers made a lossy but live server look dead.
                answering = TftpProbe.firstAnswering(group, list, Duration.ofSeconds(1), 5).get(30, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                answering = Optional.empty(); // the probe has a deadline of its own; this only bounds a stuck event loop
            }
            if (answering.isEmpty()) {
                List<String> shown = new ArrayList<>();
                list.forEach(a -> shown.add(show(a)));
                throw new FleetSetupException("no TFTP server answered: " + shown);
            }
            return new FleetTarget() {
                @Override
                public String against() {
                    return against;
                }

                @Override
                public List<InetSocketAddress> tftpServers() {
                    return list;
                }
            };
        };
    }

    /** An address as users type it ({@code 127.0.0.2:69}). */
    private static String show(InetSocketAddress a) {
        if (a == null || a.getPort() == 0) {
            return "-";
        }
        String host = a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
        return host + ":" + a.getPort();
    }
}
