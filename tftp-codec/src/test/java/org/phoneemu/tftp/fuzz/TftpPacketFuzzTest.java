package org.phoneemu.tftp.fuzz;

import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.phoneemu.tftp.packet.TftpPacket;
import org.phoneemu.tftp.packet.TftpPacketCodec;
import org.phoneemu.tftp.packet.TftpPacketException;

/**
 * Coverage-guided fuzzing (Jazzer) of the TFTP packet codec, which reads every datagram a server or client receives
 * (docs/FUZZING.md). The contract: for any bytes, {@link TftpPacketCodec#decode} returns a packet or throws
 * {@link TftpPacketException}, nothing else; a decoded packet encodes and decodes to an equal packet.
 */
class TftpPacketFuzzTest {
    static final String SHORT_RUN = "5s";

    static Stream<Arguments> seeds() {
        return Stream.of(
                "\0\1ITLFile.tlv\0octet\0blksize\0001428\0tsize\0000\0timeout\0003\0",
                "\0\2SEP001122334455.cnf.xml\0octet\0",
                "\0\3\0\1hello",
                "\0\4\0\1",
                "\0\5\0\1File not found\0",
                "\0\6blksize\0001428\0tsize\0004569\0")
                .map(s -> arguments((Object) s.getBytes(StandardCharsets.ISO_8859_1)));
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = SHORT_RUN)
    void decodePacket(byte[] data) {
        TftpPacket packet;
        try {
            packet = TftpPacketCodec.decode(Unpooled.wrappedBuffer(data));
        } catch (TftpPacketException expected) {
            return;
        }
        packet.toString();
        byte[] encoded = TftpPacketCodec.toBytes(packet);
        TftpPacket again;
        try {
            again = TftpPacketCodec.decode(Unpooled.wrappedBuffer(encoded));
        } catch (TftpPacketException e) {
            throw new IllegalStateException("a decoded packet does not decode again after encoding: " + packet, e);
        }
        if (!java.util.Arrays.equals(TftpPacketCodec.toBytes(again), encoded)) {
            throw new IllegalStateException("encoding is not stable: " + packet + " -> " + again);
        }
    }
}
