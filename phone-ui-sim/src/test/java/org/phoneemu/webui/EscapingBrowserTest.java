package org.phoneemu.webui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.core.store.TrustStore;
import org.phoneemu.core.trustlist.Role;
import org.phoneemu.core.trustlist.TrustListBuilder;
import org.phoneemu.core.trustlist.TrustListKind;
import org.phoneemu.phone.NettyPhoneNetwork;
import org.phoneemu.phone.Phone;
import org.phoneemu.web.BootStats;
import org.phoneemu.web.FleetView;
import org.phoneemu.web.WebServer;

/** A cluster can put markup in a certificate's CN or a status message: the browser must show it as text. */
class EscapingBrowserTest {
    static final String SCRIPT_CN = "<script>alert(1)</script>";
    static final String IMG_STATUS = "<img src=x onerror=alert(2)>";

    @TempDir
    Path tmp;

    @Test
    void aScriptInACertificatesCnShowsAsTextAndNeverRuns() throws Exception {
        try (HeadlessChromium chromium = new HeadlessChromium()) {
            KeyMaterial signer = selfSigned(SCRIPT_CN);
            Path flash = Files.createDirectories(tmp.resolve("SEP0011223344BB"));
            Files.write(flash.resolve(TrustStore.ITL), new TrustListBuilder(TrustListKind.ITL)
                    .addCertificate(Role.CCM_TFTP, signer.certificate()).build(signer));

            MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
            try (NettyPhoneNetwork network = new NettyPhoneNetwork(group)) {
                Phone phone = Phone.builder().mac("0011223344BB").flash(flash).clock(Clock.systemUTC()).network(network).micBits(1024)
                        .tftpServer(new java.net.InetSocketAddress("127.0.0.1", 9)).build(); // never booted here
                assertThat(phone.securityDaemon().trust().itl()).as("the crafted ITL is installed").isPresent();
                phone.statusMessages().add(IMG_STATUS);
                FleetView fleet = FleetView.of("escaping", () -> List.of(phone), Optional::empty, new BootStats());
                try (WebServer web = WebServer.builder().fleet(fleet).group(group).start()) {
                    chromium.driver.get(web.url() + "phones/SEP0011223344BB/");
                    String subject = chromium.driver.findElement(By.cssSelector("#itl td.subject")).getText();
                    // The phone writes names as CUCM does (markup characters of a DN value escaped with '\'); the
                    // angle brackets reach the screen as characters.
                    assertThat(subject).startsWith("CN=\\<script\\>alert(1)\\</script\\>");
                    assertThat(chromium.driver.findElement(By.cssSelector("#itl .signer-name")).getText()).isEqualTo(subject);
                    assertThat(chromium.driver.findElement(By.id("status-messages")).getText()).contains(IMG_STATUS);
                    // The DOM holds no element made from the values: no script, no img anywhere in the page.
                    assertThat(chromium.driver.findElements(By.tagName("script"))).isEmpty();
                    assertThat(chromium.driver.findElements(By.tagName("img"))).isEmpty();
                    assertThatThrownBy(() -> chromium.driver.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);

                    // The dashboard shows the same signer only through the phone's page; its table escapes the status.
                    chromium.driver.get(web.url());
                    assertThat(chromium.driver.findElement(By.cssSelector("#phones td.status")).getText()).isEqualTo(IMG_STATUS);
                    assertThat(chromium.driver.findElements(By.cssSelector("#phones img"))).isEmpty();
                    assertThat((Long) chromium.driver.executeScript("return document.scripts.length;")).isEqualTo(1L); // dashboard.js only
                    assertThatThrownBy(() -> chromium.driver.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
                }
            } finally {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
            }
        }
    }

    /** A self-signed certificate whose CN is {@code cn} exactly (built RDN by RDN: no DN string parsing). */
    private static KeyMaterial selfSigned(String cn) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(1024);
        KeyPair kp = g.generateKeyPair();
        X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.OU, "tac").addRDN(BCStyle.CN, cn).build();
        Instant now = Instant.now();
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name,
                new BigInteger(64, new java.security.SecureRandom()).setBit(63), Date.from(now.minus(Duration.ofDays(1))),
                Date.from(now.plus(Duration.ofDays(365))), name, kp.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(kp.getPrivate())));
        return new KeyMaterial(kp.getPrivate(), cert);
    }
}
