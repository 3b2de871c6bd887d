package org.jrcmgr.impl.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import org.jrcmgr.BaseLimit;
import org.jrcmgr.PeerId;
import org.jrcmgr.ProtocolId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The details of go's format beyond the upstream tests: escaping, key order, layout, floats, the
 * plain {@code BaseLimit} and {@code BaseLimitIncrease} forms, and go's lenient spots that are kept.
 */
class LimitConfigJsonFormatTest {

    private static final PeerId PEER = PeerId.fromString("12D3KooWPFH2Bx2tPfw6RLxN8k2wh47GRXgkt9yrAHU37zFwHWzS");

    @Test
    void nothingConfiguredIsAnEmptyObject() {
        assertEquals("{}", LimitConfigJson.write(PartialLimitConfig.EMPTY));
        assertEquals("{}", LimitConfigJson.writeIndented(PartialLimitConfig.EMPTY));
        assertEquals(PartialLimitConfig.EMPTY, LimitConfigJson.read("{}"));
        assertEquals(PartialLimitConfig.EMPTY, LimitConfigJson.read(" {\n} \n"));
    }

    @Test
    void allDefaultScopesAndExplicitDefaultsAreLeftOut() {
        PartialLimitConfig config = LimitConfigJson.read("{\"System\": {\"Conns\": \"default\"}, \"Transient\": {},"
                + " \"Service\": {}, \"Conn\": {\"FD\": 3, \"Memory\": \"default\"}}");

        assertEquals(ResourceLimits.DEFAULT, config.system());
        assertEquals("{\"Conn\":{\"FD\":3}}", LimitConfigJson.write(config));
    }

    @Test
    void aMapEntryWithNothingSetIsKeptAsAnEmptyObject() {
        PartialLimitConfig config = PartialLimitConfig.builder().service("A", ResourceLimits.DEFAULT).build();

        assertEquals("{\"Service\":{\"A\":{}}}", LimitConfigJson.write(config));
        assertEquals(config, LimitConfigJson.read(LimitConfigJson.write(config)));
    }

    @Test
    void indentedAsGoMarshalIndent() {
        PartialLimitConfig config = PartialLimitConfig.builder()
                .system(ResourceLimits.builder().conns(5).build())
                .service("B", ResourceLimits.builder().memory(1024).build())
                .service("A", ResourceLimits.DEFAULT)
                .peerDefault(ResourceLimits.builder().fd(LimitSetting.unlimited()).build())
                .build();

        assertEquals("""
                {
                  "Service": {
                    "A": {},
                    "B": {
                      "Memory": "1024"
                    }
                  },
                  "System": {
                    "Conns": 5
                  },
                  "PeerDefault": {
                    "FD": "unlimited"
                  }
                }""", LimitConfigJson.writeIndented(config));
        assertEquals("{\"Service\":{\"A\":{},\"B\":{\"Memory\":\"1024\"}},\"System\":{\"Conns\":5},"
                + "\"PeerDefault\":{\"FD\":\"unlimited\"}}", LimitConfigJson.write(config));
    }

    /** go's MarshalJSON writes the four maps, then Peer, then the scopes; every section once. */
    @Test
    void everySectionInGoOrder() {
        ResourceLimits one = ResourceLimits.builder().conns(1).build();
        PartialLimitConfig config = PartialLimitConfig.builder()
                .stream(one).conn(one).peer(PEER, one).peerDefault(one)
                .protocolPeer(ProtocolId.of("/pp"), one).protocolPeerDefault(one)
                .protocol(ProtocolId.of("/p"), one).protocolDefault(one)
                .servicePeer("sp", one).servicePeerDefault(one).service("s", one).serviceDefault(one)
                .allowlistedTransient(one).allowlistedSystem(one).transientLimit(one).system(one)
                .build();
        String c = "{\"Conns\":1}";

        assertEquals("{\"Service\":{\"s\":" + c + "},\"ServicePeer\":{\"sp\":" + c + "},\"Protocol\":{\"/p\":" + c
                + "},\"ProtocolPeer\":{\"/pp\":" + c + "},\"Peer\":{\"" + PEER + "\":" + c + "},\"System\":" + c
                + ",\"Transient\":" + c + ",\"AllowlistedSystem\":" + c + ",\"AllowlistedTransient\":" + c
                + ",\"ServiceDefault\":" + c + ",\"ServicePeerDefault\":" + c + ",\"ProtocolDefault\":" + c
                + ",\"ProtocolPeerDefault\":" + c + ",\"PeerDefault\":" + c + ",\"Conn\":" + c + ",\"Stream\":" + c
                + "}", LimitConfigJson.write(config));
        assertEquals(config, LimitConfigJson.read(LimitConfigJson.write(config)));
    }

    @Test
    void writeConcreteKeepsGoDeclarationOrderWithTheMapsInPlace() {
        ConcreteLimitConfig config = ConcreteLimitConfig.builder(ConcreteLimitConfig.infinite())
                .system(BaseLimit.BLOCK_ALL)
                .service("s", BaseLimit.builder().memory(3).build())
                .build();

        String json = LimitConfigJson.writeConcrete(config);

        String unlimited = "{\n    \"Streams\": \"unlimited\",\n    \"StreamsInbound\": \"unlimited\",\n"
                + "    \"StreamsOutbound\": \"unlimited\",\n    \"Conns\": \"unlimited\",\n"
                + "    \"ConnsInbound\": \"unlimited\",\n    \"ConnsOutbound\": \"unlimited\",\n"
                + "    \"FD\": \"unlimited\",\n    \"Memory\": \"unlimited\"\n  }";
        assertEquals("{\n  \"System\": {\n    \"Streams\": \"blockAll\",\n    \"StreamsInbound\": \"blockAll\",\n"
                + "    \"StreamsOutbound\": \"blockAll\",\n    \"Conns\": \"blockAll\",\n"
                + "    \"ConnsInbound\": \"blockAll\",\n    \"ConnsOutbound\": \"blockAll\",\n"
                + "    \"FD\": \"blockAll\",\n    \"Memory\": \"blockAll\"\n  },\n"
                + "  \"Transient\": " + unlimited + ",\n"
                + "  \"AllowlistedSystem\": " + unlimited + ",\n"
                + "  \"AllowlistedTransient\": " + unlimited + ",\n"
                + "  \"ServiceDefault\": " + unlimited + ",\n"
                + "  \"Service\": {\n    \"s\": {\n      \"Streams\": \"blockAll\",\n      \"StreamsInbound\": \"blockAll\",\n"
                + "      \"StreamsOutbound\": \"blockAll\",\n      \"Conns\": \"blockAll\",\n"
                + "      \"ConnsInbound\": \"blockAll\",\n      \"ConnsOutbound\": \"blockAll\",\n"
                + "      \"FD\": \"blockAll\",\n      \"Memory\": \"3\"\n    }\n  },\n"
                + "  \"ServicePeerDefault\": " + unlimited + ",\n"
                + "  \"ProtocolDefault\": " + unlimited + ",\n"
                + "  \"ProtocolPeerDefault\": " + unlimited + ",\n"
                + "  \"PeerDefault\": " + unlimited + ",\n"
                + "  \"Conn\": " + unlimited + ",\n"
                + "  \"Stream\": " + unlimited + "\n}", json);
        assertEquals(config, LimitConfigJson.read(json).build(DefaultLimits.defaults().scale(0, 0)));
    }

    @Test
    void stringsAreEscapedAsGoEscapesThem() {
        String name = "a<b>&\"\\\n\r\t\b\f\u0001\u001f\u007f\u2028\u2029é😀";
        PartialLimitConfig config = PartialLimitConfig.builder().service(name, ResourceLimits.DEFAULT).build();

        String json = LimitConfigJson.write(config);

        assertEquals("{\"Service\":{\"a\\u003cb\\u003e\\u0026\\\"\\\\\\n\\r\\t\\b\\f\\u0001\\u001f\u007f"
                + "\\u2028\\u2029é😀\":{}}}", json);
        assertEquals(config, LimitConfigJson.read(json));
    }

    @Test
    void loneSurrogatesBecomeTheReplacementCharacterAsInGo() {
        PartialLimitConfig read = LimitConfigJson.read("{\"Service\": {\"x\uD800y\": {}}}");

        assertEquals(java.util.Set.of("x\uFFFDy"), read.service().keySet());
        assertEquals("{\"Service\":{\"x\uFFFDy\":{}}}",
                LimitConfigJson.write(PartialLimitConfig.builder().service("x\uDC00y", ResourceLimits.DEFAULT).build()));
    }

    /** go sorts map keys by their UTF-8 bytes: upper case first, and U+FFFF before the emoji. */
    @Test
    void mapKeysAreSortedByTheirUtf8Bytes() {
        PartialLimitConfig config = PartialLimitConfig.builder()
                .service("😀", ResourceLimits.DEFAULT)
                .service("\uFFFF", ResourceLimits.DEFAULT)
                .service("é", ResourceLimits.DEFAULT)
                .service("a", ResourceLimits.DEFAULT)
                .service("B", ResourceLimits.DEFAULT)
                .service("", ResourceLimits.DEFAULT)
                .build();

        assertEquals("{\"Service\":{\"\":{},\"B\":{},\"a\":{},\"é\":{},\"\uFFFF\":{},\"😀\":{}}}",
                LimitConfigJson.write(config));
    }

    @Test
    void fieldNamesMatchIgnoringCaseAsGoDoes() {
        PartialLimitConfig read = LimitConfigJson.read("{\"system\": {\"memory\": \"1\", \"fd\": 3},"
                + " \"PEERDEFAULT\": {\"connsinbound\": 2}, \"sErViCe\": {\"A\": {\"STREAMS\": 4}}}");

        assertEquals(PartialLimitConfig.builder()
                .system(ResourceLimits.builder().memory(1).fd(3).build())
                .peerDefault(ResourceLimits.builder().connsInbound(2).build())
                .service("A", ResourceLimits.builder().streams(4).build())
                .build(), read);
    }

    @Test
    void nullScopesMapsAndDocumentsMeanNothingConfiguredAsInGo() {
        assertEquals(PartialLimitConfig.EMPTY, LimitConfigJson.read("null"));
        assertEquals(PartialLimitConfig.EMPTY, LimitConfigJson.read("{\"System\": null, \"Service\": null}"));
        // A null entry still names the key, so the key is built against the scope default.
        assertEquals(PartialLimitConfig.builder().peer(PEER, ResourceLimits.DEFAULT).build(),
                LimitConfigJson.read("{\"Peer\": {\"" + PEER + "\": null}}"));
    }

    @Test
    void peerKeysAreReadInEitherTextFormAndWrittenInBase58() {
        PartialLimitConfig read = LimitConfigJson.read("{\"Peer\": {\"" + PEER.toCidString() + "\": {\"Conns\": 2}}}");

        assertEquals(PartialLimitConfig.builder().peer(PEER, ResourceLimits.builder().conns(2).build()).build(), read);
        assertEquals("{\"Peer\":{\"" + PEER.toBase58() + "\":{\"Conns\":2}}}", LimitConfigJson.write(read));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "\"12345\"                | 12345",
        "12345                    | 12345",
        "\"+5\"                   | 5",
        "\"0005\"                 | 5",
        "\"9223372036854775806\"  | 9223372036854775806",
    })
    void memoryIsReadFromAStringOrABareInteger(String json, long bytes) {
        assertEquals(LimitSetting.of(bytes), LimitConfigJson.readResourceLimits("{\"Memory\":" + json + "}").memory());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "0                     | blockAll",
        "-0                    | blockAll",
        "\"blockAll\"          | blockAll",
        "-2                    | blockAll",
        "\"unlimited\"         | unlimited",
        "-1                    | unlimited",
        "9223372036854775807   | unlimited",
        "\"default\"           | default",
        "7                     | 7",
    })
    void countsAsGoReadsThem(String json, String setting) {
        assertEquals(setting, LimitConfigJson.readResourceLimits("{\"ConnsInbound\":" + json + "}")
                .connsInbound().toString());
    }

    @Test
    void readersAndStreams() throws IOException {
        String json = "{\"Service\": {\"dienst-é\": {\"Memory\": \"1\"}}}";
        PartialLimitConfig expected = PartialLimitConfig.builder()
                .service("dienst-é", ResourceLimits.builder().memory(1).build()).build();

        assertEquals(expected, LimitConfigJson.read(new StringReader(json)));
        assertEquals(expected, LimitConfigJson.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void baseLimitAsGoWritesIt() {
        BaseLimit system = DefaultLimits.defaults().system().base();

        String json = LimitConfigJson.write(system);

        assertEquals("{\"Streams\":2048,\"StreamsInbound\":1024,\"StreamsOutbound\":2048,\"Conns\":128,"
                + "\"ConnsInbound\":64,\"ConnsOutbound\":128,\"FD\":256,\"Memory\":134217728}", json);
        assertEquals(system, LimitConfigJson.readBaseLimit(json));

        assertEquals("{}", LimitConfigJson.write(BaseLimit.BLOCK_ALL));
        assertEquals(BaseLimit.BLOCK_ALL, LimitConfigJson.readBaseLimit("{}"));
        assertEquals(BaseLimit.BLOCK_ALL, LimitConfigJson.readBaseLimit("null"));
        assertEquals(BaseLimit.BLOCK_ALL, LimitConfigJson.readBaseLimit("{\"Conns\": 0}"));

        String max = "9223372036854775807";
        assertEquals("{\"Streams\":" + max + ",\"StreamsInbound\":" + max + ",\"StreamsOutbound\":" + max
                + ",\"Conns\":" + max + ",\"ConnsInbound\":" + max + ",\"ConnsOutbound\":" + max + ",\"FD\":" + max
                + ",\"Memory\":" + max + "}", LimitConfigJson.write(BaseLimit.UNLIMITED));
        assertEquals(BaseLimit.UNLIMITED, LimitConfigJson.readBaseLimit(LimitConfigJson.write(BaseLimit.UNLIMITED)));
    }

    @Test
    void baseLimitIncreaseAsGoWritesIt() {
        BaseLimitIncrease peer = DefaultLimits.defaults().peerDefault().increase();
        BaseLimitIncrease transientIncrease = DefaultLimits.defaults().transientLimit().increase();

        assertEquals("{\"Streams\":256,\"StreamsInbound\":128,\"StreamsOutbound\":256,\"Memory\":134217728,"
                + "\"FDFraction\":0.015625}", LimitConfigJson.write(peer));
        assertEquals("{\"Streams\":256,\"StreamsInbound\":128,\"StreamsOutbound\":256,\"Conns\":32,"
                + "\"ConnsInbound\":16,\"ConnsOutbound\":32,\"Memory\":134217728,\"FDFraction\":0.25}",
                LimitConfigJson.write(transientIncrease));
        assertEquals(peer, LimitConfigJson.readBaseLimitIncrease(LimitConfigJson.write(peer)));
        assertEquals(transientIncrease, LimitConfigJson.readBaseLimitIncrease(LimitConfigJson.write(transientIncrease)));
        assertEquals("{}", LimitConfigJson.write(BaseLimitIncrease.NONE));
        assertEquals(BaseLimitIncrease.NONE, LimitConfigJson.readBaseLimitIncrease("{}"));
        assertEquals(BaseLimitIncrease.builder().fdFraction(1).build(),
                LimitConfigJson.readBaseLimitIncrease("{\"FDFraction\": 1}"));
        assertEquals("{\"FDFraction\":1}", LimitConfigJson.write(BaseLimitIncrease.builder().fdFraction(1).build()));
    }

    /** Expected values are what go's {@code strconv.AppendFloat(f, 'f'/'e', -1, 64)} plus encoding/json's clean-up give. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "1                      | 1",
        "0.25                   | 0.25",
        "0.015625               | 0.015625",
        "0.1                    | 0.1",
        "0.3                    | 0.3",
        "0.6666666666666666     | 0.6666666666666666",
        "0.000001               | 0.000001",
        "0.0000001              | 1e-7",
        "0.00000015             | 1.5e-7",
        "1e-10                  | 1e-10",
        "5e-324                 | 5e-324",
        "123456789012345678     | 123456789012345680",
        "1e21                   | 1e+21",
        "1.5e300                | 1.5e+300",
        "-0.5                   | -0.5",
    })
    void floatsAsGoFormatsThem(double value, String go) {
        assertEquals(go, LimitJsonWriter.goFloat(value));
        assertEquals(value, Double.parseDouble(go));
    }

    @Test
    void theSmallestSubnormalFractionRoundTrips() {
        BaseLimitIncrease tiny = BaseLimitIncrease.builder().fdFraction(Double.MIN_VALUE).build();

        assertEquals("{\"FDFraction\":5e-324}", LimitConfigJson.write(tiny));
        assertEquals(tiny, LimitConfigJson.readBaseLimitIncrease(LimitConfigJson.write(tiny)));
    }
}
