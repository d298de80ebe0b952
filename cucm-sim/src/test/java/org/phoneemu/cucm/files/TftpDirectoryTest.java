package org.phoneemu.cucm.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TftpDirectoryTest {
    private static TftpFile file(String name) {
        return new TftpFile(name, name.getBytes(), Instant.EPOCH, new byte[0]);
    }

    @Test
    void namesAreLookedUpIgnoringCaseAsCucmDoes() {
        TftpDirectory d = new TftpDirectory(Map.of("ITLSEP00AB00000001.tlv", file("ITLSEP00AB00000001.tlv"),
                "SEP00AB00000001.cnf.xml.sgn", file("SEP00AB00000001.cnf.xml.sgn")));

        assertThat(d.get("itlsep00ab00000001.TLV")).map(TftpFile::name).contains("ITLSEP00AB00000001.tlv");
        assertThat(d.get("SEP00AB00000001.CNF.XML.SGN")).map(TftpFile::name).contains("SEP00AB00000001.cnf.xml.sgn");
        assertThat(d.get("ITLSEP00AB00000002.tlv")).isEmpty();
        assertThat(d.get("SEP00AB00000001.cnf.xml")).isEmpty();
        assertThat(d.files()).extracting(TftpFile::name).containsExactly("ITLSEP00AB00000001.tlv", "SEP00AB00000001.cnf.xml.sgn");
    }

    @Test
    void namesEqualIgnoringCaseAreOneFile() {
        TftpDirectory d = new TftpDirectory(new java.util.TreeMap<>(Map.of("a.tlv", file("a.tlv"), "A.TLV", file("A.TLV"))));

        assertThat(d.size()).isEqualTo(1);
        assertThat(d.get("a.tlv")).isEqualTo(d.get("A.tlv"));
    }
}
