package org.phoneemu.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceListTest {
    @TempDir
    Path tmp;

    @Test
    void readsHeaderCommentsAndBothColumnSets() throws Exception {
        Files.writeString(tmp.resolve("lsc.pem"), "x");
        Path f = write("# lab phones\n", "mac,model,lsc_pem\n", "001122334455,7970\n", "\n",
                "  sep00:11:22:33:44:66 , 8841 , lsc.pem\n", "# done\n");
        List<Device> d = DeviceList.read(f);
        assertThat(d).extracting(Device::mac).containsExactly("001122334455", "001122334466");
        assertThat(d.get(0).model()).isEqualTo("7970");
        assertThat(d.get(0).lscPem()).isEmpty();
        assertThat(d.get(1).lscPem()).contains(tmp.resolve("lsc.pem").toAbsolutePath());
    }

    @Test
    void theHeaderIsOptionalAndTheModelDefaults() throws Exception {
        List<Device> d = DeviceList.read(write("001122334455\n", "SEP001122334466;8845\n", "00-11-22-33-44-77,7965g\n"));
        assertThat(d).extracting(Device::mac).containsExactly("001122334455", "001122334466", "001122334477");
        assertThat(d).extracting(Device::model).containsExactly("7970", "8845", "7965G");
    }

    @Test
    void aModelThatIsNotOneAFolderAndABinaryFileAreOneLineNamingTheFile() throws Exception {
        Path banana = write("001122334456,banana\n");
        assertThatThrownBy(() -> DeviceList.read(banana)).isInstanceOf(DeviceList.DeviceListException.class)
                .hasMessage("devices file " + banana + " line 1: 'banana' is not a phone model (e.g. 7970, 8845 or 7965G)");
        assertThatThrownBy(() -> DeviceList.read(tmp)).isInstanceOf(DeviceList.DeviceListException.class)
                .hasMessage("devices file " + tmp + ": is a folder, not a file");
        Path binary = Files.write(tmp.resolve("noise.csv"), new byte[] {(byte) 0xC3, 0x28, 0, 1, 2});
        assertThatThrownBy(() -> DeviceList.read(binary)).isInstanceOf(DeviceList.DeviceListException.class)
                .hasMessage("devices file " + binary + ": not a text file (binary, or not UTF-8 text)");
        Path longLine = Files.writeString(tmp.resolve("long.csv"), "mac,model\n" + "0".repeat(10_000) + "\n");
        assertThatThrownBy(() -> DeviceList.read(longLine)).isInstanceOf(DeviceList.DeviceListException.class)
                .hasMessage("devices file " + longLine + ": line 2 is longer than the limit of 4096 characters");
    }

    @Test
    void aMalformedLineNamesItsLineNumber() throws Exception {
        Path f = write("mac,model\n", "001122334455,7970\n", "# comment\n", "00112233445,7970\n");
        assertThatThrownBy(() -> DeviceList.read(f)).isInstanceOf(DeviceList.DeviceListException.class)
                .hasMessageContaining("line 4").hasMessageContaining("'00112233445' is not a MAC")
                .extracting(e -> ((DeviceList.DeviceListException) e).line()).isEqualTo(4);
    }

    @Test
    void refusesWrongColumnCountsDuplicatesAndMissingLscFiles() throws Exception {
        assertThatThrownBy(() -> DeviceList.read(write("mac,model\n", "001122334455,7970,,x\n"))).hasMessageContaining("line 2")
                .hasMessageContaining("found 4");
        assertThatThrownBy(() -> DeviceList.read(write("mac,model\n", "001122334455,7970\n", "001122334455,8841\n")))
                .hasMessageContaining("line 3").hasMessageContaining("listed twice");
        assertThatThrownBy(() -> DeviceList.read(write("mac,model,lsc_pem\n", "001122334455,7970,nope.pem\n")))
                .hasMessageContaining("line 2").hasMessageContaining("does not exist");
        assertThatThrownBy(() -> DeviceList.read(write("mac,model\n", "001122334455,79 70\n"))).hasMessageContaining("line 2")
                .hasMessageContaining("not a phone model");
        assertThatThrownBy(() -> DeviceList.read(write("mac,model\n"))).hasMessageContaining("no phones");
    }

    @Test
    void generatedMacsCountUpInHex() {
        List<Device> d = DeviceList.generated("00AB000000FE", 3, "8841");
        assertThat(d).extracting(Device::mac).containsExactly("00AB000000FE", "00AB000000FF", "00AB00000100");
        assertThatThrownBy(() -> DeviceList.generated("FFFFFFFFFFFF", 2, "7970")).hasMessageContaining("past FFFFFFFFFFFF");
        assertThatThrownBy(() -> DeviceList.generated("00AB", 2, "7970")).hasMessageContaining("12 hex digits");
    }

    private Path write(String... lines) throws Exception {
        Path f = Files.createTempFile(tmp, "devices", ".csv");
        Files.writeString(f, String.join("", lines));
        return f;
    }
}
