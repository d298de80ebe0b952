package org.phoneemu.core.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed {@code SEP<MAC>.cnf.xml} (docs/FORMATS.md §4): the security-relevant fields, typed. Build one with
 * {@link PhoneConfigParser#parse(byte[])}.
 */
public record PhoneConfig(
        boolean fullConfig,
        List<CallManagerEntry> callManagers,
        List<TvsServerEntry> tvsServers,
        VendorConfig vendorConfig,
        Map<String, String> urls,
        Optional<Integer> deviceSecurityMode,
        Optional<Integer> transportLayerProtocol,
        Optional<String> loadInformation,
        Optional<Integer> capfAuthMode,
        Optional<String> certHash,
        boolean encrConfig,
        Map<String, String> elements,
        List<String> refusedFields,
        Optional<org.phoneemu.core.config.DigestCredentials> digestCredentials) {

    /**
     * {@code refusedFields}: fields the phone cannot use (a URL that is not a URL, a port out of range), each as
     * "name: why"; they were left out of the fields above, and the rest of the config is usable.
     * {@code digestCredentials}: the first {@code <sipProfile><sipLines><line>} with an {@code <authName>}, and its
     * {@code <authPassword>} (docs/SIP.md §12).
     */
    public PhoneConfig {
        java.util.Objects.requireNonNull(digestCredentials, "digestCredentials");
        refusedFields = List.copyOf(refusedFields);
        callManagers = List.copyOf(callManagers);
        tvsServers = List.copyOf(tvsServers);
        // In the order given (the parser's: URL_ELEMENTS), so everything that lists them prints the same order on every run.
        urls = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(urls));
        elements = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(elements));
    }

    /** URL element names the phone uses (and their {@code secure…} twins). */
    public static final List<String> URL_ELEMENTS = List.of("directoryURL", "servicesURL", "authenticationURL",
            "messagesURL", "idleURL", "informationURL", "proxyServerURL",
            "secureDirectoryURL", "secureServicesURL", "secureAuthenticationURL", "secureMessagesURL",
            "secureIdleURL", "secureInformationURL");

    public Optional<String> url(String name) {
        return Optional.ofNullable(urls.get(name));
    }

    /** The directory URL, preferring the secure twin. */
    public Optional<String> directoryUrl() {
        return url("secureDirectoryURL").or(() -> url("directoryURL"));
    }

    public Optional<String> servicesUrl() {
        return url("secureServicesURL").or(() -> url("servicesURL"));
    }

    /** A stub that points at the encrypted config ({@code fullConfig} false, {@code encrConfig} true). */
    public boolean isEncryptedStub() {
        return !fullConfig && encrConfig;
    }

    /** Any top-level element's text, e.g. {@code element("loadInformation")}. */
    public Optional<String> element(String name) {
        return Optional.ofNullable(elements.get(name));
    }
}
