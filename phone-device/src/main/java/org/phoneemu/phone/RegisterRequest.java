package org.phoneemu.phone;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.core.sip.CallManagerTarget;
import org.phoneemu.core.sip.DeviceSecurityMode;
import org.phoneemu.core.sip.DeviceTlInfo;

/**
 * What a phone hands its network to register (docs/SIP.md §3): the CallManagers to try in order, who it is, the client
 * certificate it presents over TLS (its LSC, else its MIC) and its rule for CallManager's certificate, read from an
 * immutable snapshot of its lists (it runs on a network thread).
 *
 * @param model the phone's model name ({@code 7970}), for the REGISTER's model number and User-Agent
 * @param trustLists the DeviceTLInfo alarm sent to the CallManager that registers the phone (empty: none)
 * @param mode the device security mode, which decides the TLS suites offered ({@link org.phoneemu.core.sip.SipTlsOffer})
 * @param digest the configuration's digest credentials, for a 401/407 challenge (docs/SIP.md §12)
 * @param connections whether the registration's connections are kept open and renewed on (docs/SIP.md §3)
 * @param lostConnection told, on a network thread, of each kept connection CallManager's side ended while it was idle
 */
public record RegisterRequest(List<CallManagerTarget> targets, String mac, String model, Optional<KeyMaterial> clientCertificate,
                              Predicate<X509Certificate> trustedCallManager, Optional<DeviceTlInfo> trustLists,
                              DeviceSecurityMode mode, Optional<org.phoneemu.core.config.DigestCredentials> digest,
                              org.phoneemu.sip.client.ConnectionUse connections,
                              java.util.function.Consumer<CallManagerTarget> lostConnection) {
    /** A registration whose kept connections' ends nobody hears of. */
    public RegisterRequest(List<CallManagerTarget> targets, String mac, String model, Optional<KeyMaterial> clientCertificate,
                           Predicate<X509Certificate> trustedCallManager, Optional<DeviceTlInfo> trustLists,
                           DeviceSecurityMode mode, Optional<org.phoneemu.core.config.DigestCredentials> digest,
                           org.phoneemu.sip.client.ConnectionUse connections) {
        this(targets, mac, model, clientCertificate, trustedCallManager, trustLists, mode, digest, connections, t -> { });
    }

    /** A registration whose connections close after their answers. */
    public RegisterRequest(List<CallManagerTarget> targets, String mac, String model, Optional<KeyMaterial> clientCertificate,
                           Predicate<X509Certificate> trustedCallManager, Optional<DeviceTlInfo> trustLists,
                           DeviceSecurityMode mode, Optional<org.phoneemu.core.config.DigestCredentials> digest) {
        this(targets, mac, model, clientCertificate, trustedCallManager, trustLists, mode, digest, org.phoneemu.sip.client.ConnectionUse.CLOSE);
    }

    /** A registration without digest credentials. */
    public RegisterRequest(List<CallManagerTarget> targets, String mac, String model, Optional<KeyMaterial> clientCertificate,
                           Predicate<X509Certificate> trustedCallManager, Optional<DeviceTlInfo> trustLists,
                           DeviceSecurityMode mode, org.phoneemu.sip.client.ConnectionUse connections) {
        this(targets, mac, model, clientCertificate, trustedCallManager, trustLists, mode, Optional.empty(), connections);
    }

    /** A registration as an Encrypted phone (encrypting suites over TLS), its connections closed after their answers. */
    public RegisterRequest(List<CallManagerTarget> targets, String mac, String model, Optional<KeyMaterial> clientCertificate,
                           Predicate<X509Certificate> trustedCallManager, Optional<DeviceTlInfo> trustLists) {
        this(targets, mac, model, clientCertificate, trustedCallManager, trustLists, DeviceSecurityMode.ENCRYPTED);
    }

    /** A registration whose connections close after their answers. */
    public RegisterRequest(List<CallManagerTarget> targets, String mac, String model, Optional<KeyMaterial> clientCertificate,
                           Predicate<X509Certificate> trustedCallManager, Optional<DeviceTlInfo> trustLists, DeviceSecurityMode mode) {
        this(targets, mac, model, clientCertificate, trustedCallManager, trustLists, mode, org.phoneemu.sip.client.ConnectionUse.CLOSE);
    }

    /** A registration without the alarm (a registration storm's phones). */
    public RegisterRequest(List<CallManagerTarget> targets, String mac, String model, Optional<KeyMaterial> clientCertificate,
                           Predicate<X509Certificate> trustedCallManager) {
        this(targets, mac, model, clientCertificate, trustedCallManager, Optional.empty());
    }

    public RegisterRequest {
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(trustLists, "trustLists");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(connections, "connections");
        Objects.requireNonNull(lostConnection, "lostConnection");
        targets = List.copyOf(targets);
        Objects.requireNonNull(mac, "mac");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(clientCertificate, "clientCertificate");
        Objects.requireNonNull(trustedCallManager, "trustedCallManager");
    }
}
