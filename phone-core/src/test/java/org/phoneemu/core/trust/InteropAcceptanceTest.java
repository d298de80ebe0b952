package org.phoneemu.core.trust;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.phoneemu.core.io.PemFile;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.core.status.StatusMessages;
import org.phoneemu.core.testing.Vectors;
import org.phoneemu.core.trustlist.InstalledTrust;
import org.phoneemu.core.trustlist.Role;
import org.phoneemu.core.trustlist.TrustList;
import org.phoneemu.core.trustlist.TrustListBuilder;
import org.phoneemu.core.trustlist.TrustListKind;
import org.phoneemu.core.trustlist.TrustState;
import org.phoneemu.core.tvs.TvsAnswer;

/** The acceptance rules of docs/TRUST-RULES.md §2 and §4, row by row, with the interop vectors. */
class InteropAcceptanceTest {
    @TempDir
    Path flash;

    static byte[] v(String rel) {
        return Vectors.read(Vectors.interop(rel));
    }

    static KeyMaterial pem(String rel) throws Exception {
        return PemFile.readWithKey(Vectors.interop(rel));
    }

    /** Expected outcome kinds for a table row. */
    enum Expect { FIRST_USE, SIGNED_BY_TRUSTED_RECORD, NEEDS_TVS, REFUSED, UNCHANGED }

    record Row(String name, List<String> installedFirst, TrustListKind kind, String offered, Expect expect) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> rows() {
        return Stream.of(
                new Row("fresh phone takes ITLFile.tlv on first use", List.of(), TrustListKind.ITL, "itl/ITLFile.tlv", Expect.FIRST_USE),
                new Row("holding the ITL, the ITLRECOVERY-signed ITL is accepted", List.of("itl/ITLFile.tlv"), TrustListKind.ITL,
                        "itl/ITLFile-signed-by-itlrecovery.tlv", Expect.SIGNED_BY_TRUSTED_RECORD),
                new Row("a regenerated CallManager signer needs TVS", List.of("itl/ITLFile.tlv"), TrustListKind.ITL,
                        "itl/ITLFile-after-callmanager-regen.tlv", Expect.NEEDS_TVS),
                new Row("a rogue signer needs TVS (which will not vouch)", List.of("itl/ITLFile.tlv"), TrustListKind.ITL,
                        "itl/ITLFile-rogue.tlv", Expect.NEEDS_TVS),
                new Row("tampered ITL refused", List.of("itl/ITLFile.tlv"), TrustListKind.ITL, "itl/ITLFile-tampered.tlv", Expect.REFUSED),
                new Row("tampered ITL refused even on first use", List.of(), TrustListKind.ITL, "itl/ITLFile-tampered.tlv", Expect.REFUSED),
                new Row("truncated ITL refused", List.of("itl/ITLFile.tlv"), TrustListKind.ITL, "itl/ITLFile-truncated.tlv", Expect.REFUSED),
                new Row("the same ITL again is unchanged", List.of("itl/ITLFile.tlv"), TrustListKind.ITL, "itl/ITLFile.tlv", Expect.UNCHANGED),
                new Row("fresh phone takes the CTL", List.of(), TrustListKind.CTL, "ctl/CTLFile.tlv", Expect.FIRST_USE),
                new Row("CTL after a hostname change, same eToken: accepted", List.of("ctl/CTLFile.tlv"), TrustListKind.CTL,
                        "ctl/CTLFile-after-hostname-change.tlv", Expect.SIGNED_BY_TRUSTED_RECORD),
                new Row("CTL but no ITL: the CTL's CCM+TFTP vouches for the ITL", List.of("ctl/CTLFile.tlv"), TrustListKind.ITL,
                        "itl/ITLFile.tlv", Expect.SIGNED_BY_TRUSTED_RECORD),
                new Row("CTL + ITL: the CTL's SAST is not the ITL signer, ITL's own SAST is", List.of("ctl/CTLFile.tlv", "itl/ITLFile.tlv"),
                        TrustListKind.ITL, "itl/ITLFile-signed-by-itlrecovery.tlv", Expect.SIGNED_BY_TRUSTED_RECORD),
                new Row("a rogue CTL for a phone with a CTL needs TVS", List.of("ctl/CTLFile.tlv"), TrustListKind.CTL,
                        "itl/ITLFile-rogue.tlv", Expect.NEEDS_TVS))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void acceptanceRule(Row row) throws Exception {
        PhoneHarness phone = new PhoneHarness(flash, Optional.empty());
        for (String f : row.installedFirst()) {
            TrustListKind k = f.startsWith("ctl/") ? TrustListKind.CTL : TrustListKind.ITL;
            assertThat(phone.secd.offerTrustList(k, v(f), f)).isInstanceOf(TrustListOutcome.Installed.class);
        }
        InstalledTrust before = phone.secd.trust();
        TrustListOutcome outcome = phone.secd.offerTrustList(row.kind(), v(row.offered()), row.offered());
        switch (row.expect()) {
            case FIRST_USE, SIGNED_BY_TRUSTED_RECORD -> {
                assertThat(outcome).isInstanceOf(TrustListOutcome.Installed.class);
                assertThat(((TrustListOutcome.Installed) outcome).basis().name()).isEqualTo(row.expect().name());
                assertThat(phone.status.contains(StatusMessages.TRUST_LIST_UPDATED)).isTrue();
                assertThat(phone.log.contains("File sign verify SUCCESS")).isTrue();
            }
            case NEEDS_TVS -> {
                assertThat(outcome).isInstanceOf(TrustListOutcome.NeedsTvs.class);
                assertThat(phone.secd.trust()).isEqualTo(before);
            }
            case REFUSED -> {
                assertThat(outcome).isInstanceOf(TrustListOutcome.Refused.class);
                assertThat(phone.status.contains(StatusMessages.TRUST_LIST_UPDATE_FAILED)).isTrue();
                assertThat(phone.secd.trust()).isEqualTo(before);
            }
            case UNCHANGED -> assertThat(outcome).isInstanceOf(TrustListOutcome.Unchanged.class);
        }
        // Whatever happened, flash holds exactly what memory says.
        phone.reboot();
        assertThat(phone.secd.state()).isEqualTo(outcome instanceof TrustListOutcome.Installed i
                ? before.withCtlOrItl(i.list()).state() : before.state());
    }

    static Stream<Arguments> tvsAnswers() {
        return Stream.of(
                Arguments.of("valid", new TvsAnswer.Valid("127.0.0.1", List.of(0), OptionalLong.of(86400)), true),
                Arguments.of("invalid", new TvsAnswer.Invalid("127.0.0.1", 1), false),
                Arguments.of("unreachable", new TvsAnswer.Unreachable("connection refused"), false));
    }

    @ParameterizedTest(name = "regenerated CallManager, TVS {0}")
    @MethodSource("tvsAnswers")
    void regeneratedSignerDependsOnTvs(String name, TvsAnswer answer, boolean accepted) throws Exception {
        PhoneHarness phone = new PhoneHarness(flash, Optional.empty());
        phone.secd.offerTrustList(TrustListKind.ITL, v("itl/ITLFile.tlv"), "ITLFile.tlv");
        TrustListOutcome.NeedsTvs ask = (TrustListOutcome.NeedsTvs) phone.secd.offerTrustList(TrustListKind.ITL,
                v("itl/ITLFile-after-callmanager-regen.tlv"), "ITLFile.tlv");
        // TVS is asked about the new file's own signer: the regenerated CallManager certificate.
        assertThat(ask.signerCertificate()).isEqualTo(pem("certs/callmanager-regenerated.pem").certificate());
        TrustListOutcome outcome = phone.secd.resume(ask, answer);
        String regenMd5 = TrustList.parse(v("itl/ITLFile-after-callmanager-regen.tlv")).file().md5Hex();
        if (accepted) {
            assertThat(outcome).isInstanceOf(TrustListOutcome.Installed.class);
            assertThat(phone.secd.trust().itl().orElseThrow().file().md5Hex()).isEqualTo(regenMd5);
        } else {
            assertThat(outcome).isInstanceOf(TrustListOutcome.Refused.class);
            assertThat(phone.status.last().orElseThrow().text()).isEqualTo("Trust List Update Failed");
            assertThat(phone.secd.trust().itl().orElseThrow().file().md5Hex()).isEqualTo("fa07bf05913afcda105e260ce731aef1");
        }
    }

    @Test
    void configSignedByTheRegeneratedKeyIsRefusedUntilTheNewItlIsIn() throws Exception {
        PhoneHarness phone = new PhoneHarness(flash, Optional.empty());
        phone.secd.offerTrustList(TrustListKind.ITL, v("itl/ITLFile.tlv"), "ITLFile.tlv");
        // Secure: signed names only; the signed default comes second, for a phone the cluster does not know.
        assertThat(phone.secd.configFileNames("001122334455", "127.0.0.1"))
                .containsExactly("SEP001122334455.cnf.xml.sgn", "XMLDefault.cnf.xml.sgn").allMatch(n -> n.endsWith(".sgn"));
        assertThat(phone.log.contains("tftpClient: authenticated file approved - add .sgn -- SEP001122334455.cnf.xml.sgn")).isTrue();

        String name = "SEP001122334455.cnf.xml.sgn";
        byte[] regenConfig = v("sgn/SEP001122334455-signed-by-regenerated-callmanager.cnf.xml.sgn");
        assertThat(phone.secd.offerConfig(name, regenConfig)).isInstanceOf(ConfigOutcome.Rejected.class);
        assertThat(phone.status.contains("File Auth Fail: " + name)).isTrue();
        assertThat(phone.secd.config()).isEmpty();

        assertThat(phone.secd.offerConfig(name, v("sgn/SEP001122334455-tampered.cnf.xml.sgn"))).isInstanceOf(ConfigOutcome.Rejected.class);
        assertThat(phone.secd.offerConfig(name, v("sgn/SEP001122334455.cnf.xml.sgn"))).isInstanceOf(ConfigOutcome.Applied.class);
        assertThat(phone.log.contains("SECD: verifyFile: verify SUCCESS </usr/ram/SEP001122334455.cnf.xml>")).isTrue();
        // An unsigned file is never taken instead (no downgrade).
        assertThat(phone.secd.offerConfig("SEP001122334455.cnf.xml", v("sgn/SEP001122334455.cnf.xml")))
                .isInstanceOf(ConfigOutcome.Rejected.class);

        TrustListOutcome.NeedsTvs ask = (TrustListOutcome.NeedsTvs) phone.secd.offerTrustList(TrustListKind.ITL,
                v("itl/ITLFile-after-callmanager-regen.tlv"), "ITLFile.tlv");
        phone.secd.resume(ask, new TvsAnswer.Valid("127.0.0.1", List.of(0), OptionalLong.empty()));
        ConfigOutcome now = phone.secd.offerConfig(name, regenConfig);
        assertThat(now).isInstanceOf(ConfigOutcome.Applied.class);
        assertThat(((ConfigOutcome.Applied) now).config().tvsServers()).hasSize(2);
        assertThat(phone.secd.config().orElseThrow().url("directoryURL")).contains("https://test10pub.lab.example:8443/ccmcip/xmldirectory.jsp");
    }

    @Test
    void encryptedConfigDecryptsWithTheLscAndFailsCleanlyWithAnotherKey() throws Exception {
        PhoneHarness phone = new PhoneHarness(flash, Optional.of(pem("certs/phone-lsc.pem")));
        phone.secd.offerTrustList(TrustListKind.ITL, v("itl/ITLFile.tlv"), "ITLFile.tlv");
        ConfigOutcome stub = phone.secd.offerConfig("SEP001122334455.cnf.xml.sgn", v("enc/SEP001122334455.cnf.xml.sgn"));
        assertThat(stub).isEqualTo(new ConfigOutcome.FetchEncrypted("SEP001122334455.cnf.xml.enc.sgn"));
        ConfigOutcome enc = phone.secd.offerConfig("SEP001122334455.cnf.xml.enc.sgn", v("enc/SEP001122334455.cnf.xml.enc.sgn"));
        assertThat(enc).isInstanceOf(ConfigOutcome.Applied.class);
        assertThat(phone.secd.config().orElseThrow().fullConfig()).isTrue();

        // Another phone (its LSC is the rogue key): the stub's certHash is not its own, and the .enc.sgn does not open.
        Path other = flash.resolveSibling(flash.getFileName() + "-other");
        PhoneHarness wrong = new PhoneHarness(other, Optional.of(pem("certs/rogue.pem")));
        wrong.secd.offerTrustList(TrustListKind.ITL, v("itl/ITLFile.tlv"), "ITLFile.tlv");
        assertThat(wrong.secd.offerConfig("SEP001122334455.cnf.xml.sgn", v("enc/SEP001122334455.cnf.xml.sgn")))
                .isInstanceOf(ConfigOutcome.Rejected.class);
        wrong.secd.offerConfig("SEP001122334455.cnf.xml.sgn", v("sgn/SEP001122334455.cnf.xml.sgn"));
        ConfigOutcome fail = wrong.secd.offerConfig("SEP001122334455.cnf.xml.enc.sgn", v("enc/SEP001122334455.cnf.xml.enc.sgn"));
        assertThat(fail).isInstanceOf(ConfigOutcome.Rejected.class);
        assertThat(wrong.status.contains("Decryption Failed: SEP001122334455.cnf.xml.enc.sgn")).isTrue();
        // The previous config stays applied.
        assertThat(wrong.secd.config()).isPresent();
    }

    @Test
    void rollbackItlThenAnyConfigAndTrustOnFirstUseAgain() throws Exception {
        PhoneHarness phone = new PhoneHarness(flash, Optional.empty());
        phone.secd.offerTrustList(TrustListKind.ITL, v("itl/ITLFile.tlv"), "ITLFile.tlv");
        byte[] blank = new TrustListBuilder(TrustListKind.ITL)
                .addBlank(Role.SAST).addBlank(Role.CCM_TFTP).addBlank(Role.TVS)
                .build(pem("certs/callmanager.pem"));
        // The blank ITL itself is signed by the trusted CallManager key.
        TrustListOutcome rollback = phone.secd.offerTrustList(TrustListKind.ITL, blank, "ITLFile.tlv");
        assertThat(rollback).isInstanceOf(TrustListOutcome.Installed.class);
        assertThat(phone.secd.state()).isEqualTo(TrustState.ROLLBACK);
        assertThat(phone.secd.configFileNames("001122334455", "127.0.0.1")).containsExactly("SEP001122334455.cnf.xml", "XMLDefault.cnf.xml");
        assertThat(phone.secd.offerConfig("SEP001122334455.cnf.xml", v("sgn/SEP001122334455.cnf.xml"))).isInstanceOf(ConfigOutcome.Applied.class);
        assertThat(phone.secd.offerConfig("SEP001122334455.cnf.xml.sgn",
                v("sgn/SEP001122334455-signed-by-regenerated-callmanager.cnf.xml.sgn"))).isInstanceOf(ConfigOutcome.Applied.class);
        TrustListOutcome next = phone.secd.offerTrustList(TrustListKind.ITL, v("itl/ITLFile-rogue.tlv"), "ITLFile.tlv");
        assertThat(next).isInstanceOf(TrustListOutcome.Installed.class);
        assertThat(((TrustListOutcome.Installed) next).basis()).isEqualTo(TrustListOutcome.Basis.FIRST_USE);
    }
}
