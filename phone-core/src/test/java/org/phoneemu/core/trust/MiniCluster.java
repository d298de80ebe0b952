package org.phoneemu.core.trust;

import java.nio.charset.StandardCharsets;
import org.phoneemu.core.encryption.EncryptedConfig;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.core.pki.NameStyle;
import org.phoneemu.core.signedfile.DigestAlgorithm;
import org.phoneemu.core.testing.TestPki;
import org.phoneemu.core.trustlist.Role;
import org.phoneemu.core.trustlist.TrustListBuilder;
import org.phoneemu.core.trustlist.TrustListKind;

/**
 * A one-node cluster's keys and the files it would serve, built in the test (no network): enough to drive the
 * acceptance scenarios (docs/TRUST-RULES.md) through the engine.
 */
final class MiniCluster {
    KeyMaterial callManager = TestPki.rsa("C=US,O=cisco,OU=tac,CN=pub.lab", 1024, 16);
    KeyMaterial tvs = TestPki.rsa("C=US,O=cisco,OU=tac,CN=pub.lab", 1024, 16);
    final KeyMaterial capf = TestPki.rsa("C=US,O=cisco,OU=tac,CN=CAPF-1", 1024, 16);
    KeyMaterial itlRecovery = TestPki.rsa("C=US,O=cisco,OU=tac,CN=ITLRECOVERY_pub.lab", 1024, 16);
    KeyMaterial tomcat = TestPki.rsa("C=US,O=cisco,OU=tac,CN=pub.lab", 1024, 16);
    boolean itlSignedByRecovery;
    int settingsAccess = 1;

    void regenCallManager() {
        callManager = TestPki.rsa("C=US,O=cisco,OU=tac,CN=pub.lab", 1024, 16);
    }

    void regenTvs() {
        tvs = TestPki.rsa("C=US,O=cisco,OU=tac,CN=pub.lab", 1024, 16);
    }

    byte[] itl() {
        return new TrustListBuilder(TrustListKind.ITL).nameStyle(NameStyle.CUCM)
                .addCertificate(Role.SAST, callManager.certificate())
                .addCertificate(Role.CCM_TFTP, callManager.certificate())
                .addCertificateHash(Role.CAPF, capf.certificate())
                .addCertificateHash(Role.TVS, tvs.certificate())
                .addCertificate(Role.SAST, itlRecovery.certificate())
                .build(itlSignedByRecovery ? itlRecovery : callManager);
    }

    byte[] rollbackItl() {
        return new TrustListBuilder(TrustListKind.ITL).addBlank(Role.SAST).addBlank(Role.CCM_TFTP).build(callManager);
    }

    String configXml(String marker) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<device>\n  <fullConfig>true</fullConfig>\n"
                + "  <TVS><members><member priority=\"0\"><port>2445</port><address>127.0.0.1</address></member></members></TVS>\n"
                + "  <vendorConfig><settingsAccess>" + settingsAccess + "</settingsAccess><webAccess>0</webAccess></vendorConfig>\n"
                + "  <directoryURL>https://127.0.0.1:8443/ccmcip/xmldirectory.jsp</directoryURL>\n"
                + "  <loadInformation>" + marker + "</loadInformation>\n"
                + "  <deviceSecurityMode>2</deviceSecurityMode>\n</device>\n";
    }

    byte[] signedConfig(String marker) {
        return EncryptedConfig.sign(configXml(marker).getBytes(StandardCharsets.UTF_8), callManager,
                "SEP001122334455.cnf.xml.sgn", 1_700_000_000L, NameStyle.CUCM, DigestAlgorithm.SHA1);
    }
}
