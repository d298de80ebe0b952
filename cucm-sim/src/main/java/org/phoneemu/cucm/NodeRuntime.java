package org.phoneemu.cucm;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import javax.net.ssl.SSLException;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.cucm.config.NodeSpec;
import org.phoneemu.cucm.files.TftpDirectory;
import org.phoneemu.cucm.https.DirectoryServer;
import org.phoneemu.cucm.pki.CertificateUnit;
import org.phoneemu.cucm.tftp.TftpServer;
import org.phoneemu.cucm.tvs.TvsServer;

/**
 * What a node's servers read: the files its TFTP serves and the TLS contexts of TVS and tomcat. Published by the
 * cluster after each change (volatile writes); read lock-free by the event loops.
 */
final class NodeRuntime {
    final String id;
    volatile TftpDirectory files = TftpDirectory.EMPTY;
    volatile SslContext tvsTls;
    volatile SslContext httpsTls;
    /** The HTTPS provisioning port's context (the node's tomcat-ECDSA certificate). */
    volatile SslContext provisioningTls;
    private KeyMaterial provisioningKey;
    /** HTTP and HTTPS provisioning ports once bound; 0 when not running. */
    volatile int httpProvisioningPort;
    volatile int httpsProvisioningPort;
    org.phoneemu.cucm.tftp.ProvisioningServer provisioning;
    private KeyMaterial tvsKey;
    private KeyMaterial tomcatKey;
    /** Bound ports once started; 0 before. */
    volatile int tftpPort;
    volatile int tvsPort;
    volatile int httpsPort;
    volatile int capfPort;
    volatile int sipPort;
    volatile int sipsPort;
    /** The node's CallManager key and certificate: the SIP registrar's TLS identity (read per connection). */
    volatile KeyMaterial callManagerKey;
    volatile org.phoneemu.cucm.sip.SipRegistrar sip;
    org.phoneemu.cucm.capf.internal.CapfServer capf;
    TftpServer tftp;
    TvsServer tvs;
    DirectoryServer https;

    NodeRuntime(String id) {
        this.id = id;
    }

    /**
     * The ports the node's servers listen on: the bound ones once started, the configured ones before. A node that
     * is not running and was configured with an ephemeral port (0) names the service's default port: a phone
     * refuses port 0 in a config, and files built by {@code cucm admin} or {@code predict} are never served by
     * a running node without being rebuilt with its bound ports.
     */
    FileBuilder.Ports ports(NodeState n) {
        return new FileBuilder.Ports(port(tftpPort, n.spec.tftpPort(), NodeSpec.DEFAULT_TFTP_PORT),
                port(tvsPort, n.spec.tvsPort(), NodeSpec.DEFAULT_TVS_PORT),
                port(httpsPort, n.spec.httpsPort(), NodeSpec.DEFAULT_HTTPS_PORT),
                port(capfPort, n.spec.capfPort(), NodeSpec.DEFAULT_CAPF_PORT),
                port(sipPort, n.spec.sipPort(), NodeSpec.DEFAULT_SIP_PORT),
                port(sipsPort, n.spec.sipsPort(), NodeSpec.DEFAULT_SIPS_PORT));
    }

    private static int port(int bound, int configured, int serviceDefault) {
        return bound > 0 ? bound : configured > 0 ? configured : serviceDefault;
    }

    /** Makes new TLS contexts when the node's TVS or tomcat certificate changed; a new CallManager key drops SIP-TLS connections. */
    void updateTls(NodeState n) {
        KeyMaterial c = n.key(CertificateUnit.CALLMANAGER);
        if (c != callManagerKey) {
            callManagerKey = c;
            org.phoneemu.cucm.sip.SipRegistrar registrar = sip;
            if (registrar != null) {
                registrar.callManagerKeyChanged();
            }
        }
        KeyMaterial t = n.key(CertificateUnit.TVS);
        if (t != tvsKey) {
            tvsTls = tls(t);
            tvsKey = t;
        }
        KeyMaterial e = n.key(CertificateUnit.TOMCAT_ECDSA);
        if (e != null && e != provisioningKey) {
            provisioningTls = tls(e);
            provisioningKey = e;
        }
        KeyMaterial w = n.key(CertificateUnit.TOMCAT);
        if (w != tomcatKey) {
            httpsTls = tls(w);
            tomcatKey = w;
        }
    }

    private static SslContext tls(KeyMaterial km) {
        try {
            return SslContextBuilder.forServer(km.privateKey(), km.certificate()).build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot make a TLS context for " + km.certificate().getSubjectX500Principal(), e);
        }
    }
}
