package org.phoneemu.tvs.fuzz;

import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.phoneemu.tvs.frame.TvsFrame;
import org.phoneemu.tvs.frame.TvsFrameDecoder;
import org.phoneemu.tvs.frame.TvsFrameEncoder;
import org.phoneemu.tvs.frame.TvsFrameException;

/**
 * Coverage-guided fuzzing (Jazzer) of the TVS frame decoder, which reads whatever a TVS peer sends (docs/FUZZING.md).
 * The contract: for any bytes, {@link TvsFrameDecoder#decodeOne} returns frames, asks for more bytes, or throws
 * {@link TvsFrameException}, nothing else; every accessor of a decoded frame answers; a decoded frame encodes back
 * to the bytes it came from.
 */
class TvsFrameFuzzTest {
    static final String SHORT_RUN = "5s";

    static Stream<Arguments> seeds() {
        return Stream.of(
                TvsFrame.verifyRequest(7, "CP-7970-SEP001122334455", new byte[] {0x30, 0x03, 0x02, 0x01, 0x01}),
                TvsFrame.verifyResponse(7, TvsFrame.STATUS_VALID, List.of(0, 2), OptionalLong.of(86400)),
                TvsFrame.verifyResponseInvalid(8, TvsFrame.STATUS_INVALID),
                TvsFrame.queryRequest(9, "CP-7970-SEP001122334455", Optional.of("CN=x"), Optional.empty(), Optional.empty()),
                TvsFrame.queryResponse(9, TvsFrame.STATUS_VALID, Optional.of(new byte[] {1, 2, 3})))
                .map(f -> {
                    ByteBuf b = Unpooled.buffer();
                    TvsFrameEncoder.encode(f, b);
                    byte[] bytes = new byte[b.readableBytes()];
                    b.readBytes(bytes);
                    return arguments(bytes);
                });
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = SHORT_RUN)
    void decodeFrames(byte[] data) {
        ByteBuf in = Unpooled.wrappedBuffer(data);
        while (true) {
            int start = in.readerIndex();
            TvsFrame frame;
            try {
                frame = TvsFrameDecoder.decodeOne(in, TvsFrameDecoder.DEFAULT_MAX_FRAME_LENGTH);
            } catch (TvsFrameException expected) {
                return;
            }
            if (frame == null) {
                return;
            }
            frame.deviceName();
            frame.certificate();
            frame.status();
            frame.isValid();
            frame.roles();
            frame.ttlSeconds();
            frame.subjectName();
            frame.issuerName();
            frame.serialNumber();
            frame.toString();
            byte[] original = new byte[in.readerIndex() - start];
            in.getBytes(start, original);
            ByteBuf again = Unpooled.buffer();
            TvsFrameEncoder.encode(frame, again);
            byte[] encoded = new byte[again.readableBytes()];
            again.readBytes(encoded);
            if (!java.util.Arrays.equals(original, encoded)) {
                throw new IllegalStateException("frame does not encode back to its bytes: " + HexFormat.of().formatHex(original)
                        + " -> " + HexFormat.of().formatHex(encoded));
            }
        }
    }
}
