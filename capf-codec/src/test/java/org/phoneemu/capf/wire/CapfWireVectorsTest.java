package org.phoneemu.capf.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fixed wire vectors of {@code test-vectors/capf/manifest.json}: the strict decoder accepts every case as one
 * whole message and writes it back unchanged, and the factories (what the phone's client and the simulated CAPF
 * server send) produce exactly the bytes of every encodable case.
 */
class CapfWireVectorsTest {
    private static final long S = 7;
    private static final String DEVICE = "SEP001122334455";
    private static JsonNode manifest;

    @BeforeAll
    static void load() throws IOException {
        Path p = Path.of("..", "test-vectors", "capf", "manifest.json");
        manifest = new ObjectMapper().readTree(Files.readString(p));
        assertThat(manifest.get("testCases").size()).isEqualTo(manifest.get("numberOfTests").asInt());
    }

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    private static byte[] encode(CapfMessage m) {
        ByteBuf b = Unpooled.buffer();
        CapfMessageEncoder.write(m, b);
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        return out;
    }

    /** What the code builds for each encodable case, keyed "flow/message[#n]". */
    private static Map<String, Supplier<CapfMessage>> factories() {
        byte[] spki = hex("30820122300d06092a864886f70d01010105000382010f00" + "00".repeat(8));
        byte[] lsc = hex("3003020101");
        byte[] mic = hex("3003020102");
        byte[] sig1 = hex("a5".repeat(16));
        CapfSignature sig2 = new CapfSignature(CapfTag.HASH_SHA512, hex("5a".repeat(16)));
        Map<String, Supplier<CapfMessage>> f = new LinkedHashMap<>();
        for (String flow : new String[] {"install-null-string-rsa2048", "install-auth-string-ec-p256", "install-by-lsc", "install-by-mic"}) {
            f.put(flow + "/AUTH_REQUEST", () -> CapfMessage.authRequest(S, 3, CapfTag.AUTH_NONE));
        }
        f.put("install-null-string-rsa2048/AUTH_RESPONSE", () -> CapfMessage.authResponse(S, 3, DEVICE, Optional.empty(), Optional.empty()));
        f.put("install-null-string-rsa2048/KEY_GENERATE_REQUEST", () -> CapfMessage.keyGenerateRsa(S, 2048));
        f.put("install-null-string-rsa2048/REQUEST_IN_PROGRESS", () -> CapfMessage.requestInProgress(S));
        f.put("install-null-string-rsa2048/KEY_GENERATE_RESPONSE", () -> CapfMessage.keyGenerateResponse(S, spki));
        f.put("install-null-string-rsa2048/STORE_CERTIFICATE_REQUEST", () -> CapfMessage.storeCertificateRequest(S, lsc));
        f.put("install-null-string-rsa2048/STORE_CERTIFICATE_RESPONSE",
                () -> CapfMessage.withReason(CapfOpcode.STORE_CERTIFICATE_RESPONSE, S, CapfReason.SUCCESS));
        f.put("install-null-string-rsa2048/END_SESSION", () -> CapfMessage.endSession(S, CapfReason.SUCCESS));
        f.put("install-auth-string-ec-p256/AUTH_RESPONSE", () -> CapfMessage.authResponse(S, 3, DEVICE, Optional.of("123456"), Optional.empty()));
        f.put("install-auth-string-ec-p256/KEY_GENERATE_REQUEST", () -> CapfMessage.keyGenerateEc(S, CapfTag.CURVE_P256));
        f.put("install-by-lsc/AUTH_RESPONSE", () -> CapfMessage.authResponse(S, 3, DEVICE, Optional.empty(),
                Optional.of(new CapfProof(new CapfCertificate(CapfTag.CERTIFICATE_LSC, lsc), sig1, sig2))));
        f.put("install-by-mic/AUTH_RESPONSE", () -> CapfMessage.authResponse(S, 3, DEVICE, Optional.empty(),
                Optional.of(new CapfProof(new CapfCertificate(CapfTag.CERTIFICATE_MIC, mic), sig1, sig2))));
        f.put("fetch/FETCH_CERTIFICATE_REQUEST", () -> CapfMessage.fetchCertificateRequest(S));
        f.put("fetch/FETCH_CERTIFICATE_RESPONSE",
                () -> CapfMessage.fetchCertificateResponse(S, new CapfCertificate(CapfTag.CERTIFICATE_LSC, lsc)));
        f.put("fetch/END_SESSION", () -> CapfMessage.endSession(S, CapfReason.NO_ACTION));
        f.put("delete/DELETE_CERTIFICATE_REQUEST", () -> CapfMessage.deleteCertificateRequest(S));
        f.put("delete/DELETE_CERTIFICATE_RESPONSE",
                () -> CapfMessage.withReason(CapfOpcode.DELETE_CERTIFICATE_RESPONSE, S, CapfReason.SUCCESS));
        f.put("delete/END_SESSION", () -> CapfMessage.endSession(S, CapfReason.SUCCESS));
        f.put("refusals/END_SESSION", () -> CapfMessage.endSession(S, CapfReason.UNKNOWN_DEVICE));
        f.put("refusals/END_SESSION#2", () -> CapfMessage.endSession(S, CapfReason.NO_ACTION));
        f.put("refusals/END_SESSION#3", () -> CapfMessage.endSession(S, CapfReason.INVALID_ELEMENT));
        f.put("refusals/RETRY_LATER", () -> CapfMessage.retryLater(S, 60));
        return f;
    }

    @Test
    void theStrictDecoderAcceptsEveryCaseAsOneMessageAndWritesItBackUnchanged() {
        for (JsonNode c : manifest.get("testCases")) {
            byte[] wire = hex(c.get("hex").asText());
            EmbeddedChannel ch = new EmbeddedChannel(new CapfMessageDecoder());
            ch.writeInbound(Unpooled.wrappedBuffer(wire));
            CapfMessage m = ch.readInbound();
            assertThat(m).as("case %s", c.get("tcId")).isNotNull();
            assertThat((Object) ch.readInbound()).as("case %s: one message", c.get("tcId")).isNull();
            assertThat(ch.isOpen()).isTrue();
            assertThat(m.opcode().name()).as("case %s", c.get("tcId")).isEqualTo(c.get("message").asText());
            assertThat(encode(m)).as("case %s re-encoded", c.get("tcId")).isEqualTo(wire);
        }
    }

    @Test
    void theFactoriesProduceEveryEncodableCase() {
        Map<String, Supplier<CapfMessage>> f = factories();
        Map<String, Integer> seen = new LinkedHashMap<>();
        int encodable = 0;
        for (JsonNode c : manifest.get("testCases")) {
            if (!c.get("encodable").asBoolean()) {
                continue;
            }
            encodable++;
            String key = c.get("flow").asText() + "/" + c.get("message").asText();
            int n = seen.merge(key, 1, Integer::sum);
            String k = n == 1 ? key : key + "#" + n;
            assertThat(f).as("a factory for case %s (%s)", c.get("tcId"), k).containsKey(k);
            assertThat(HexFormat.of().formatHex(encode(f.get(k).get()))).as("case %s (%s): %s", c.get("tcId"), k,
                    c.get("comment").asText()).isEqualTo(c.get("hex").asText());
        }
        assertThat(encodable).isEqualTo(f.size());
    }

    private static CapfMessage decoded(int tcId) {
        for (JsonNode c : manifest.get("testCases")) {
            if (c.get("tcId").asInt() == tcId) {
                EmbeddedChannel ch = new EmbeddedChannel(new CapfMessageDecoder());
                ch.writeInbound(Unpooled.wrappedBuffer(hex(c.get("hex").asText())));
                return ch.readInbound();
            }
        }
        throw new AssertionError("no case " + tcId);
    }

    @Test
    void retryDelayIsReadInOneTwoOrFourBytesAndTheIndependentOrderAsWell() {
        assertThat(decoded(25).retryDelay()).hasValue(60);
        assertThat(decoded(29).retryDelay()).hasValue(60);
        assertThat(decoded(30).retryDelay()).hasValue(3600);
        CapfMessage sizeFirst = decoded(31);
        assertThat(sizeFirst.keyType()).hasValue(CapfTag.KEY_RSA);
        assertThat(sizeFirst.keySize()).hasValue(2048);
        EmbeddedChannel ch = new EmbeddedChannel(new CapfMessageDecoder());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ch.writeInbound(Unpooled.wrappedBuffer(hex("55100000000700060c0003000e10"))))
                .hasMessageContaining("must be 1, 2 or 4 bytes, is 3");
        assertThat(ch.isOpen()).as("3 bytes of RETRY_DELAY").isFalse();
    }
}
