package org.phoneemu.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.core.testing.Vectors;

class HostileXmlTest {
    static byte[] xml(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void billionLaughsIsRefused() {
        StringBuilder sb = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE device [<!ENTITY lol \"lol\">");
        for (int i = 1; i <= 9; i++) {
            sb.append("<!ENTITY lol").append(i).append(" \"");
            for (int j = 0; j < 10; j++) {
                sb.append("&lol").append(i == 1 ? "" : Integer.toString(i - 1)).append(';');
            }
            sb.append("\">");
        }
        sb.append("]><device><loadInformation>&lol9;</loadInformation></device>");
        assertThatThrownBy(() -> PhoneConfigParser.parse(xml(sb.toString())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("DOCTYPE");
    }

    @Test
    void externalEntityIsRefused(@TempDir Path tmp) throws Exception {
        Path secret = Files.writeString(tmp.resolve("secret.txt"), "TOPSECRET");
        String doc = "<?xml version=\"1.0\"?><!DOCTYPE device [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]>"
                + "<device><loadInformation>&x;</loadInformation></device>";
        assertThatThrownBy(() -> PhoneConfigParser.parse(xml(doc))).isInstanceOf(ConfigException.class)
                .hasMessageNotContaining("TOPSECRET");
    }

    @Test
    void deepNestingIsRefusedAsMalformedBeforeAnyDomIsBuilt() {
        // About 8,000 levels in some 50 KB: a recursive reader of the tree would overflow its stack.
        String deep = "<a>".repeat(8000) + "</a>".repeat(8000);
        assertThatThrownBy(() -> PhoneConfigParser.parse(xml("<device><fullConfig>true</fullConfig>" + deep + "</device>")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("nested deeper than " + PhoneConfigParser.MAX_DEPTH);
        // A real config is about 8 levels deep and parses.
        String fine = "<a>".repeat(PhoneConfigParser.MAX_DEPTH - 1) + "</a>".repeat(PhoneConfigParser.MAX_DEPTH - 1);
        assertThat(catchThrowableOfParse(xml("<device>" + fine + "</device>"))).isNull();
    }

    private static Throwable catchThrowableOfParse(byte[] x) {
        return org.assertj.core.api.Assertions.catchThrowable(() -> PhoneConfigParser.parse(x));
    }

    @Test
    void unusableUrlsAndPortsAreLeftOutAndNamed() throws Exception {
        PhoneConfig c = PhoneConfigParser.parse(xml("<device><fullConfig>true</fullConfig>"
                + "<directoryURL>https://[bad uri/</directoryURL>"
                + "<servicesURL>https://a b/</servicesURL>"
                + "<idleURL>https://cucm.example:99999/idle</idleURL>"
                + "<informationURL>ftp://cucm.example/help</informationURL>"
                + "<messagesURL>http://cucm.example:8080/msg</messagesURL>"
                + "<TVS><members>"
                + "<member priority=\"0\"><port>99999</port><address>tvs1.example</address></member>"
                + "<member priority=\"1\"><port>2445</port><address>tvs2.example</address></member>"
                + "</members></TVS></device>"));
        assertThat(c.urls()).containsOnlyKeys("messagesURL");
        assertThat(c.tvsServers()).containsExactly(new TvsServerEntry(1, "tvs2.example", 2445));
        assertThat(c.refusedFields()).containsExactly(
                "directoryURL: 'https://[bad uri/' is not a valid URL",
                "servicesURL: 'https://a b/' is not a valid URL",
                "idleURL: 'https://cucm.example:99999/idle' has port 99999, not 1-65535",
                "informationURL: 'ftp://cucm.example/help' is not an http or https URL",
                "TVS member tvs1.example: port 99999 is not 1-65535");
    }

    @Test
    void oversizedIsRefused() {
        byte[] big = new byte[PhoneConfigParser.MAX_SIZE + 1];
        assertThatThrownBy(() -> PhoneConfigParser.parse(big)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("550001");
    }

    @Test
    void notADeviceIsRefused() {
        assertThatThrownBy(() -> PhoneConfigParser.parse(xml("<phone><fullConfig>true</fullConfig></phone>")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("not <device>");
        assertThatThrownBy(() -> PhoneConfigParser.parse(xml("<device><unclosed></device>")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("not well-formed");
        assertThatThrownBy(() -> PhoneConfigParser.parse(new byte[0])).isInstanceOf(ConfigException.class);
    }

    @Test
    void theInteropConfigParsesIntoTypedFields() throws Exception {
        PhoneConfig c = PhoneConfigParser.parse(Files.readAllBytes(Vectors.interop("sgn/SEP001122334455.cnf.xml")));
        assertThat(c.fullConfig()).isTrue();
        assertThat(c.tvsServers()).containsExactly(new TvsServerEntry(0, "test10pub.lab.example", 2445),
                new TvsServerEntry(1, "test10sub.lab.example", 2445));
        assertThat(c.callManagers()).extracting(CallManagerEntry::processNodeName)
                .containsExactly("test10pub.lab.example", "test10sub.lab.example");
        assertThat(c.vendorConfig().settingsAccessAllowed()).isTrue();
        assertThat(c.vendorConfig().webPageEnabled()).isTrue();
        assertThat(c.vendorConfig().sshEnabled()).isFalse();
        assertThat(c.vendorConfig().spanToPcPort()).isFalse();
        assertThat(c.directoryUrl()).contains("https://test10pub.lab.example:8443/ccmcip/xmldirectory.jsp");
        assertThat(c.deviceSecurityMode()).contains(1);
        assertThat(c.encrConfig()).isFalse();
        assertThat(c.certHash()).isEmpty();
        assertThat(c.loadInformation()).contains("SIP70.9-4-2SR3-1S");

        String stub = new String(Files.readAllBytes(Vectors.interop("enc/SEP001122334455.cnf.xml.sgn")), StandardCharsets.ISO_8859_1);
        PhoneConfig s = PhoneConfigParser.parse(xml(stub.substring(stub.indexOf("<?xml"))));
        assertThat(s.isEncryptedStub()).isTrue();
        assertThat(s.certHash()).contains("b87011c5e4f5f15b6f6865ad1ba40dd9");
    }
}
