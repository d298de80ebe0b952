package org.phoneemu.core.sip;

import org.phoneemu.core.config.DigestCredentials;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.phoneemu.core.config.PhoneConfigParser;

/** The digest computation against the RFCs' worked examples, the challenge reading, and the phone's decision on a challenge. */
class DigestTest {
    @Test
    void rfc2617WorkedExample() {
        // RFC 2617 §3.5: GET /dir/index.html, Mufasa / "Circle Of Life", qop=auth, nc=00000001, cnonce 0a4f113b.
        DigestChallenge c = DigestChallenge.parse("Digest realm=\"testrealm@host.com\", qop=\"auth,auth-int\", "
                + "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"").orElseThrow();
        assertThat(c.algorithm()).isEqualTo(DigestAlgorithm.MD5);
        assertThat(c.qop()).containsExactly("auth", "auth-int");
        DigestAuthorization a = DigestAuthorization.answer(c, new DigestCredentials("Mufasa", "Circle Of Life"), "GET",
                "/dir/index.html", "0a4f113b", 1);
        assertThat(a.response()).isEqualTo("6629fae49393a05397450978507c4ef1");
        assertThat(a.nc()).contains("00000001");
        assertThat(a.opaque()).contains("5ccc069c403ebaf9f0171e9517f40e41");
        assertThat(a.matches("Circle Of Life", "GET")).isTrue();
        assertThat(a.matches("Circle of Life", "GET")).isFalse();
        assertThat(a.matches("Circle Of Life", "POST")).isFalse();
    }

    @Test
    void rfc7616ExamplesInMd5AndSha256() {
        // RFC 7616 §3.9.1: the same request answered with SHA-256 and with MD5.
        String common = "realm=\"http-auth@example.org\", qop=\"auth, auth-int\", nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", "
                + "opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"";
        DigestCredentials mufasa = new DigestCredentials("Mufasa", "Circle of Life");
        String cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";
        DigestChallenge sha = DigestChallenge.parse("Digest " + common + ", algorithm=SHA-256").orElseThrow();
        assertThat(DigestAuthorization.answer(sha, mufasa, "GET", "/dir/index.html", cnonce, 1).response())
                .isEqualTo("753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
        DigestChallenge md5 = DigestChallenge.parse("Digest " + common + ", algorithm=MD5").orElseThrow();
        assertThat(DigestAuthorization.answer(md5, mufasa, "GET", "/dir/index.html", cnonce, 1).response())
                .isEqualTo("8ca523f5e9506fed4657c9700eebdbec");
    }

    @Test
    void anAnswerReadsBackAsTheServerSeesIt() {
        DigestChallenge c = new DigestChallenge("ccmsipline", "n\"once\\1", Optional.empty(), DigestAlgorithm.MD5, List.of("auth"), false);
        DigestAuthorization a = DigestAuthorization.answer(c, new DigestCredentials("jdoe", "s3cret"), "REGISTER",
                "sip:cucmpub.lab.example", "abcdef01", 1);
        assertThat(a.headerValue()).startsWith("Digest username=\"jdoe\",realm=\"ccmsipline\",nonce=\"n\\\"once\\\\1\",uri=\"sip:cucmpub.lab.example\"")
                .contains(",algorithm=MD5,cnonce=\"abcdef01\",qop=auth,nc=00000001");
        DigestAuthorization back = DigestAuthorization.parse(a.headerValue()).orElseThrow();
        assertThat(back).isEqualTo(a);
        assertThat(back.matches("s3cret", "REGISTER")).isTrue();
        // The RFC 2069 form, when the challenge offers no qop.
        DigestChallenge old = DigestChallenge.parse("Digest realm=\"ccmsipline\", nonce=\"abc\", algorithm=MD5").orElseThrow();
        DigestAuthorization plain = DigestAuthorization.answer(old, new DigestCredentials("jdoe", "s3cret"), "REGISTER", "sip:x", "c", 1);
        assertThat(plain.qop()).isEmpty();
        assertThat(plain.headerValue()).doesNotContain("qop").doesNotContain("nc=");
        assertThat(DigestAuthorization.parse(plain.headerValue()).orElseThrow().matches("s3cret", "REGISTER")).isTrue();
    }

    @Test
    void challengesThePhoneCannotAnswer() {
        assertThat(DigestChallenge.parse("Basic realm=\"x\"")).isEmpty();
        assertThat(DigestChallenge.parse("Digest realm=\"x\"")).as("no nonce").isEmpty();
        assertThat(DigestChallenge.parse("Digest realm=\"x\", nonce=\"y\", algorithm=SHA-1")).as("unknown algorithm").isEmpty();
        assertThat(DigestChallenge.parse("Digest realm=\"x\", nonce=\"y\", qop=\"auth-int\"")).as("auth-int only").isEmpty();
        assertThat(DigestChallenge.parse("Digest realm=\"x, nonce=\"y")).as("unterminated quote").isEmpty();
        assertThat(DigestChallenge.parse("Digest realm=\"" + "x".repeat(5000) + "\", nonce=\"y\"")).as("too long").isEmpty();
        assertThat(DigestChallenge.parse("digest REALM=\"x\",NONCE=y,stale=true").orElseThrow().stale()).isTrue();
    }

    @Test
    void thePhonesDecisionOnAChallenge() {
        String challenge = new DigestChallenge("ccmsipline", "n1", Optional.empty(), DigestAlgorithm.MD5, List.of("auth"), false).headerValue();
        String stale = new DigestChallenge("ccmsipline", "n2", Optional.empty(), DigestAlgorithm.MD5, List.of("auth"), true).headerValue();
        Optional<DigestCredentials> creds = Optional.of(new DigestCredentials("jdoe", "pw"));
        DigestChallengePolicy.State start = DigestChallengePolicy.State.START;

        assertThat(DigestChallengePolicy.decide(401, List.of(challenge), Optional.empty(), start))
                .isEqualTo(new DigestChallengePolicy.Decision.NoCredentials("ccmsipline"));
        DigestChallengePolicy.Decision first = DigestChallengePolicy.decide(401, List.of("Basic realm=\"x\"", challenge), creds, start);
        assertThat(first).isInstanceOfSatisfying(DigestChallengePolicy.Decision.Answer.class, a -> {
            assertThat(a.header()).isEqualTo("Authorization");
            assertThat(a.challenge().nonce()).isEqualTo("n1");
        });
        DigestChallengePolicy.State afterOne = ((DigestChallengePolicy.Decision.Answer) first).next();
        assertThat(DigestChallengePolicy.decide(401, List.of(challenge), creds, afterOne))
                .isEqualTo(new DigestChallengePolicy.Decision.WrongCredentials("jdoe", "ccmsipline"));
        DigestChallengePolicy.Decision retry = DigestChallengePolicy.decide(401, List.of(stale), creds, afterOne);
        assertThat(retry).isInstanceOf(DigestChallengePolicy.Decision.Answer.class);
        assertThat(DigestChallengePolicy.decide(401, List.of(stale), creds, ((DigestChallengePolicy.Decision.Answer) retry).next()))
                .as("stale only once").isInstanceOf(DigestChallengePolicy.Decision.WrongCredentials.class);
        assertThat(DigestChallengePolicy.decide(407, List.of(challenge), creds, start))
                .isInstanceOfSatisfying(DigestChallengePolicy.Decision.Answer.class, a -> assertThat(a.header()).isEqualTo("Proxy-Authorization"));
        assertThat(DigestChallengePolicy.decide(401, List.of(), creds, start)).isInstanceOf(DigestChallengePolicy.Decision.Unanswerable.class);
    }

    @Test
    void ofSeveralChallengesThePhoneAnswersTheStrongestAlgorithm() {
        Optional<DigestCredentials> creds = Optional.of(new DigestCredentials("jdoe", "pw"));
        String md5 = "Digest realm=\"r\", nonce=\"n1\", algorithm=MD5, qop=\"auth\"";
        String sha256 = "Digest realm=\"r\", nonce=\"n2\", algorithm=SHA-256, qop=\"auth\"";
        String sha512 = "Digest realm=\"r\", nonce=\"n3\", algorithm=SHA-512-256, qop=\"auth\"";
        DigestChallengePolicy.Decision d = DigestChallengePolicy.decide(401, List.of(md5, sha256), creds, DigestChallengePolicy.State.START);
        assertThat(d).isInstanceOfSatisfying(DigestChallengePolicy.Decision.Answer.class,
                a -> assertThat(a.challenge().algorithm()).isEqualTo(DigestAlgorithm.SHA_256));
        assertThat(DigestChallengePolicy.decide(401, List.of(sha256, md5, sha512), creds, DigestChallengePolicy.State.START))
                .isInstanceOfSatisfying(DigestChallengePolicy.Decision.Answer.class,
                        a -> assertThat(a.challenge().algorithm()).isEqualTo(DigestAlgorithm.SHA_512_256));
    }

    @Test
    void theConfigurationCarriesTheDigestUserOfItsFirstLine() throws Exception {
        String xml = """
                <device><fullConfig>true</fullConfig><deviceSecurityMode>1</deviceSecurityMode>
                <sipProfile><sipLines>
                  <line button="1"><featureID>9</featureID><name>1000</name><authName></authName></line>
                  <line button="2"><featureID>9</featureID><name>1001</name><authName> jdoe </authName><authPassword>pa ss</authPassword></line>
                </sipLines></sipProfile></device>
                """;
        assertThat(PhoneConfigParser.parse(xml.getBytes(StandardCharsets.UTF_8)).digestCredentials())
                .contains(new DigestCredentials("jdoe", "pa ss"));
        assertThat(PhoneConfigParser.parse("<device><fullConfig>true</fullConfig></device>".getBytes(StandardCharsets.UTF_8))
                .digestCredentials()).isEmpty();
        assertThat(new DigestCredentials("jdoe", "secret").toString()).doesNotContain("secret");
    }
}
