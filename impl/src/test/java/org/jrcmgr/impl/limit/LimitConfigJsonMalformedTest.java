package org.jrcmgr.impl.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jrcmgr.PeerId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every kind of bad input fails with a {@link LimitConfigException} that names the JSON path and
 * the reason, with the position where Jackson knows it.
 */
class LimitConfigJsonMalformedTest {

    private static final String PEER = "12D3KooWPFH2Bx2tPfw6RLxN8k2wh47GRXgkt9yrAHU37zFwHWzS";

    private static LimitConfigException rejected(String json) {
        return assertThrows(LimitConfigException.class, () -> LimitConfigJson.read(json));
    }

    private static void assertRejected(String json, String path, String reasonPart) {
        LimitConfigException e = rejected(json);
        assertEquals(path, e.jsonPath(), e::getMessage);
        assertTrue(e.reason().contains(reasonPart), () -> "reason \"" + e.reason() + "\" lacks \"" + reasonPart + "\"");
        assertTrue(e.getMessage().startsWith(path + ": " + e.reason()), e::getMessage);
        assertTrue(e.line() >= 1 && e.column() >= 1, e::getMessage);
        assertTrue(e.getMessage().endsWith("(line " + e.line() + ", column " + e.column() + ")"), e::getMessage);
    }

    @Test
    void badJsonNamesTheEnclosingScopeAndThePosition() {
        LimitConfigException e = rejected("{\n  \"System\": {\"Conns\": 1,}\n}");

        assertEquals("$.System", e.jsonPath());
        assertTrue(e.reason().startsWith("malformed JSON: "), e::getMessage);
        assertEquals(2, e.line());
        assertEquals(25, e.column());
    }

    @Test
    void badJsonVariants() {
        assertRejected("{\"System\": {\"Conns\": 1}", "$", "malformed JSON");
        assertRejected("{\"System\" {}}", "$", "was expecting a colon");
        assertRejected("{'System': {}}", "$", "malformed JSON");
        // Jackson reads a number along with the field name before it, so the path is the scope's.
        assertRejected("{\"System\": {\"Conns\": 01}}", "$.System", "Leading zeroes not allowed");
        assertRejected("{\"System\": {\"Conns\": NaN}}", "$.System", "malformed JSON");
        // go would read the escaped lone surrogate as U+FFFD; Jackson refuses it.
        assertRejected("{\"Service\": {\"x\\ud800y\": {}}}", "$.Service", "surrogate");
        assertRejected("{\"System\": {}} // comment", "$", "malformed JSON");
    }

    @Test
    void emptyInput() {
        LimitConfigException e = rejected("   ");
        assertEquals("$", e.jsonPath());
        assertTrue(e.reason().contains("empty"), e::getMessage);
    }

    @Test
    void contentAfterTheDocument() {
        assertRejected("{} {}", "$", "more after the end of the limit configuration: an object");
        assertRejected("{\"System\": {}} 5", "$", "after the end");
    }

    @Test
    void unknownKeywordNamesTheFullPath() {
        LimitConfigException e = rejected("{\"Peer\": {\"" + PEER + "\": {\"ConnsInbound\": \"infinite\"}}}");

        assertEquals("$.Peer[\"" + PEER + "\"].ConnsInbound", e.jsonPath());
        assertEquals("unknown keyword \"infinite\"; expected \"default\", \"unlimited\", \"blockAll\" or an integer",
                e.reason());
        assertEquals("$.Peer[\"" + PEER + "\"].ConnsInbound: " + e.reason() + " (line 1, column 84)", e.getMessage());
    }

    @Test
    void keywordsAreCaseSensitiveAsInGo() {
        assertRejected("{\"System\": {\"Conns\": \"Unlimited\"}}", "$.System.Conns", "unknown keyword \"Unlimited\"");
        assertRejected("{\"System\": {\"Memory\": \"blockall\"}}", "$.System.Memory", "unknown keyword \"blockall\"");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"System\": {\"Conns\": {}}}          | $.System.Conns  | found an object",
        "{\"System\": {\"Conns\": [1]}}         | $.System.Conns  | found an array",
        "{\"System\": {\"Conns\": true}}        | $.System.Conns  | found true",
        "{\"System\": {\"Memory\": false}}      | $.System.Memory | found false",
        "{\"System\": 5}                        | $.System        | expected an object of limits",
        "{\"System\": \"unlimited\"}            | $.System        | found the string \"unlimited\"",
        "{\"Service\": []}                      | $.Service       | expected an object of limits by service name",
        "{\"Peer\": 1}                          | $.Peer          | expected an object of limits by peer id",
        "{\"Service\": {\"A\": 1}}              | $.Service[\"A\"] | expected an object of limits",
        "[]                                     | $               | expected an object with the scopes",
        "\"System\"                             | $               | found the string \"System\"",
    })
    void wrongTypes(String json, String path, String reason) {
        assertRejected(json, path, reason);
    }

    @Test
    void countsAreBareIntegersOnlyMemoryTakesAString() {
        assertRejected("{\"System\": {\"Conns\": \"5\"}}", "$.System.Conns",
                "the string \"5\" is not a limit: only Memory is written as a string");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"System\": {\"FD\": 1.5}}            | $.System.FD     | the number 1.5 is not an integer",
        "{\"System\": {\"FD\": 1e3}}            | $.System.FD     | the number 1e3 is not an integer",
        "{\"System\": {\"FD\": 16.0}}           | $.System.FD     | the number 16.0 is not an integer",
        "{\"System\": {\"Memory\": 1.5}}        | $.System.Memory | the number 1.5 is not an integer",
        "{\"System\": {\"Memory\": \"1.5\"}}    | $.System.Memory | \"1.5\" is not a whole number of bytes",
        "{\"System\": {\"Memory\": \"1e9\"}}    | $.System.Memory | \"1e9\" is not a whole number of bytes",
        "{\"System\": {\"Memory\": \" 5\"}}     | $.System.Memory | unknown keyword \" 5\"",
        "{\"System\": {\"Memory\": \"\"}}       | $.System.Memory | unknown keyword \"\"",
    })
    void fractionsAndNonNumbers(String json, String path, String reason) {
        assertRejected(json, path, reason);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"System\": {\"Conns\": 9223372036854775808}}       | $.System.Conns  | the number 9223372036854775808 is out of range",
        "{\"System\": {\"Conns\": -9223372036854775809}}      | $.System.Conns  | is out of range",
        "{\"System\": {\"Memory\": 18446744073709551616}}     | $.System.Memory | is out of range",
        "{\"System\": {\"Memory\": \"9223372036854775808\"}}  | $.System.Memory | the number 9223372036854775808 is out of range",
    })
    void numbersBeyond64Bits(String json, String path, String reason) {
        assertRejected(json, path, reason);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"System\": {\"Conns\": -3}}          | $.System.Conns  | negative limit -3",
        "{\"System\": {\"Memory\": -100}}       | $.System.Memory | negative limit -100",
        "{\"System\": {\"Memory\": \"-5\"}}     | $.System.Memory | negative limit -5",
        "{\"ServiceDefault\": {\"FD\": -9223372036854775808}} | $.ServiceDefault.FD | negative limit",
    })
    void negativeNumbersOtherThanTheLegacyConstants(String json, String path, String reason) {
        assertRejected(json, path, reason);
    }

    @Test
    void legacyMinusOneAndMinusTwoAreUnlimitedAndBlockAll() {
        ResourceLimits limits = LimitConfigJson.readResourceLimits(
                "{\"Conns\": -1, \"FD\": -2, \"Memory\": \"-1\", \"Streams\": -2}");

        assertEquals(LimitSetting.unlimited(), limits.conns());
        assertEquals(LimitSetting.blockAll(), limits.fd());
        assertEquals(LimitSetting.unlimited(), limits.memory());
        assertEquals(LimitSetting.blockAll(), limits.streams());
        assertEquals(LimitSetting.blockAll(), LimitConfigJson.readResourceLimits("{\"Memory\":\"-2\"}").memory());
    }

    @Test
    void nullIsNotALimit() {
        assertRejected("{\"System\": {\"Conns\": null}}", "$.System.Conns", "null is not a limit");
        assertRejected("{\"System\": {\"Memory\": null}}", "$.System.Memory", "null is not a limit");
    }

    @Test
    void badPeerIdKey() {
        assertRejected("{\"Peer\": {\"not-a-peer\": {\"Conns\": 1}}}", "$.Peer[\"not-a-peer\"]", "not a peer id: ");
        assertRejected("{\"Peer\": {\"" + PEER.substring(0, 40) + "\": {}}}", "$.Peer[\"" + PEER.substring(0, 40) + "\"]",
                "not a peer id: ");
        assertRejected("{\"Peer\": {\"\": {}}}", "$.Peer[\"\"]", "not a peer id: ");
    }

    @Test
    void badProtocolIdKey() {
        assertRejected("{\"Protocol\": {\"\": {}}}", "$.Protocol[\"\"]", "not a protocol id: ");
        assertRejected("{\"ProtocolPeer\": {\"/a b\": {}}}", "$.ProtocolPeer[\"/a b\"]", "not a protocol id: ");
    }

    @Test
    void unknownTopLevelFieldSuggestsTheLikelyOne() {
        LimitConfigException e = rejected("{\"Sytem\": {\"Conns\": 1}}");

        assertEquals("$.Sytem", e.jsonPath());
        assertEquals("unknown field \"Sytem\"; did you mean \"System\"?", e.reason());
        assertEquals(1, e.line());
        assertEquals(2, e.column());
    }

    @Test
    void unknownFieldFarFromAnyListsThemAll() {
        assertRejected("{\"Limits\": {}}", "$.Limits", "unknown field \"Limits\"; expected one of System, Transient,"
                + " AllowlistedSystem, AllowlistedTransient, ServiceDefault, Service, ServicePeerDefault, ServicePeer,"
                + " ProtocolDefault, Protocol, ProtocolPeerDefault, ProtocolPeer, PeerDefault, Peer, Conn, Stream");
    }

    @Test
    void unknownScopeField() {
        assertRejected("{\"System\": {\"Memroy\": \"1\"}}", "$.System.Memroy",
                "unknown field \"Memroy\"; did you mean \"Memory\"?");
        assertRejected("{\"Service\": {\"A\": {\"FDs\": 1}}}", "$.Service[\"A\"].FDs", "did you mean \"FD\"?");
        assertRejected("{\"System\": {\"Max Conns\": 1}}", "$.System[\"Max Conns\"]", "unknown field \"Max Conns\"");
    }

    @Test
    void duplicateFieldsAndKeys() {
        assertRejected("{\"System\": {}, \"System\": {}}", "$.System", "duplicate field");
        assertRejected("{\"System\": {}, \"system\": {}}", "$.system", "duplicate field; \"System\" was already given");
        assertRejected("{\"system\": {}, \"System\": {}}", "$.System", "\"System\" was already given as \"system\"");
        assertRejected("{\"System\": {\"FD\": 1, \"FD\": 2}}", "$.System.FD", "duplicate field");
        assertRejected("{\"Service\": {\"A\": {}, \"A\": {}}}", "$.Service[\"A\"]", "duplicate key");
        String cid = PeerId.fromString(PEER).toCidString();
        assertRejected("{\"Peer\": {\"" + PEER + "\": {}, \"" + cid + "\": {}}}", "$.Peer[\"" + cid + "\"]",
                "it denotes the same peer as \"" + PEER + "\"");
    }

    @Test
    void invalidUtf8FromAStream() {
        byte[] bytes = "{\"Service\": {\"A\u00e9\": {}}}".getBytes(StandardCharsets.UTF_8);
        bytes[15] = (byte) 0xC3;
        bytes[16] = (byte) 0x28;

        LimitConfigException e = assertThrows(LimitConfigException.class,
                () -> LimitConfigJson.read(new ByteArrayInputStream(bytes)));

        assertTrue(e.reason().startsWith("malformed JSON: "), e::getMessage);
        assertTrue(e.reason().contains("UTF-8"), e::getMessage);
    }

    @Test
    void errorsFromAFileNameTheFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("limits.json");
        Files.writeString(file, "{\n  \"PeerDefault\": {\n    \"ConnsInbound\": \"lots\"\n  }\n}\n");

        LimitConfigException e = assertThrows(LimitConfigException.class,
                () -> LimitConfigJson.load(file, ConcreteLimitConfig.infinite()));

        assertEquals(file.toString(), e.source().orElseThrow());
        assertEquals(file + ": $.PeerDefault.ConnsInbound: unknown keyword \"lots\"; expected \"default\","
                + " \"unlimited\", \"blockAll\" or an integer (line 3, column 21)", e.getMessage());
    }

    @Test
    void theOtherReadersRejectToo() {
        LimitConfigException e = assertThrows(LimitConfigException.class,
                () -> LimitConfigJson.readResourceLimits("{\"Conns\": \"many\"}"));
        assertEquals("$.Conns", e.jsonPath());

        e = assertThrows(LimitConfigException.class, () -> LimitConfigJson.readBaseLimit("{\"Memory\": \"1024\"}"));
        assertEquals("$.Memory", e.jsonPath());
        assertTrue(e.reason().startsWith("expected an integer, found the string \"1024\""), e::getMessage);

        e = assertThrows(LimitConfigException.class, () -> LimitConfigJson.readBaseLimit("{\"Conns\": -1}"));
        assertEquals("negative number -1 is not a limit", e.reason());

        e = assertThrows(LimitConfigException.class,
                () -> LimitConfigJson.readBaseLimitIncrease("{\"FDFraction\": 1.5}"));
        assertEquals("$.FDFraction", e.jsonPath());
        assertEquals("the fraction 1.5 is not between 0 and 1", e.reason());

        e = assertThrows(LimitConfigException.class,
                () -> LimitConfigJson.readBaseLimitIncrease("{\"FDFraction\": \"0.5\"}"));
        assertTrue(e.reason().startsWith("expected a number between 0 and 1"), e::getMessage);

        e = assertThrows(LimitConfigException.class, () -> LimitConfigJson.readBaseLimitIncrease("{\"FD\": 1}"));
        assertEquals("$.FD", e.jsonPath());
        assertTrue(e.reason().startsWith("unknown field \"FD\"; expected one of Streams,"), e::getMessage);
    }
}
