package org.phoneemu.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.phoneemu.cucm.config.ClusterSpecException;
import org.phoneemu.tac.served.ClusterCopy;
import org.phoneemu.tac.served.Device;
import org.phoneemu.tac.served.DevicesCsv;
import org.phoneemu.tac.served.ServedCluster;
import org.phoneemu.tac.served.TftpReader;
import org.phoneemu.tac.served.UnreachableClusterException;
import picocli.CommandLine.Option;

/** The cluster a TAC tool reads: a cluster file with its saved state (copied, never changed), or a live cluster over TFTP. */
final class ClusterInput {
    @Option(names = "--cluster", paramLabel = "FILE", description = "a simulated cluster: its cluster file (the saved state is read from a copy)")
    Path clusterFile;

    @Option(names = "--state", paramLabel = "DIR", description = "the cluster's state directory (default: .phone-emu/cluster-<name>, as cucm commands use)")
    Path state;

    @Option(names = "--tftp", paramLabel = "HOST[:PORT]", description = "a live cluster, read-only over TFTP (port 69 by default); repeat for more TFTP nodes")
    List<String> tftp = new ArrayList<>();

    @Option(names = "--devices", paramLabel = "devices.csv", description = "phones to look at: MAC[,model] per line (default: the cluster file's devices)")
    Path devices;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "2s", description = "TFTP timeout per try (default: ${DEFAULT-VALUE})")
    String timeout;

    @Option(names = "--https-port", paramLabel = "PORT", defaultValue = "6971",
            description = "with --tftp: the HTTPS provisioning port whose certificate is read on each TFTP host (a TLS handshake, no request; 0: not read; default: ${DEFAULT-VALUE})")
    int httpsPort;

    void check() {
        if ((clusterFile == null) == tftp.isEmpty()) {
            throw new UserError(PhoneEmu.BAD_INPUT, "give either --cluster FILE or --tftp HOST[:PORT]");
        }
        if (clusterFile != null) {
            clusterFile = UserInput.clusterFile(clusterFile);
        }
    }

    List<Device> devices() {
        if (devices == null) {
            return List.of();
        }
        try {
            return DevicesCsv.read(devices);
        } catch (IOException e) {
            // DevicesFile words every problem (the file, the line, what was expected)
            throw new UserError(PhoneEmu.BAD_INPUT, e.getMessage());
        }
    }

    Path stateDirectory() {
        return state != null ? state : ClusterCopy.defaultStateDirectory(clusterFile);
    }

    ClusterCopy openCopy(Clock clock) {
        try {
            return ClusterCopy.open(clusterFile, stateDirectory(), clock);
        } catch (ClusterSpecException e) {
            throw new UserError(PhoneEmu.BAD_INPUT, e.getMessage());
        } catch (IOException e) {
            throw new UserError(PhoneEmu.BAD_INPUT, "cannot read the cluster state: " + e.getMessage());
        }
    }

    /** Reads a live cluster: every --tftp server, read requests only. */
    ServedCluster readTftp() {
        return readTftp(devices());
    }

    /** Reads a live cluster for {@code ds}: every --tftp server, read requests only. */
    ServedCluster readTftp(List<Device> ds) {
        List<InetSocketAddress> servers = new ArrayList<>();
        for (String s : tftp) {
            servers.add(UserInput.address("--tftp", s, 69));
        }
        try {
            if (httpsPort < 0 || httpsPort > 65535) {
                throw new UserError(PhoneEmu.BAD_INPUT, "--https-port must be 0-65535");
            }
            return new TftpReader(Durations.parse(timeout, "--timeout"), 3).withProvisioningPort(httpsPort).read(servers, ds);
        } catch (UnreachableClusterException e) {
            throw new UserError(PhoneEmu.BAD_INPUT, e.getMessage());
        }
    }
}
