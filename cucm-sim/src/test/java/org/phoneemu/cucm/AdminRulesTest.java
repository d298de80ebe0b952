package org.phoneemu.cucm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.core.clock.VirtualClock;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.core.trustlist.Role;
import org.phoneemu.core.trustlist.TrustList;
import org.phoneemu.core.trustlist.TrustRecord;
import org.phoneemu.cucm.pki.CertificateUnit;
import org.phoneemu.cucm.pki.internal.Pkcs12;

/** CUCM's admin rules on a two-node cluster, with a virtual clock. */
class AdminRulesTest {
    @TempDir
    Path state;
    VirtualClock clock;
    Cluster cluster;
    List<ResetEvent> resets = new ArrayList<>();

    @BeforeEach
    void build() throws Exception {
        clock = TestClusters.clock();
        cluster = TestClusters.build(TestClusters.twoNodes(), state, clock);
        cluster.onResetPhones(resets::add);
    }

    @AfterEach
    void close() {
        cluster.close();
    }

    private TrustList itl(String node) throws Exception {
        return TrustList.parse(cluster.file(node, "ITLFile.tlv").orElseThrow());
    }

    private X509Certificate signerOf(TrustList list) {
        return list.signerRecord().flatMap(TrustRecord::certificate).orElseThrow();
    }

    @Test
    void holdTimerRefusesASecondRegenerationForFiveMinutes() throws Exception {
        NodeAdmin pub = cluster.admin("pub");
        X509Certificate oldTvs = pub.certificate(CertificateUnit.TVS);
        pub.regenerateCertificate(CertificateUnit.CALLMANAGER);
        assertThat(resets).extracting(ResetEvent::reason).containsExactly(ResetEvent.Reason.CERTIFICATE_REGENERATED);

        assertThatThrownBy(() -> pub.regenerateCertificate(CertificateUnit.TVS))
                .isInstanceOf(HoldTimerException.class)
                .hasMessage("CallManager certificate was modified in the last 5 minutes. Please re-try regnerating TVS certificate at a later time");
        clock.advance(Duration.ofMinutes(5).minusSeconds(1));
        assertThatThrownBy(() -> pub.regenerateCertificate(CertificateUnit.TVS)).isInstanceOf(HoldTimerException.class);
        assertThat(pub.certificate(CertificateUnit.TVS)).isEqualTo(oldTvs);

        // The timer is per node: the subscriber may regenerate meanwhile.
        cluster.admin("sub").regenerateCertificate(CertificateUnit.TVS);

        clock.advance(Duration.ofSeconds(1));
        pub.regenerateCertificate(CertificateUnit.TVS);
        assertThat(pub.certificate(CertificateUnit.TVS)).isNotEqualTo(oldTvs);
        assertThat(resets).hasSize(3).allMatch(e -> e.reason() == ResetEvent.Reason.CERTIFICATE_REGENERATED);
        assertThat(resets.get(2).unit()).contains(CertificateUnit.TVS);
        assertThat(resets.get(2).node()).contains("pub");
    }

    @Test
    void helpListsEveryCommandOnceAndEachListedCommandIsKnown() {
        AdminShell shell = new AdminShell(cluster, "pub");
        String help = shell.execute("help");
        assertThat(help).isEqualTo("""
                set cert regen CallManager|TVS|tomcat|tomcat-ECDSA|ITLRecovery [node]
                set cert import trust [CallManager-trust|CAPF-trust|Phone-SAST-trust|tomcat-trust] <pem-file>
                set cert delete CallManager-trust|CAPF-trust <certificate-name.pem>
                file get cert CallManager|TVS|tomcat|ITLRecovery [node]   (Download .PEM File)
                utils bulkcert export|consolidate|import   (Bulk Certificate Management, in this folder)
                show cert list own|trust [node]
                show cert own <unit> [node]
                show itl [node]
                show ctl
                utils itl reset localkey
                utils itl reset remotekey <ITLRecovery.p12> [password]   (or <sftp-host> <user> <path>)
                file get tftp ITLRecovery.p12 [directory]
                file list tftp
                utils service restart Cisco Tftp|Cisco Trust Verification Service [node]
                set network hostname <hostname>
                set network domain <domain>
                set rollback true|false          (Prepare Cluster for Rollback to pre 8.0)
                set device security SEP<MAC> non-secure|authenticated|encrypted   (the phone's Device Security Profile)
                utils reset phones
                utils ctl set-cluster mixed-mode|non-secure-mode
                utils ctl update CTLFile
                utils disaster_recovery backup local <name>
                utils disaster_recovery restore local <name> [without-callmanager-key]
                utils disaster_recovery show_backupfiles
                """);
        assertThat(shell.execute("?")).isEqualTo(help);
        // Commands that need no argument answer without "Invalid command" (the table dispatches what help lists).
        assertThat(shell.execute("file list tftp")).contains("ITLFile.tlv").doesNotContain("Invalid command");
        assertThat(shell.execute("UTILS DISASTER_RECOVERY SHOW_BACKUPFILES")).doesNotContain("Invalid command");
        assertThat(shell.execute("show cert")).isEqualTo("Executed command unsuccessfully\n"
                + "Invalid command: show cert (type 'help' for the commands of the simulated CUCM)\n");
        assertThat(shell.execute("help me")).startsWith("Executed command unsuccessfully\nInvalid command: help me");
        assertThat(shell.execute("set rollback")).isEqualTo("Executed command unsuccessfully\nusage: set rollback true|false\n");
    }

    @Test
    void shellPrintsTheSeedTranscripts() {
        AdminShell shell = new AdminShell(cluster, "pub");
        assertThat(shell.execute("set cert regen CallManager")).isEqualTo("""

                WARNING: This operation will overwrite any CA signed certificate previously imported for CallManager
                Proceed with regeneration (yes|no)? yes


                Successfully Regenerated Certificate for CallManager.
                Please do a backup of the server as soon as possible. Failure to do so can stale the cluster in case of a crash.
                You must restart services related to CallManager for the regenerated certificates to become active.

                """);
        assertThat(shell.execute("admin:set cert regen TVS")).isEqualTo("""

                CallManager certificate was modified in the last 5 minutes. Please re-try regnerating TVS certificate at a later time

                """);
        assertThat(new AdminShell(cluster, "sub").execute("utils itl reset localkey")).isEqualTo("This is not a Publisher Node\n");
        assertThat(shell.execute("utils itl reset localkey")).isEqualTo("""
                Enter CCM Administrator password :

                Locating active Tftp servers in the cluster.....

                Following is the list of Active tftp servers in the cluster

                ['pub', 'sub']
                The reset ITL file was generated successfully


                Transferring new reset ITL file to the TFTP server nodes in the cluster.........

                Restarting Cisco Tftp service on host pub
                Cisco Tftp service restarted on host pub
                Successfully transferred reset ITL to node sub

                Restarting Cisco Tftp service on host sub
                Cisco Tftp service restarted on host sub
                """);
        assertThat(shell.execute("no such command")).startsWith("Executed command unsuccessfully\n");
    }

    @Test
    void itlResetOnASubscriberIsRefusedAndChangesNothing() throws Exception {
        byte[] before = cluster.file("sub", "ITLFile.tlv").orElseThrow();
        assertThatThrownBy(() -> cluster.admin("sub").resetItlLocalKey()).isInstanceOf(AdminException.class)
                .hasMessage("This is not a Publisher Node");
        assertThat(cluster.file("sub", "ITLFile.tlv").orElseThrow()).isEqualTo(before);
    }

    @Test
    void itlIsSignedByItlRecoveryUntilEachNodesTftpRestarts() throws Exception {
        X509Certificate recovery = cluster.admin("pub").certificate(CertificateUnit.ITLRECOVERY);
        assertThat(signerOf(itl("sub"))).isEqualTo(cluster.admin("sub").certificate(CertificateUnit.CALLMANAGER));

        cluster.admin("pub").resetItlLocalKey();
        for (String n : List.of("pub", "sub")) {
            TrustList list = itl(n);
            assertThat(signerOf(list)).isEqualTo(recovery);
            assertThat(list.verifiesItself()).isTrue();
            // Every node serves the publisher's ITL: its first record is the publisher's CallManager certificate.
            assertThat(list.records().get(0).certificate()).contains(cluster.admin("pub").certificate(CertificateUnit.CALLMANAGER));
        }
        assertThat(cluster.admin("pub").showItl()).contains("CN=ITLRECOVERY_pub.lab.example");

        cluster.admin("sub").restartService(ClusterService.TFTP);
        assertThat(signerOf(itl("sub"))).isEqualTo(cluster.admin("sub").certificate(CertificateUnit.CALLMANAGER));
        assertThat(signerOf(itl("pub"))).isEqualTo(recovery);
        String transcript = new AdminShell(cluster, "pub").execute("utils service restart Cisco Tftp");
        assertThat(transcript).contains("Cisco Tftp[STARTED]");
        assertThat(signerOf(itl("pub"))).isEqualTo(cluster.admin("pub").certificate(CertificateUnit.CALLMANAGER));
        assertThat(itl("pub").verifiesItself()).isTrue();
    }

    @Test
    void itlRecoveryRegenerationReachesTheItlOnlyAfterTheTftpRestart() throws Exception {
        X509Certificate old = cluster.admin("pub").certificate(CertificateUnit.ITLRECOVERY);
        cluster.admin("pub").regenerateCertificate(CertificateUnit.ITLRECOVERY);
        assertThat(resets).isEmpty();
        X509Certificate fresh = cluster.admin("pub").certificate(CertificateUnit.ITLRECOVERY);
        assertThat(fresh).isNotEqualTo(old);
        assertThat(itl("sub").records().get(4).certificate()).contains(old);
        cluster.admin("sub").restartService(ClusterService.TFTP);
        assertThat(itl("sub").records().get(4).certificate()).contains(fresh);
        assertThat(itl("pub").records().get(4).certificate()).contains(old);
    }

    @Test
    void rollbackPublishesABlankItlStillSignedByCallManager() throws Exception {
        new AdminShell(cluster, "pub").execute("set rollback true");
        TrustList list = itl("pub");
        assertThat(list.isBlank()).isTrue();
        assertThat(list.records()).hasSize(6);
        X509Certificate callManager = cluster.admin("pub").certificate(CertificateUnit.CALLMANAGER);
        assertThat(list.file().signer().serialNumber()).isEqualTo(callManager.getSerialNumber());
        assertThat(list.file().verifySignature(callManager.getPublicKey())).isTrue();
        cluster.admin("pub").setRollback(false);
        assertThat(itl("pub").isBlank()).isFalse();
        assertThat(itl("pub").verifiesItself()).isTrue();
    }

    @Test
    void hostnameChangeRegeneratesEverythingButItlRecovery() throws Exception {
        NodeAdmin pub = cluster.admin("pub");
        Node before = cluster.node("pub");
        String out = new AdminShell(cluster, "pub").execute("set network hostname newpub");
        assertThat(out).contains("newpub");
        Node after = cluster.node("newpub");
        assertThat(after.id()).isEqualTo("pub");
        for (CertificateUnit u : List.of(CertificateUnit.CALLMANAGER, CertificateUnit.TVS, CertificateUnit.TOMCAT)) {
            assertThat(after.certificate(u)).isNotEqualTo(before.certificate(u));
            assertThat(after.certificate(u).getSubjectX500Principal().getName()).contains("CN=newpub.lab.example");
        }
        assertThat(after.certificate(CertificateUnit.ITLRECOVERY)).isEqualTo(before.certificate(CertificateUnit.ITLRECOVERY));
        TrustList list = itl("newpub");
        assertThat(list.records().get(0).subjectName()).startsWith("CN=newpub.lab.example;");
        assertThat(list.records().get(4).subjectName()).startsWith("CN=ITLRECOVERY_pub.lab.example;");
        assertThat(resets).extracting(ResetEvent::reason).containsExactly(ResetEvent.Reason.NAME_CHANGED);
        // The rename started the hold timer.
        assertThatThrownBy(() -> pub.regenerateCertificate(CertificateUnit.TVS)).isInstanceOf(HoldTimerException.class);
        // And the shell on "pub" still reaches the renamed node.
        assertThat(new AdminShell(cluster, "newpub").execute("show itl")).contains("CN=newpub.lab.example");
    }

    @Test
    void itlRecoveryP12IsProtectedByTheSecurityPassword() throws Exception {
        byte[] p12 = cluster.admin("pub").itlRecoveryP12();
        KeyMaterial key = Pkcs12.read(p12, "s3cret".toCharArray());
        assertThat(key.certificate()).isEqualTo(cluster.admin("pub").certificate(CertificateUnit.ITLRECOVERY));
        assertThatThrownBy(() -> Pkcs12.read(p12, "wrong".toCharArray())).hasMessageContaining("wrong password");
        assertThatThrownBy(() -> cluster.admin("sub").itlRecoveryP12()).hasMessage("File not found");

        Path dir = state.resolve("export");
        String out = new AdminShell(cluster, "pub").workingDirectory(state).execute("file get tftp ITLRecovery.p12 export");
        assertThat(out).contains("Please wait while the system is gathering files info ...done.", "Number of files affected: 1",
                "Would you like to proceed [y/n]? y", "Transfer completed.", "Downloading file: /usr/local/cm/tftp/ITLRecovery.p12");
        assertThat(Pkcs12.read(java.nio.file.Files.readAllBytes(dir.resolve("ITLRecovery.p12")), "s3cret".toCharArray()).certificate())
                .isEqualTo(key.certificate());
    }

    @Test
    void aConfinedShellWritesAndReadsOnlyInsideItsWorkingDirectory() throws Exception {
        // The web panel's shell: a page must not choose where the recovery key goes.
        Path work = java.nio.file.Files.createDirectories(state.resolve("work"));
        Path outside = state.resolve("elsewhere");
        java.nio.file.Files.createSymbolicLink(work.resolve("link"), java.nio.file.Files.createDirectories(outside));
        // A dangling link: its target does not exist yet, and whoever made the link can make it later.
        java.nio.file.Files.createSymbolicLink(work.resolve("dangling"), outside.resolve("later"));
        AdminShell shell = new AdminShell(cluster, "pub").workingDirectory(work.resolve("x/..")).confined(true);
        for (String dir : List.of(outside.toString(), "../elsewhere", "sub/../../elsewhere", "link", "link/deeper", "dangling",
                "dangling/deeper")) {
            AdminShell.Result r = shell.run("file get tftp ITLRecovery.p12 " + dir);
            assertThat(r.refused()).as(dir).isTrue();
            assertThat(r.output()).as(dir).contains("outside the working directory")
                    .doesNotContain("gathering files info", "Would you like to proceed"); // refused before CUCM's dialogue starts
        }
        assertThat(outside.resolve("later")).doesNotExist();
        assertThat(outside.resolve("ITLRecovery.p12")).doesNotExist();
        assertThat(shell.run("utils itl reset remotekey /etc/hostname").output()).contains("outside the working directory");
        assertThat(shell.run("file get tftp ITLRecovery.p12 kept").refused()).isFalse();
        assertThat(work.resolve("kept").resolve("ITLRecovery.p12")).exists();
        // Unconfined (the CLI's own shell), a folder elsewhere is the user's choice.
        assertThat(new AdminShell(cluster, "pub").workingDirectory(work).run("file get tftp ITLRecovery.p12 ../elsewhere").refused()).isFalse();
        assertThat(outside.resolve("ITLRecovery.p12")).exists();
    }

    @Test
    void remoteKeyResetSignsWithTheSavedKeyAndReplacesTheLocalOne() throws Exception {
        Path saved = state.resolve("saved");
        AdminShell shell = new AdminShell(cluster, "pub").workingDirectory(state);
        shell.execute("file get tftp ITLRecovery.p12 saved");
        X509Certificate original = cluster.admin("pub").certificate(CertificateUnit.ITLRECOVERY);
        cluster.admin("pub").regenerateCertificate(CertificateUnit.ITLRECOVERY);
        assertThat(cluster.admin("pub").certificate(CertificateUnit.ITLRECOVERY)).isNotEqualTo(original);

        String out = shell.execute("utils itl reset remotekey sftp.example joe saved/ITLRecovery.p12");
        assertThat(out).startsWith("Enter Sftp password :\nProcessing token in else 0 tac\ncoutn is 1\n")
                .contains("The reset ITL file was generated successfully");
        assertThat(cluster.admin("pub").certificate(CertificateUnit.ITLRECOVERY)).isEqualTo(original);
        TrustList list = itl("sub");
        assertThat(signerOf(list)).isEqualTo(original);
        assertThat(list.verifiesItself()).isTrue();

        assertThat(shell.execute("utils itl reset remotekey saved/ITLRecovery.p12 wrong")).contains("wrong password");
        assertThat(saved.resolve("ITLRecovery.p12")).exists();
    }

    @Test
    void restoreWithoutTheCallManagerKeyBreaksTheItlUntilRegeneration() throws Exception {
        NodeAdmin pub = cluster.admin("pub");
        X509Certificate callManager = pub.certificate(CertificateUnit.CALLMANAGER);
        pub.backup("before");
        pub.restore("before", false);
        assertThat(resets).extracting(ResetEvent::reason).containsExactly(ResetEvent.Reason.RESTORED);
        TrustList broken = itl("pub");
        assertThat(broken.records().get(0).certificate()).contains(callManager);
        assertThat(broken.signerRecord()).isEmpty();
        assertThat(broken.verifiesItself()).isFalse();
        String show = pub.showItl();
        assertThat(show).doesNotContain("This etoken was used to sign the ITL file.");
        assertThat(show.lines()).contains("This etoken was not used to sign the ITL file.", "Verification of the ITL file failed.");

        pub.restore("before", true);
        assertThat(signerOf(itl("pub"))).isEqualTo(callManager);
        assertThat(itl("pub").verifiesItself()).isTrue();

        pub.restore("before", false);
        pub.regenerateCertificate(CertificateUnit.CALLMANAGER);
        assertThat(itl("pub").verifiesItself()).isTrue();
        assertThat(new AdminShell(cluster, "pub").execute("utils disaster_recovery show_backupfiles")).isEqualTo("before\n");
    }

    @Test
    void stateSurvivesARestart() throws Exception {
        cluster.admin("pub").regenerateCertificate(CertificateUnit.CALLMANAGER);
        cluster.admin("pub").resetItlLocalKey();
        Node before = cluster.node("pub");
        byte[] itlBefore = cluster.file("sub", "ITLFile.tlv").orElseThrow();
        cluster.close();

        cluster = Cluster.builder().spec(TestClusters.spec(TestClusters.twoNodes())).stateDirectory(state).clock(clock).build();
        Node after = cluster.node("pub");
        for (CertificateUnit u : CertificateUnit.values()) {
            assertThat(after.certificate(u)).isEqualTo(before.certificate(u));
        }
        assertThat(cluster.file("sub", "ITLFile.tlv").orElseThrow()).isEqualTo(itlBefore);
        assertThatThrownBy(() -> cluster.admin("pub").regenerateCertificate(CertificateUnit.TVS)).isInstanceOf(HoldTimerException.class);
        assertThat(state.resolve("nodes/pub/CallManager.pem")).exists();
        assertThat(state.resolve("tftp/sub/ITLFile.tlv")).hasBinaryContent(itlBefore);

        cluster.close();
        cluster = Cluster.builder().spec(TestClusters.spec(TestClusters.twoNodes())).stateDirectory(state).clock(clock)
                .freshState(true).build();
        assertThat(cluster.node("pub").certificate(CertificateUnit.CALLMANAGER)).isNotEqualTo(after.certificate(CertificateUnit.CALLMANAGER));
        cluster.admin("pub").regenerateCertificate(CertificateUnit.TVS);
    }

    @Test
    void anAdministratorsDeviceSecurityModeSurvivesARestartAndADamagedOneIsRefused() throws Exception {
        assertThat(new AdminShell(cluster, "pub").execute("set device security SEP001122334455 authenticated")).contains("Authenticated");
        assertThat(new AdminShell(cluster, "pub").execute("set device security SEP0011223344AA non-secure")).contains("Non Secure");
        assertThat(Files.readString(state.resolve(StateStore.PROPERTIES))).contains("device.SEP001122334455.securityMode=2",
                "device.SEP0011223344AA.securityMode=1");
        cluster.close();

        cluster = Cluster.builder().spec(TestClusters.spec(TestClusters.twoNodes())).stateDirectory(state).clock(clock).build();
        assertThat(cluster.securityMode("001122334455")).contains(2);
        assertThat(cluster.securityMode("0011223344AA")).contains(1);
        // What the registrars judge by and what the configuration file says, from the loaded state.
        assertThat(new String(cluster.file("pub", "SEP001122334455.cnf.xml").orElseThrow(), java.nio.charset.StandardCharsets.UTF_8))
                .contains("<deviceSecurityMode>2</deviceSecurityMode>");
        assertThat(cluster.registrarDirectory().device("SEP0011223344AA")).get().extracting(d -> d.securityMode()).isEqualTo(1);

        // A value no administrator could have set: the state is refused, with the file and the key named.
        cluster.close();
        Path props = state.resolve(StateStore.PROPERTIES);
        Files.writeString(props, Files.readString(props).replace("device.SEP001122334455.securityMode=2", "device.SEP001122334455.securityMode=7"));
        assertThatThrownBy(() -> Cluster.builder().spec(TestClusters.spec(TestClusters.twoNodes())).stateDirectory(state).clock(clock).build())
                .isInstanceOf(java.io.IOException.class)
                .hasMessage("state file " + props + " is damaged: device.SEP001122334455.securityMode is \"7\", not 1, 2 or 3");
        cluster = Cluster.builder().spec(TestClusters.spec(TestClusters.twoNodes())).stateDirectory(state).clock(clock).freshState(true).build();
        assertThat(cluster.securityMode("001122334455")).as("a fresh state starts from the cluster file").contains(1);
    }

    @Test
    void mixedModePublishesACtlSignedByTheEtokenThroughRenames() throws Exception {
        cluster.close();
        String yaml = TestClusters.twoNodes().replace("securityPassword: s3cret", "securityPassword: s3cret\n  mixedMode: true\n  ctlSigner: etoken");
        cluster = TestClusters.build(yaml, state.resolve("etoken"), clock);
        TrustList ctl = TrustList.parse(cluster.file("sub", "CTLFile.tlv").orElseThrow());
        assertThat(ctl.verifiesItself()).isTrue();
        assertThat(cluster.file("sub", "CTLSEP001122334455.tlv")).hasValueSatisfying(b -> assertThat(b).isEqualTo(ctl.file().bytes()));
        X509Certificate token = signerOf(ctl);
        assertThat(ctl.recordsWithRole(Role.CCM_TFTP)).hasSize(2);

        cluster.admin("pub").changeHostname("renamed");
        cluster.admin("pub").updateCtl();
        TrustList next = TrustList.parse(cluster.file("pub", "CTLFile.tlv").orElseThrow());
        assertThat(signerOf(next)).isEqualTo(token);
        assertThat(next.recordsWithRole(Role.CCM_TFTP).get(0).subjectName()).startsWith("CN=renamed.lab.example;");
        assertThat(cluster.admin("pub").showCtl()).contains("The CTL file was verified successfully.");
        assertThatThrownBy(() -> cluster.admin("sub").updateCtl()).hasMessage("This is not a Publisher Node");
    }
}
