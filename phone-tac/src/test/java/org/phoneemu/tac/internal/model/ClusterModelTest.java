package org.phoneemu.tac.internal.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.core.clock.VirtualClock;
import org.phoneemu.core.testing.Vectors;
import org.phoneemu.cucm.config.ClusterSpec;
import org.phoneemu.cucm.config.GroupSpec;
import org.phoneemu.tac.served.ClusterCopy;
import org.phoneemu.tac.served.NodeFiles;
import org.phoneemu.tac.served.ServedCluster;

/** The model of served files as a cluster file: what it reads from which file, and served files it cannot model. */
class ClusterModelTest {
    static final Instant NOW = Instant.parse("2026-01-01T09:00:00Z");
    static final Path TWO_NODE = Vectors.root().getParent().resolve("config/scenarios/clusters/two-node.yaml");

    private static ServedCluster served(Path cluster, Path state) throws Exception {
        try (ClusterCopy c = ClusterCopy.open(cluster, state, new VirtualClock(NOW))) {
            return c.served(List.of());
        }
    }

    private static ClusterSpec spec(ClusterModel m, Path tmp) throws Exception {
        Path f = tmp.resolve("model.yaml");
        Files.writeString(f, m.yaml());
        return ClusterSpec.load(f);
    }

    /** {@code served} with {@code name} of its first node replaced. */
    private static ServedCluster with(ServedCluster served, String name, byte[] bytes) {
        NodeFiles first = served.firstNode();
        Map<String, byte[]> files = new HashMap<>(first.files());
        files.put(name, bytes);
        List<NodeFiles> nodes = new java.util.ArrayList<>(served.nodes());
        nodes.set(0, new NodeFiles(first.node(), first.address(), files));
        return new ServedCluster(served.label(), nodes, served.devices(), Optional.empty());
    }

    @Test
    void nodesGroupsAndThePublisherComeFromTheTrustListsAndTheDefaultConfig(@TempDir Path tmp) throws Exception {
        ServedCluster live = served(TWO_NODE, tmp.resolve("state"));
        ClusterModel m = ClusterModel.of(live);
        ClusterSpec spec = spec(m, tmp);
        ClusterSpec original = ClusterSpec.load(TWO_NODE);
        assertThat(spec.nodes()).extracting(n -> n.hostname()).containsExactlyElementsOf(original.nodes().stream().map(n -> n.hostname()).toList());
        assertThat(spec.groups()).extracting(GroupSpec::members).containsExactly(original.groups().get(0).members());
        assertThat(m.publisher()).isEqualTo(original.nodes().get(0).hostname());
        assertThat(spec.digest()).isEqualTo(original.digest());
        assertThat(m.itlSignedByRecovery()).isFalse();
    }

    @Test
    void aGroupNamingItsNodesByAddressTakesTheTvsRecordsInOrderAndSaysSo(@TempDir Path tmp) throws Exception {
        ServedCluster live = served(TWO_NODE, tmp.resolve("state"));
        String xml = new String(live.firstNode().get("XMLDefault.cnf.xml").orElseThrow(), StandardCharsets.UTF_8);
        ClusterSpec original = ClusterSpec.load(TWO_NODE);
        String byAddress = xml;
        for (var n : original.nodes()) {
            byAddress = byAddress.replace("<processNodeName>" + n.hostname() + "." + original.domain() + "</processNodeName>",
                    "<processNodeName>" + n.address().getHostAddress() + "</processNodeName>");
        }
        assertThat(byAddress).isNotEqualTo(xml);
        ClusterModel m = ClusterModel.of(with(live, "XMLDefault.cnf.xml", byAddress.getBytes(StandardCharsets.UTF_8)));
        assertThat(spec(m, tmp).groups()).extracting(GroupSpec::members).containsExactly(original.groups().get(0).members());
        // The addresses are those the cluster was read at: no guess, no note.
        assertThat(m.notes()).noneMatch(n -> n.contains("the next TVS record of the ITL"));
    }

    @Test
    void valuesFromTheFilesAreQuotedNeverReadAsYaml(@TempDir Path tmp) throws Exception {
        ServedCluster live = served(TWO_NODE, tmp.resolve("state"));
        String mac = live.devices().get(0).mac();
        String plain = new String(live.firstNode().get("SEP" + mac + ".cnf.xml").orElseThrow(), StandardCharsets.UTF_8);
        String hostileLoad = "SIP\"}\ndevices: [{mac: \"000000000000\"}] # \\";
        String changed = plain.replaceFirst("<loadInformation>[^<]*</loadInformation>", java.util.regex.Matcher.quoteReplacement(
                "<loadInformation>" + hostileLoad.replace("&", "&amp;").replace("\"", "&quot;") + "</loadInformation>"));
        assertThat(changed).isNotEqualTo(plain);
        ServedCluster served = with(live, "SEP" + mac + ".cnf.xml", changed.getBytes(StandardCharsets.UTF_8));
        Map<String, byte[]> files = new HashMap<>(served.firstNode().files());
        files.remove("SEP" + mac + ".cnf.xml.sgn"); // the plain config is then the one read
        NodeFiles first = new NodeFiles(served.firstNode().node(), served.firstNode().address(), files);
        List<NodeFiles> nodes = new java.util.ArrayList<>(served.nodes());
        nodes.set(0, first);
        ClusterSpec spec = spec(ClusterModel.of(new ServedCluster("x", nodes, served.devices(), Optional.empty())), tmp);
        assertThat(spec.device(mac).orElseThrow().loadInformation()).isEqualTo(hostileLoad);
        assertThat(spec.device("000000000000")).isEmpty();
    }

    /** {@code config} with its CallManager group's members renamed, in order, to {@code names}. */
    private static byte[] members(byte[] config, String... names) {
        String xml = new String(config, StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<processNodeName>[^<]*</processNodeName>").matcher(xml);
        int i = 0;
        // The group's members come first; the CAPF list's processNodeName after them stays.
        while (i < names.length && m.find()) {
            m.appendReplacement(out, "<processNodeName>" + names[i++] + "</processNodeName>");
        }
        m.appendTail(out);
        assertThat(i).isEqualTo(names.length);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** {@code live} with the plain config of {@code mac} replaced (and its .sgn gone, so the plain one is read). */
    private static ServedCluster withPlainConfig(ServedCluster live, String mac, byte[] config) {
        ServedCluster changed = with(live, "SEP" + mac + ".cnf.xml", config);
        Map<String, byte[]> files = new HashMap<>(changed.firstNode().files());
        files.remove("SEP" + mac + ".cnf.xml.sgn");
        List<NodeFiles> nodes = new java.util.ArrayList<>(changed.nodes());
        nodes.set(0, new NodeFiles(changed.firstNode().node(), changed.firstNode().address(), files));
        return new ServedCluster(changed.label(), nodes, changed.devices(), Optional.empty());
    }

    @Test
    void anAddressNamesTheSameNodeInEveryGroupWhateverTheOrder(@TempDir Path tmp) throws Exception {
        ServedCluster live = served(TWO_NODE, tmp.resolve("state"));
        ClusterSpec original = ClusterSpec.load(TWO_NODE);
        List<String> hosts = original.groups().get(0).members();
        String mac = "001122334455";
        byte[] plain = live.firstNode().get("SEP" + mac + ".cnf.xml").orElseThrow();
        byte[] xmlDefault = live.firstNode().get("XMLDefault.cnf.xml").orElseThrow();
        // Addresses the cluster was not read at: the first one met takes the first TVS record, and keeps it.
        ServedCluster changed = withPlainConfig(with(live, "XMLDefault.cnf.xml", members(xmlDefault, "10.9.9.1", "10.9.9.2")), mac,
                members(plain, "10.9.9.2", "10.9.9.1"));
        ClusterModel guessed = ClusterModel.of(changed);
        ClusterSpec spec = spec(guessed, tmp);
        assertThat(spec.groups()).extracting(GroupSpec::members)
                .containsExactly(hosts, List.of(hosts.get(1), hosts.get(0)));
        assertThat(guessed.notes()).filteredOn(n -> n.contains("is taken as") && n.contains("the next TVS record of the ITL")).hasSize(2);
        assertThat(spec.device(mac).orElseThrow().group()).isNotEqualTo("Default");
        // The addresses the cluster was read at name their nodes exactly, whatever order a group lists them in.
        List<String> read = live.nodes().stream().map(NodeFiles::address).toList();
        assertThat(read).hasSize(2);
        ServedCluster exact = with(live, "XMLDefault.cnf.xml", members(xmlDefault, read.get(1), read.get(0)));
        ClusterModel m = ClusterModel.of(exact);
        assertThat(spec(m, tmp).groups().get(0).members()).containsExactly(hosts.get(1), hosts.get(0));
        assertThat(m.notes()).noneMatch(n -> n.contains("the next TVS record of the ITL"));
    }

    @Test
    void withoutADefaultConfigADeviceWithoutAGroupStillGetsADeclaredOne(@TempDir Path tmp) throws Exception {
        ServedCluster live = served(TWO_NODE, tmp.resolve("state"));
        Map<String, byte[]> files = new HashMap<>(live.firstNode().files());
        files.remove("XMLDefault.cnf.xml");
        List<NodeFiles> nodes = new java.util.ArrayList<>(live.nodes());
        nodes.set(0, new NodeFiles(live.firstNode().node(), live.firstNode().address(), files));
        ServedCluster noDefault = new ServedCluster("x", nodes, live.devices(), Optional.empty());
        // One device names its group (subscriber first); the encrypted one names none.
        String mac = "001122334455";
        List<String> read = live.nodes().stream().map(NodeFiles::address).toList();
        ServedCluster changed = withPlainConfig(noDefault, mac, members(live.firstNode().get("SEP" + mac + ".cnf.xml").orElseThrow(),
                read.get(1), read.get(0)));
        ClusterSpec spec = spec(ClusterModel.of(changed), tmp);
        assertThat(spec.device("001122334477").orElseThrow().group()).isIn(spec.groups().stream().map(GroupSpec::name).toList());
    }

    @Test
    void charactersYamlRefusesEvenQuotedAreWrittenAsEscapes() {
        for (String v : List.of("a\u0085b\u007fc\u009f", "emoji \ud83d\ude00", "lone \ud800 half", "\ufffe\uffff", "tab\tnl\n")) {
            String yaml = "v: " + ClusterModelYaml.q(v) + "\n";
            Object read = new org.yaml.snakeyaml.Yaml().load(yaml);
            String back = (String) ((Map<?, ?>) read).get("v");
            assertThat(back).isEqualTo(v.replace('\ud800', '\ufffd'));
        }
    }

    @Test
    void aNodeNameThatIsNotAHostNameIsRefusedWithItsName(@TempDir Path tmp) throws Exception {
        ServedCluster live = served(TWO_NODE, tmp.resolve("state"));
        String xml = new String(live.firstNode().get("XMLDefault.cnf.xml").orElseThrow(), StandardCharsets.UTF_8);
        String hostile = xml.replaceFirst("<processNodeName>[^<]*</processNodeName>", "<processNodeName>x evil.lab.example</processNodeName>");
        assertThatThrownBy(() -> ClusterModel.of(with(live, "XMLDefault.cnf.xml", hostile.getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(ModelException.class).hasMessage("the node name x evil.lab.example in the served files is not a host name");
    }

    @Test
    void aClusterWithoutAnItlOrWithABlankOneCannotBeModelled(@TempDir Path tmp) throws Exception {
        ServedCluster live = served(TWO_NODE, tmp.resolve("state"));
        Map<String, byte[]> none = new HashMap<>(live.firstNode().files());
        none.remove("ITLFile.tlv");
        ServedCluster noItl = new ServedCluster("x", List.of(new NodeFiles("n", "127.0.0.1", none)), List.of(), Optional.empty());
        assertThatThrownBy(() -> ClusterModel.of(noItl)).isInstanceOf(ModelException.class).hasMessageContaining("serves no ITLFile.tlv");
        ServedCluster garbage = with(live, "ITLFile.tlv", new byte[] {1, 2, 3});
        assertThatThrownBy(() -> ClusterModel.of(garbage)).isInstanceOf(ModelException.class).hasMessageContaining("does not parse");
    }
}
