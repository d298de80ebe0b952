package org.phoneemu.tac.predict;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.core.testing.Vectors;
import org.phoneemu.tac.internal.model.ClusterModel;
import org.phoneemu.tac.served.NodeFiles;
import org.phoneemu.tac.served.ServedCluster;

/**
 * ITLs written by an independent implementation of the CUCM side (test-vectors/interop) are modelled as this project's
 * simulated cluster would serve them: the same signer, digest and records as the phones' rules read them, though
 * that implementation writes other name attributes, another record order and whole certificates where the simulator
 * writes hashes. The ITL signed by the ITLRecovery key is reached on the model with utils itl reset localkey.
 */
class IndependentItlModelTest {
    @ParameterizedTest
    @ValueSource(strings = {"ITLFile.tlv", "ITLFile-after-callmanager-regen.tlv", "ITLFile-signed-by-itlrecovery.tlv"})
    void theModelOfAnotherImplementationsItlServesTheSameListAsThePhonesReadIt(String name, @TempDir Path tmp) throws Exception {
        byte[] itl = Files.readAllBytes(Vectors.root().resolve("interop/itl").resolve(name));
        ServedCluster live = new ServedCluster("interop " + name, List.of(new NodeFiles("pub", "10.0.0.1", Map.of("ITLFile.tlv", itl))),
                List.of(), Optional.empty());
        ClusterModel model = ClusterModel.of(live);
        assertThat(model.itlSignedByRecovery()).isEqualTo(name.contains("itlrecovery"));
        Path file = tmp.resolve("model.yaml");
        Files.writeString(file, model.yaml());
        List<String> warnings = new ArrayList<>();
        List<String> differences = ModelledPrediction.realise(model, live, Instant.parse("2026-01-01T00:00:00Z"), file,
                tmp.resolve("state"), warnings);
        assertThat(warnings).isEmpty();
        assertThat(differences).as(model.yaml()).isEmpty();
    }
}
