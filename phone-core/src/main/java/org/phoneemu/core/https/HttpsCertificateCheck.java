package org.phoneemu.core.https;

import java.security.cert.X509Certificate;
import java.util.Optional;
import org.phoneemu.core.console.ConsoleLog;
import org.phoneemu.core.trustlist.InstalledTrust;
import org.phoneemu.core.trustlist.TrustList;
import org.phoneemu.core.trustlist.TrustRecord;
import org.phoneemu.core.tvs.TvsAnswer;
import org.phoneemu.core.tvs.TvsCache;

/**
 * The HTTPS server-certificate check of docs/TRUST-RULES.md §7, in order: CTL, ITL, TVS cache, then TVS. Pure: when TVS
 * must be asked it returns {@link HttpsDecision.NeedsTvs} and the caller resumes with the answer.
 */
public final class HttpsCertificateCheck {
    /** What the phone's UI shows when a service URL's certificate is refused. */
    public static final String HOST_NOT_FOUND = "Host Not Found";

    private final ConsoleLog log;
    private final TvsCache cache;

    public HttpsCertificateCheck(ConsoleLog log, TvsCache cache) {
        this.log = log;
        this.cache = cache;
    }

    /**
     * Judges the server certificate of an HTTPS connection. The phone's {@code srvr_cert_vfy: Server Certificate
     * Validation needs to be done} line belongs to the TLS handshake that calls this, and is printed there, once.
     */
    public HttpsDecision check(InstalledTrust trust, X509Certificate cert, String serverAddress) {
        return check(trust, cert, serverAddress, r -> true);
    }

    /**
     * The same check for the HTTPS provisioning server (port 6971, docs/PROTOCOLS.md §4): only a record with the TFTP
     * function (TFTP or CCM+TFTP) vouches for it in the lists; then the TVS cache and TVS, as for any HTTPS server.
     */
    public HttpsDecision checkProvisioning(InstalledTrust trust, X509Certificate cert, String serverAddress) {
        return check(trust, cert, serverAddress, HttpsCertificateCheck::hasTftpFunction);
    }

    /** A record that may vouch for the provisioning server: TFTP or CCM+TFTP. */
    public static boolean hasTftpFunction(TrustRecord r) {
        return r.hasRole(org.phoneemu.core.trustlist.Role.TFTP) || r.hasRole(org.phoneemu.core.trustlist.Role.CCM_TFTP);
    }

    /**
     * Whether a phone whose model provisions over HTTPS asks for its configuration on port 6971: its installed ITL
     * has signer version 1.1 (the version that allows EC keys in records; usecallmanager.nz, HTTP provisioning).
     */
    public static boolean configOverHttps(InstalledTrust trust) {
        return trust.itl().filter(l -> !l.isBlank()).flatMap(l -> l.file().signerVersion())
                .filter(v -> v.major() > 1 || v.major() == 1 && v.minor() >= 1).isPresent();
    }

    private HttpsDecision check(InstalledTrust trust, X509Certificate cert, String serverAddress,
                                java.util.function.Predicate<TrustRecord> vouches) {
        Optional<TrustList> ctl = trust.ctl();
        log.notice("SECD: findByCertAndRoleInTL: Searching TL from CTL file");
        if (ctl.isPresent() && find(ctl.get(), cert, vouches).isPresent()) {
            log.notice("SECD: https_cert_vfy: HTTPS cert found in CTL, <" + serverAddress + ">");
            return new HttpsDecision.Allowed(HttpsDecision.Source.CTL);
        }
        log.notice("SECD: findByCertAndRoleInTL: Searching TL from ITL file");
        Optional<TrustList> itl = trust.itl().filter(l -> !l.isBlank());
        if (itl.isPresent() && find(itl.get(), cert, vouches).isPresent()) {
            log.notice("SECD: https_cert_vfy: HTTPS cert found in ITL, <" + serverAddress + ">");
            return new HttpsDecision.Allowed(HttpsDecision.Source.ITL);
        }
        log.error("SECD: EROR:https_cert_vfy: HTTPS cert not in CTL, <" + serverAddress + ">");
        log.notice("SECD: processTvsClntReq: TVS Certificate Authentication request");
        if (cache.lookup(cert).isPresent()) {
            log.notice("SECD: lookupAuthCertTvsCacheEntry: Matching entry found at cache");
            log.error("SECD: Authenticated the HTTPS conn via TVS cache");
            return new HttpsDecision.Allowed(HttpsDecision.Source.TVS_CACHE);
        }
        log.notice("SECD: lookupAuthCertTvsCacheEntry: No matching entry found at cache");
        return new HttpsDecision.NeedsTvs(cert, serverAddress);
    }

    /** Continues a {@link HttpsDecision.NeedsTvs} with the TVS servers' answer. */
    public HttpsDecision resume(HttpsDecision.NeedsTvs pending, TvsAnswer answer) {
        if (answer instanceof TvsAnswer.Valid v) {
            long ttl = v.ttlSeconds().orElse(TvsCache.DEFAULT_TTL_SECONDS);
            cache.put(pending.certificate(), ttl);
            // The seed phone says "default" for 86400 s; whether TVS sent that value or sent none is not visible there.
            log.notice(ttl == TvsCache.DEFAULT_TTL_SECONDS
                    ? "SECD: saveCertToTvsCache: Saving certificate in TVS cache with default time-to-live value: " + ttl + " seconds"
                    : "SECD: saveCertToTvsCache: Saving certificate in TVS cache with time-to-live value: " + ttl + " seconds");
            log.error("SECD: Authenticated the HTTPS conn via TVS");
            return new HttpsDecision.Allowed(HttpsDecision.Source.TVS);
        }
        String why = answer instanceof TvsAnswer.Invalid i
                ? "TVS " + i.server() + " answered status " + i.status()
                : "no TVS server available: " + ((TvsAnswer.Unreachable) answer).reason();
        log.error("SECD: EROR:https_cert_vfy: HTTPS cert could not be authenticated via TVS, <" + pending.serverAddress() + ">: " + why);
        return new HttpsDecision.Refused(why);
    }

    private static Optional<TrustRecord> find(TrustList list, X509Certificate cert, java.util.function.Predicate<TrustRecord> vouches) {
        return list.records().stream().filter(vouches).filter(r -> r.matches(cert)).findFirst();
    }
}
