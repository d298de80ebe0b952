/**
 * The phone's trust state machine: every decision its security daemon takes, as pure code.
 *
 * <p>{@link org.phoneemu.core.trust.SecurityDaemon} is the entry point. It holds the phone's
 * {@link org.phoneemu.core.flash.Flash} (flash), logs the real phone's console lines into a
 * {@link org.phoneemu.core.console.ConsoleLog} and adds status messages. It never does network I/O: when the
 * installed lists cannot decide, it says so and the caller asks TVS, then resumes it with the answer.
 *
 * <h2>Trust lists: {@link org.phoneemu.core.trust.TrustListOutcome}</h2>
 * <pre>{@code
 * TrustListOutcome o = secd.offerTrustList(TrustListKind.ITL, downloadedBytes, "ITLSEP001122334455.tlv");
 // Signed by an unknown key (e.g. after "set cert regen CallManager"): ask TVS about the new file's signer.
 * if (o instanceof TrustListOutcome.NeedsTvs ask) {
 *     TvsAnswer answer = tvsClient.verify(ask.signerCertificate());   // network, not here
 *     o = secd.resume(ask, answer);                                  // Installed or Refused
 * }
 * if (o instanceof TrustListOutcome.Installed i) {
 *     // Fresh phone: trust on first use. Holding an ITL: signed by one of its SAST records (e.g. the
 *     // ITLRECOVERY record after "utils itl reset localkey"), or vouched for by TVS. Already on flash.
 *     show("Trust List Updated, basis " + i.basis());
 * } else if (o instanceof TrustListOutcome.Refused r) {
 *     // Tampered, truncated, or TVS would not vouch: the old list stays, status "Trust List Update Failed".
 *     show(r.reason());
 * } // TrustListOutcome.Unchanged: the same bytes as the installed file, nothing to do, not an error.
 * }</pre>
 *
 * <h2>Configuration: {@link org.phoneemu.core.trust.ConfigOutcome}</h2>
 * <pre>{@code
 * // [SEP001122334455.cnf.xml.sgn] when secure, else [SEP001122334455.cnf.xml, XMLDefault.cnf.xml]: the first found
 * String name = secd.configFileNames("001122334455", "10.1.1.1").get(0);
 ConfigOutcome c = secd.offerConfig(name, tftp.fetch(name));
 * if (c instanceof ConfigOutcome.FetchEncrypted f) {
 *     // A stub with encrConfig true and this phone's certHash: fetch the .enc.sgn and offer it the same way.
 *     c = secd.offerConfig(f.fileName(), tftp.fetch(f.fileName()));
 * }
 * if (c instanceof ConfigOutcome.Applied a) {
 *     // Verified (CCM+TFTP/TFTP record of the CTL, then the ITL), parsed and already written to flash.
 *     apply(a.config().tvsServers(), a.config().directoryUrl());
 * } else if (c instanceof ConfigOutcome.Rejected r) {
 *     // Unknown signer ("File Auth Fail"), unsigned while secure, wrong key ("Decryption Failed"): nothing changes.
 *     show(r.reason());
 * }
 * }</pre>
 *
 * <h2>HTTPS: {@link org.phoneemu.core.https.HttpsDecision}</h2>
 * <pre>{@code
 * HttpsDecision d = secd.checkHttps(serverCertificate, "10.1.1.1");   // CTL, ITL, then the TVS cache
 * if (d instanceof HttpsDecision.NeedsTvs ask) {
 *     d = secd.resumeHttps(ask, tvsClient.verify(ask.certificate()));  // Valid: cached for its TTL (86400 s default)
 * }
 * if (d instanceof HttpsDecision.Refused) show("Host Not Found");     // the request is never sent
 * }</pre>
 *
 * <p>TVS servers are trusted through {@link org.phoneemu.core.trust.TvsServerAuthentication#isTrustedTvs}: a TVS record
 * of the CTL or ITL, matched by issuer + serial, then certificate bytes or CERTHASH. The phone runs it on a network
 * thread against an immutable snapshot of its lists ({@link org.phoneemu.core.trustlist.InstalledTrust}, e.g.
 * {@link org.phoneemu.core.trust.TrustListOutcome.NeedsTvs#against}), never against the live store. The Trust List menu is
 * {@link org.phoneemu.core.trust.SecurityDaemon#erase} (refused when {@code settingsAccess} is 0),
 * {@link org.phoneemu.core.trust.SecurityDaemon#factoryReset} and {@link org.phoneemu.core.trust.SecurityDaemon#reboot}.
 */
package org.phoneemu.core.trust;
