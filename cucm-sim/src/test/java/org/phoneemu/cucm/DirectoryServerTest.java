package org.phoneemu.cucm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.core.config.PhoneConfig;
import org.phoneemu.core.config.PhoneConfigParser;
import org.phoneemu.cucm.pki.CertificateUnit;

/** The HTTPS directory service with the tomcat certificate, at the URL the phone's configuration names. */
class DirectoryServerTest {
    @TempDir
    static Path dir;
    static Cluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = TestClusters.build(TestClusters.twoNodes(), dir.resolve("state"), TestClusters.clock());
        cluster.start().get();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void servesTheDirectoryNamedInTheConfigWithTheTomcatCertificate() throws Exception {
        PhoneConfig config = PhoneConfigParser.parse(cluster.file("pub", "SEP001122334455.cnf.xml").orElseThrow());
        Node pub = cluster.node("pub");
        String url = config.directoryUrl().orElseThrow();
        assertThat(url).isEqualTo("https://127.0.0.1:" + pub.httpsPort() + "/ccmcip/xmldirectory.jsp");

        try (SSLSocket socket = tls(pub)) {
            X509Certificate presented = (X509Certificate) socket.getSession().getPeerCertificates()[0];
            assertThat(presented).isEqualTo(pub.certificate(CertificateUnit.TOMCAT));
        }
        // As a CUCM's: the menu leads to the Corporate Directory's search page, which posts to the list.
        assertThat(get(pub, "/ccmcip/xmldirectory.jsp")).startsWith("HTTP/1.1 200 OK").contains("<CiscoIPPhoneMenu>",
                "<Name>Corporate Directory</Name>", "<URL>https://127.0.0.1/ccmcip/xmldirectoryinput.jsp</URL>");
        assertThat(get(pub, "/ccmcip/xmldirectoryinput.jsp?name=SEP001122334455")).startsWith("HTTP/1.1 200 OK").contains(
                "<CiscoIPPhoneInput>", "<URL>https://127.0.0.1/ccmcip/xmldirectorylist.jsp</URL>",
                "<QueryStringParam>l</QueryStringParam>", "<QueryStringParam>n</QueryStringParam>");
        assertThat(get(pub, "/ccmcip/xmldirectorylist.jsp?f=&l=&n=")).startsWith("HTTP/1.1 200 OK").contains("<CiscoIPPhoneDirectory>",
                "<Name>Help Desk</Name>", "<Telephone>1000</Telephone>");
        assertThat(get(pub, "/ccmcip/xmldirectorylist.jsp?l=desk&n=1")).contains("<Name>Help Desk</Name>");
        assertThat(get(pub, "/ccmcip/xmldirectorylist.jsp?n=9")).contains("<CiscoIPPhoneDirectory>").doesNotContain("Help Desk");
        try (SSLSocket socket = tls(pub)) {
            socket.getOutputStream().write("GET /nothing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).startsWith("HTTP/1.1 404");
        }
    }

    private static String get(Node node, String target) throws Exception {
        try (SSLSocket socket = tls(node)) {
            socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            socket.getInputStream().transferTo(out);
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    private static SSLSocket tls(Node node) throws Exception {
        return TestTls.connect(node.httpsAddress());
    }
}
