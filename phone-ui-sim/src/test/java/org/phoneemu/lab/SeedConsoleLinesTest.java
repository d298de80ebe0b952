package org.phoneemu.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.core.clock.VirtualClock;
import org.phoneemu.core.console.ConsoleLine;
import org.phoneemu.core.testing.Vectors;
import org.phoneemu.cucm.Cluster;
import org.phoneemu.phone.Button;
import org.phoneemu.phone.NettyPhoneNetwork;
import org.phoneemu.phone.Phone;
import org.phoneemu.phone.PressResult;

/**
 * The Directories press of the seed documents (a tomcat certificate not in the ITL, vouched for by TVS), line by
 * line in the phone's console: the same lines in the same order, with the phone's own addresses and numbers.
 */
class SeedConsoleLinesTest {
    @Test
    void aDirectoriesPressPrintsTheSeedsLinesInOrder(@TempDir Path tmp) throws Exception {
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        VirtualClock clock = new VirtualClock(Instant.parse("2026-01-01T09:00:00Z"));
        try (NettyPhoneNetwork network = new NettyPhoneNetwork(group)) {
            Cluster cluster = Cluster.builder().config(Vectors.root().getParent().resolve("config/scenarios/clusters/one-node.yaml"))
                    .stateDirectory(tmp.resolve("cluster")).clock(clock).freshState(true).mirrorFiles(false).build();
            try (Lab lab = Lab.start(cluster, List.of("001122334455"), tmp.resolve("phones"), clock, network, 1024)) {
                Phone phone = lab.phone("001122334455").orElseThrow();
                assertThat(phone.boot().get(60, TimeUnit.SECONDS).trusted()).isTrue();
                String url = phone.config().orElseThrow().directoryUrl().orElseThrow();
                String ip = cluster.publisher().httpsAddress().getAddress().getHostAddress();
                int port = cluster.publisher().httpsAddress().getPort();

                long before = last(phone);
                assertThat(phone.press(Button.DIRECTORIES).get(60, TimeUnit.SECONDS)).isInstanceOf(PressResult.Shown.class);
                List<String> press = texts(phone, before);
                assertThat(press).containsSubsequence(
                        "JVM: Startup Module Loader|cip.dir.TandunDirectories:? - Directory url " + url,
                        "SECD: clpSetupSsl: Trying to connect to IPV4, IP: " + ip + ", Port : " + port,
                        "SECD: clpSetupSsl: TCP connect() waiting, <" + ip + "> c:8 s:9 port: " + port,
                        "SECD: clpSetupSsl: TCP connected, <" + ip + "> c:8 s:9",
                        "SECD: clpSetupSsl: start SSL/TLS handshake, <" + ip + "> c:8 s:9",
                        "SECD: srvr_cert_vfy: Server Certificate Validation needs to be done",
                        "SECD: findByCertAndRoleInTL: Searching TL from CTL file",
                        "SECD: findByCertAndRoleInTL: Searching TL from ITL file",
                        "SECD: EROR:https_cert_vfy: HTTPS cert not in CTL, <" + ip + ">",
                        "SECD: processTvsClntReq: TVS Certificate Authentication request",
                        "SECD: lookupAuthCertTvsCacheEntry: No matching entry found at cache",
                        "SECD: processTvsClntReq: No server sock exists, must be created",
                        "SECD: secReq_initClient: clnt sock fd 10 bound to </tmp/secClnt_secd>",
                        "SECD: getTvsServerInfo: Phone in IPv4 only mode",
                        "SECD: getTvsServerInfo: Retrieving IPv4 address",
                        "SECD: srvr_cert_vfy: Server Certificate Validation needs to be done",
                        "SECD: tvs_cert_vfy: TVS cert verified with hash from TL, <" + ip + ">",
                        "SECD: processTvsSrvrResponse: Authentication Response received, status : 0",
                        "SECD: saveCertToTvsCache: Saving certificate in TVS cache with default time-to-live value: 86400 seconds",
                        "SECD: Authenticated the HTTPS conn via TVS",
                        "JVM: Startup Module Loader|cip.http.ae:? - listener.httpSucceed: https://" + ip + ":" + port
                                + "/ccmcip/xmldirectoryinput.jsp?name=SEP001122334455");
                // The menu's connection and the TVS connection, as in the seed, then the search page's connection (a TVS
                // cache hit); not twice per check.
                assertThat(press.stream().filter(t -> t.contains("srvr_cert_vfy: Server Certificate Validation")).count()).isEqualTo(3);
                assertThat(lines(phone, before).stream().filter(l -> l.text().contains("listener.httpSucceed")))
                        .allSatisfy(l -> assertThat(l.format(java.time.ZoneOffset.UTC)).contains(": ERR "));

                // The second press is a cache hit: one TLS connection per page, one validation line each; the numbers
                // were given back. The phone shows the Corporate Directory's search page the menu led to.
                long second = last(phone);
                PressResult again = phone.press(Button.DIRECTORIES).get(60, TimeUnit.SECONDS);
                assertThat(again).isInstanceOfSatisfying(PressResult.Shown.class, s -> assertThat(s.body())
                        .contains("<CiscoIPPhoneInput>", "/ccmcip/xmldirectorylist.jsp"));
                List<String> cached = texts(phone, second);
                assertThat(cached.stream().filter(t -> t.contains("srvr_cert_vfy: Server Certificate Validation")).count()).isEqualTo(2);
                assertThat(cached).contains("SECD: clpSetupSsl: TCP connected, <" + ip + "> c:8 s:9",
                        "SECD: Authenticated the HTTPS conn via TVS cache");
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    private static long last(Phone phone) {
        List<ConsoleLine> all = phone.consoleLog().lines();
        return all.isEmpty() ? 0 : all.get(all.size() - 1).sequence();
    }

    private static List<ConsoleLine> lines(Phone phone, long after) {
        return phone.consoleLog().lines().stream().filter(l -> l.sequence() > after).toList();
    }

    private static List<String> texts(Phone phone, long after) {
        return lines(phone, after).stream().map(ConsoleLine::text).toList();
    }
}
