package org.jrcmgr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Stream;
import org.jrcmgr.Multiaddr.Component;
import org.jrcmgr.Multiaddr.Protocol;
import org.jrcmgr.Multiaddr.ValueKind;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class MultiaddrTest {

    private static final String QM_ID = "QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC";
    private static final String QM_ID_HEX = "1220d52ebb89d85b02a284948203a62ff28389c57c9f42beec4ec20db76a68911c0b";
    private static final String QM_ID_CID = "bafzbeigvf25ytwc3akrijfecaotc74udrhcxzh2cx3we5qqnw5vgrei4bm";
    private static final String ED_ID = "12D3KooWCryG7Mon9orvQxcS1rYZjotPgpwoJNHHKcLLfE4Hf5mV";
    private static final String RELAY_ID = "QmbHVEEepCi7rn7VL7Exxpd2Ci9NNB6ifvqwhsrbRMgQFP";
    private static final String CERTHASH = "uEiDDq4_xNyDorZBH3TlGazyJdOWSwvo4PUo5YHFMrvDE8g";

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    private static Multiaddr ma(String s) {
        return Multiaddr.parse(s);
    }

    private static String rejectText(String text) {
        return assertThrows(IllegalArgumentException.class, () -> Multiaddr.parse(text)).getMessage();
    }

    private static String rejectBytes(String hexBytes) {
        return assertThrows(IllegalArgumentException.class, () -> Multiaddr.fromBytes(hex(hexBytes))).getMessage();
    }

    @Nested
    class KnownBinaryVectors {

        @ParameterizedTest
        @CsvSource({
            // From go-multiaddr's TestStringToBytes / TestBytesToString / TestZone.
            "/ip4/127.0.0.1/udp/1234, 047f000001910204d2",
            "/ip4/127.0.0.1/tcp/4321, 047f0000010610e1",
            "/ip4/127.0.0.1/udp/1234/ip4/127.0.0.1/tcp/4321, 047f000001910204d2047f0000010610e1",
            "/ip6zone/eth0/ip6/::1, 2a04657468302900000000000000000000000000000001",
            // Derived from the protocol table: varint codes and value layouts.
            "/ip4/127.0.0.1/tcp/4001, 047f000001060fa1",
            "/ip4/0.0.0.0/tcp/0, 0400000000060000",
            "/ip4/255.255.255.255/udp/65535, 04ffffffff9102ffff",
            "/ip6/::1/udp/4001/quic-v1, 290000000000000000000000000000000191020fa1cd03",
            "/ip6/2001:db8::/ipcidr/32, 2920010db80000000000000000000000002b20",
            "/dns4/example.com/tcp/443/wss, 360b6578616d706c652e636f6d0601bbde03",
            "/dns/a.b/tcp/1/ws, 3503612e62060001dd03",
            "/dns6/x/udp/2/quic, 37017891020002cc03",
            "/dnsaddr/bootstrap.libp2p.io, 3813626f6f7473747261702e6c69627032702e696f",
            "/p2p/" + QM_ID + ", a50322" + QM_ID_HEX,
            "/ip4/1.2.3.4/tcp/1/tls/sni/x.io/http, 0401020304" + "060001" + "c003" + "c10304782e696f" + "e003",
            "/ip4/1.2.3.4/tcp/1/noise/p2p-circuit, 0401020304" + "060001" + "c603" + "a202",
            "/ip4/1.2.3.4/udp/1/webrtc-direct, 0401020304" + "91020001" + "9802",
            "/ip4/1.2.3.4/udp/1/quic-v1/webtransport/certhash/" + CERTHASH + ", 0401020304" + "91020001" + "cd03"
                    + "d103" + "d20322" + "1220c3ab8ff13720e8ad9047dd39466b3c8974e592c2fa383d4a3960714caef0c4f2",
        })
        void textAndBinaryCorrespond(String text, String binary) {
            Multiaddr fromText = ma(text);
            assertEquals(binary, hex(fromText.toBytes()));
            Multiaddr fromBinary = Multiaddr.fromBytes(hex(binary));
            assertEquals(text, fromBinary.toString());
            assertEquals(fromText, fromBinary);
        }

        @Test
        void goBinaryRepresentationTest() {
            assertArrayEquals(new byte[] {0x4, 0x7f, 0x0, 0x0, 0x1, (byte) 0x91, 0x2, 0x4, (byte) 0xd2},
                    ma("/ip4/127.0.0.1/udp/1234").toBytes());
        }
    }

    @Nested
    class RoundTrips {

        /** Valid addresses from go-multiaddr's "good" list that use only protocols this port knows. */
        @ParameterizedTest
        @ValueSource(strings = {
            "/ip4/1.2.3.4",
            "/ip4/0.0.0.0",
            "/ip4/192.0.2.0/ipcidr/24",
            "/ip6/::1",
            "/ip6/2601:9:4f81:9700:803e:ca65:66e8:c21",
            "/ip6/2601:9:4f81:9700:803e:ca65:66e8:c21/udp/1234/quic",
            "/ip6/2601:9:4f81:9700:803e:ca65:66e8:c21/udp/1234/quic-v1",
            "/ip6/2001:db8::/ipcidr/32",
            "/ip6zone/x/ip6/fe80::1",
            "/ip6zone/x%y/ip6/fe80::1",
            "/ip6zone/x%y/ip6/::",
            "/ip6zone/x/ip6/fe80::1/udp/1234/quic-v1",
            "/udp/0",
            "/tcp/0",
            "/sctp/0",
            "/udp/1234",
            "/tcp/1234",
            "/sctp/1234",
            "/udp/65535",
            "/tcp/65535",
            "/p2p/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC",
            "/p2p/12D3KooWCryG7Mon9orvQxcS1rYZjotPgpwoJNHHKcLLfE4Hf5mV",
            "/udp/1234/sctp/1234",
            "/udp/1234/udt",
            "/udp/1234/utp",
            "/tcp/1234/http",
            "/tcp/1234/tls/http",
            "/tcp/1234/https",
            "/p2p/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC/tcp/1234",
            "/ip4/127.0.0.1/udp/1234",
            "/ip4/127.0.0.1/udp/0",
            "/ip4/127.0.0.1/tcp/1234",
            "/ip4/127.0.0.1/udp/1234/quic",
            "/ip4/127.0.0.1/udp/1234/quic-v1",
            "/ip4/127.0.0.1/udp/1234/quic-v1/webtransport",
            "/ip4/127.0.0.1/udp/1234/quic-v1/webtransport/certhash/uEiDDq4_xNyDorZBH3TlGazyJdOWSwvo4PUo5YHFMrvDE8g",
            "/ip4/127.0.0.1/p2p/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC",
            "/ip4/127.0.0.1/p2p/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC/tcp/1234",
            "/ip4/127.0.0.1/tcp/127/ws",
            "/ip4/127.0.0.1/tcp/127/tls",
            "/ip4/127.0.0.1/tcp/127/tls/ws",
            "/ip4/127.0.0.1/tcp/127/noise",
            "/ip4/127.0.0.1/tcp/127/wss",
            "/ip4/127.0.0.1/tcp/127/webrtc-direct",
            "/ip4/127.0.0.1/tcp/127/webrtc",
            "/ip6/::ffff:127.0.0.1/tcp/111",
            "/ip4/127.0.0.1/udp/123/ip6/::",
            "/ip4/1.2.3.4/tcp/1/p2p/" + RELAY_ID + "/p2p-circuit/p2p/" + ED_ID,
            "/dns/example.com/tcp/443/tls/sni/example.com/http",
            "/dnsaddr/bootstrap.libp2p.io/p2p/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC",
            "/dns6/\u00fcber.example/udp/1/quic-v1",
            "/ip4/1.2.3.4/tcp/1/dccp/2",
        })
        void canonicalTextRoundTripsThroughTextAndBytes(String text) {
            Multiaddr m = ma(text);
            assertEquals(text, m.toString());
            assertEquals(m, ma(m.toString()));
            Multiaddr fromBytes = Multiaddr.fromBytes(m.toBytes());
            assertEquals(m, fromBytes);
            assertEquals(text, fromBytes.toString());
            assertEquals(m.hashCode(), fromBytes.hashCode());
            assertEquals(m.components(), fromBytes.components());
        }

        @ParameterizedTest
        @CsvSource({
            // go-multiaddr tolerates trailing slashes.
            "/ip4/127.0.0.1/tcp/1234/, /ip4/127.0.0.1/tcp/1234",
            "/ip4/127.0.0.1/tcp/1234///, /ip4/127.0.0.1/tcp/1234",
            "/quic-v1/, /quic-v1",
            // Legacy /ipfs prints as /p2p.
            "/ipfs/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC, /p2p/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC",
            "/ip4/127.0.0.1/ipfs/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC/tcp/1234,"
                    + " /ip4/127.0.0.1/p2p/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC/tcp/1234",
            // CID peer ids print as base58.
            "/p2p/bafzbeigvf25ytwc3akrijfecaotc74udrhcxzh2cx3we5qqnw5vgrei4bm,"
                    + " /p2p/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC",
            "/p2p/bafzaajaiaejcalj543iwv2d7pkjt7ykvefrkfu7qjfi6sduakhso4lay6abn2d5u,"
                    + " /p2p/12D3KooWCryG7Mon9orvQxcS1rYZjotPgpwoJNHHKcLLfE4Hf5mV",
            // Ports and masks lose leading zeros, as Go's Atoi reads them.
            "/tcp/080, /tcp/80",
            "/udp/00000, /udp/0",
            "/ip4/10.0.0.0/ipcidr/008, /ip4/10.0.0.0/ipcidr/8",
            // IPv6 is printed as Go prints it (RFC 5952).
            "/ip6/0:0:0:0:0:0:0:1, /ip6/::1",
            "/ip6/0:0:0:0:0:0:0:0, /ip6/::",
            "/ip6/2001:DB8:0:0:1:0:0:1, /ip6/2001:db8::1:0:0:1",
            "/ip6/2001:db8:0:0:0:0:2:1, /ip6/2001:db8::2:1",
            "/ip6/2001:db8:0:1:1:1:1:1, /ip6/2001:db8:0:1:1:1:1:1",
            "/ip6/1:0:0:2:0:0:0:3, /ip6/1:0:0:2::3",
            "/ip6/0001:0db8::, /ip6/1:db8::",
            "/ip6/fe80:0000::0001, /ip6/fe80::1",
            "/ip6/1:2:3:4:5:6:7::, /ip6/1:2:3:4:5:6:7:0",
            "/ip6/::2:3:4:5:6:7:8, /ip6/0:2:3:4:5:6:7:8",
            "/ip6/::1.2.3.4, /ip6/::102:304",
            "/ip6/0:0:0:0:0:ffff:102:304, /ip6/::ffff:1.2.3.4",
            "/ip6/::FFFF:1.2.3.4, /ip6/::ffff:1.2.3.4",
            "/ip6/64:ff9b::192.0.2.33, /ip6/64:ff9b::c000:221",
            // certhash is re-encoded as unpadded base64url, as go prints it.
            "/certhash/b2uaraocy6yrdblb4sfptaddgimjmmpy, /certhash/u1QEQOFj2IjCsPJFfMAxmQxLGPw",
            "/certhash/zQmbWTwYGcmdyK9CYfNBcfs9nhZs17a6FQ4Y8oea278xx41,"
                    + " /certhash/uEiDDq4_xNyDorZBH3TlGazyJdOWSwvo4PUo5YHFMrvDE8g",
            "/certhash/f1220c3ab8ff13720e8ad9047dd39466b3c8974e592c2fa383d4a3960714caef0c4f2,"
                    + " /certhash/uEiDDq4_xNyDorZBH3TlGazyJdOWSwvo4PUo5YHFMrvDE8g",
            "/certhash/mAANhYmM, /certhash/uAANhYmM",
            "/certhash/MAANhYmM=, /certhash/uAANhYmM",
            "/certhash/UAANhYmM=, /certhash/uAANhYmM",
            "/certhash/BAABWCYTD, /certhash/uAANhYmM",
            "/certhash/baabwcytd, /certhash/uAANhYmM",
        })
        void nonCanonicalTextIsCanonicalized(String input, String canonical) {
            Multiaddr m = ma(input);
            assertEquals(canonical, m.toString());
            assertEquals(ma(canonical), m);
            assertEquals(m, Multiaddr.fromBytes(m.toBytes()));
        }

        @Test
        void standardBase64CerthashWithSlashCannotBeWrittenInText() {
            // '/' always separates components, which is why go prints certhashes in base64url: the
            // value is cut at the slash and the remaining prefix is not a whole multihash.
            assertEquals("malformed multiaddr \"/certhash/mEiDDq4/xNyDorZBH3TlGazyJdOWSwvo4PUo5YHFMrvDE8g\":"
                    + " /certhash value \"mEiDDq4\" is not a multibase multihash: truncated multihash: digest"
                    + " length is 32 but only 2 bytes follow",
                    rejectText("/certhash/mEiDDq4/xNyDorZBH3TlGazyJdOWSwvo4PUo5YHFMrvDE8g"));
        }

        @Test
        void randomPeersRoundTrip() {
            for (int i = 0; i < 50; i++) {
                PeerId peer = PeerId.random();
                Multiaddr m = ma("/ip4/10.0.0." + i + "/tcp/" + (4000 + i) + "/p2p/" + peer);
                assertEquals(m, Multiaddr.fromBytes(m.toBytes()));
                assertEquals(m, ma(m.toString()));
                assertEquals(Optional.of(peer), m.peerId());
            }
        }
    }

    @Nested
    class TextRejections {

        static Stream<Arguments> cases() {
            return Stream.of(
                    // The brief's own example, and the failure cases of go-multiaddr's TestConstructFails
                    // that apply to the protocols known here.
                    Arguments.of("/ip4/1.2.3/tcp/80", "\"1.2.3\" is not an IPv4 address"),
                    Arguments.of("/ip4", "missing value for /ip4"),
                    Arguments.of("/ip4/::1", "\"::1\" is not an IPv4 address"),
                    Arguments.of("/ip4/fdpsofodsajfdoisa", "\"fdpsofodsajfdoisa\" is not an IPv4 address"),
                    Arguments.of("/ip4/::/ipcidr/256", "\"::\" is not an IPv4 address"),
                    Arguments.of("/ip6/::/ipcidr/1026", "/ipcidr mask length \"1026\" is out of range 0..128"),
                    Arguments.of("/ip6", "missing value for /ip6"),
                    Arguments.of("/ip6zone", "missing value for /ip6zone"),
                    Arguments.of("/ip6zone/", "missing value for /ip6zone"),
                    Arguments.of("/ip6zone//ip6/fe80::1", "/ip6zone value must not be empty"),
                    Arguments.of("/udp", "missing value for /udp"),
                    Arguments.of("/tcp", "missing value for /tcp"),
                    Arguments.of("/sctp", "missing value for /sctp"),
                    Arguments.of("/udp/65536", "/udp port \"65536\" is out of range 0..65535"),
                    Arguments.of("/tcp/65536", "/tcp port \"65536\" is out of range 0..65535"),
                    Arguments.of("/tcp/99999999999999999999", "/tcp port \"99999999999999999999\" is out of range"),
                    Arguments.of("/quic/65536", "unknown protocol \"65536\""),
                    Arguments.of("/quic-v1/65536", "unknown protocol \"65536\""),
                    Arguments.of("/udp/1234/sctp", "missing value for /sctp"),
                    Arguments.of("/udp/1234/udt/1234", "unknown protocol \"1234\""),
                    Arguments.of("/udp/1234/utp/1234", "unknown protocol \"1234\""),
                    Arguments.of("/ip4/127.0.0.1/udp/jfodsajfidosajfoidsa",
                            "/udp port \"jfodsajfidosajfoidsa\" is not a decimal number"),
                    Arguments.of("/ip4/127.0.0.1/udp", "missing value for /udp"),
                    Arguments.of("/ip4/127.0.0.1/tcp/jfodsajfidosajfoidsa",
                            "/tcp port \"jfodsajfidosajfoidsa\" is not a decimal number"),
                    Arguments.of("/ip4/127.0.0.1/tcp", "missing value for /tcp"),
                    Arguments.of("/ip4/127.0.0.1/quic/1234", "unknown protocol \"1234\""),
                    Arguments.of("/ip4/127.0.0.1/quic-v1/1234", "unknown protocol \"1234\""),
                    Arguments.of("/ip4/127.0.0.1/udp/1234/quic-v1/webtransport/certhash", "missing value for /certhash"),
                    Arguments.of("/ip4/127.0.0.1/udp/1234/quic-v1/webtransport/certhash/b2uaraocy6yrdblb4sfptaddgimjmmp",
                            "/certhash value \"b2uaraocy6yrdblb4sfptaddgimjmmp\" is not a multibase multihash: base32"
                                    + " data of 30 characters has an impossible length"),
                    Arguments.of("/ip4/127.0.0.1/ipfs", "missing value for /p2p"),
                    Arguments.of("/ip4/127.0.0.1/ipfs/tcp", "invalid peer id \"tcp\""),
                    Arguments.of("/ip4/127.0.0.1/p2p", "missing value for /p2p"),
                    Arguments.of("/ip4/127.0.0.1/p2p/tcp", "invalid peer id \"tcp\""),
                    Arguments.of("/unix", "unknown protocol \"unix\""),
                    Arguments.of("/ip4/1.2.3.4/tcp/80/unix", "unknown protocol \"unix\""),
                    Arguments.of("/ip4/1.2.3.4/tcp/-1", "/tcp port \"-1\" is not a decimal number"),
                    Arguments.of("/ip4/127.0.0.1/tcp/9090/http/p2p-webcrt-direct",
                            "unknown protocol \"p2p-webcrt-direct\""),
                    Arguments.of("/", "no components"),
                    Arguments.of("///", "no components"),
                    Arguments.of("", "empty string"),
                    Arguments.of("/p2p/QmxoHT6iViN5xAjoz1VZ553cL31U9F94ht3QvWR1FrEbZY",
                            "invalid peer id \"QmxoHT6iViN5xAjoz1VZ553cL31U9F94ht3QvWR1FrEbZY\": sha2-256 digest"
                                    + " length is 33, must be 32"),
                    Arguments.of("/p2p/k2k4r8oqamigqdo6o7hsbfwd45y70oyynp98usk7zmyfrzpqxh1pohl-",
                            "neither a base58btc multihash"),
                    Arguments.of("/p2p/?unknownmultibase", "neither a base58btc multihash"),
                    Arguments.of("/p2p/Qm0abc", "invalid peer id \"Qm0abc\": '0' at index 2 is not a base58btc"
                            + " character"),
                    // Further structural errors.
                    Arguments.of("ip4/1.2.3.4", "must begin with '/'"),
                    Arguments.of(" /ip4/1.2.3.4", "must begin with '/'"),
                    Arguments.of("/ip4//tcp/1", "\"\" is not an IPv4 address"),
                    Arguments.of("/tcp/1//udp/2", "empty component (\"//\")"),
                    Arguments.of("//ip4/1.2.3.4", "empty component (\"//\")"),
                    Arguments.of("/IP4/1.2.3.4", "unknown protocol \"IP4\""),
                    Arguments.of("/foo", "unknown protocol \"foo\""),
                    Arguments.of("/quic-v1/x", "unknown protocol \"x\""),
                    // IPv4 literals: only dotted quads of 0..255 without leading zeros.
                    Arguments.of("/ip4/256.1.1.1", "\"256.1.1.1\" is not an IPv4 address: octet \"256\" is greater"
                            + " than 255"),
                    Arguments.of("/ip4/01.2.3.4", "\"01.2.3.4\" is not an IPv4 address: octet \"01\" has a leading"
                            + " zero"),
                    Arguments.of("/ip4/1.2.3.4.5", "expected four dot-separated decimal octets"),
                    Arguments.of("/ip4/1..3.4", "octet \"\" is not 1 to 3 decimal digits"),
                    Arguments.of("/ip4/1.2.3.+4", "octet \"+4\" is not 1 to 3 decimal digits"),
                    Arguments.of("/ip4/1.2.3.\u0664", "is not 1 to 3 decimal digits"),
                    Arguments.of("/ip4/1.2.3.1000", "octet \"1000\" is not 1 to 3 decimal digits"),
                    Arguments.of("/ip4/localhost", "\"localhost\" is not an IPv4 address"),
                    Arguments.of("/ip4/::ffff:1.2.3.4", "\"::ffff:1.2.3.4\" is not an IPv4 address"),
                    Arguments.of("/ip4/0x7f.0.0.1", "octet \"0x7f\" is not 1 to 3 decimal digits"),
                    // IPv6 literals.
                    Arguments.of("/ip6/1.2.3.4", "\"1.2.3.4\" is not an IPv6 address: no ':'"),
                    Arguments.of("/ip6/localhost", "\"localhost\" is not an IPv6 address: no ':'"),
                    Arguments.of("/ip6/1::2::3", "\"1::2::3\" is not an IPv6 address: more than one \"::\""),
                    Arguments.of("/ip6/:::", "more than one \"::\""),
                    Arguments.of("/ip6/fe80::1%eth0", "group \"1%eth0\" is not 1 to 4 hex digits"),
                    Arguments.of("/ip6/[::1]", "group \"[\" is not 1 to 4 hex digits"),
                    Arguments.of("/ip6/1.2.3.4::", "group \"1.2.3.4\" is not 1 to 4 hex digits"),
                    Arguments.of("/ip6/1:2:3:4:5:6:7:8:9", "more than 8 groups"),
                    Arguments.of("/ip6/1:2:3:4:5:6:7", "expected 8 groups of 16 bits, found 7"),
                    Arguments.of("/ip6/1:2:3:4::5:6:7:8", "\"::\" must stand for at least one zero group"),
                    Arguments.of("/ip6/12345::", "group \"12345\" is not 1 to 4 hex digits"),
                    Arguments.of("/ip6/:1::", "group \"\" is not 1 to 4 hex digits"),
                    Arguments.of("/ip6/1:", "group \"\" is not 1 to 4 hex digits"),
                    Arguments.of("/ip6/g::", "group \"g\" is not 1 to 4 hex digits"),
                    Arguments.of("/ip6/::1.2.3", "embedded IPv4 part \"1.2.3\" is invalid"),
                    Arguments.of("/ip6/1:2:3:4:5:6:7:1.2.3.4", "more than 8 groups"),
                    // ipcidr limits and names.
                    Arguments.of("/ip4/1.2.3.4/ipcidr/129", "/ipcidr mask length \"129\" is out of range 0..128"),
                    Arguments.of("/ip4/1.2.3.4/ipcidr/x", "/ipcidr mask length \"x\" is not a decimal number"),
                    Arguments.of("/dns4//tcp/1", "/dns4 value must not be empty"),
                    Arguments.of("/dns4", "missing value for /dns4"),
                    Arguments.of("/dnsaddr", "missing value for /dnsaddr"),
                    Arguments.of("/sni", "missing value for /sni"),
                    Arguments.of("/dns/a\ud800b", "/dns value \"a\ud800b\" contains an unpaired surrogate"),
                    // certhash.
                    Arguments.of("/certhash/k123", "unsupported multibase prefix 'k'"),
                    Arguments.of("/certhash/u", "is not a multibase multihash: empty multihash"),
                    Arguments.of("/certhash/uEiDDq4_x", "truncated multihash: digest length is 32 but only 4 bytes"
                            + " follow"),
                    Arguments.of("/certhash/uEiDDq4_xNyDorZBH3TlGazyJdOWSwvo4PUo5YHFMrvDE8g=",
                            "padding in an unpadded base64 encoding"),
                    Arguments.of("/certhash/u!!!!", "invalid base64 data"),
                    Arguments.of("/certhash/fxyz0", "invalid base16 data"),
                    Arguments.of("/certhash/z0", "'0' at index 1 is not a base58btc character"),
                    Arguments.of("/certhash/f122000", "truncated multihash: digest length is 32 but only 1 bytes"
                            + " follow"));
        }

        @Test
        void longInputIsAbbreviatedInMessage() {
            String text = "/certhash/u" + "A".repeat(600);
            assertEquals("malformed multiaddr \"" + text.substring(0, 300) + "\"... (611 characters): /certhash"
                    + " value is too long (601 characters, at most 512)", rejectText(text));
        }

        @ParameterizedTest
        @MethodSource("cases")
        void rejectedWithMessageQuotingInputAndNamingProblem(String text, String problem) {
            String message = rejectText(text);
            assertTrue(message.startsWith("malformed multiaddr \"" + text + "\": "), message);
            assertTrue(message.contains(problem), message);
        }

        @Test
        void exactMessageForBriefExample() {
            assertEquals("malformed multiaddr \"/ip4/1.2.3/tcp/80\": \"1.2.3\" is not an IPv4 address: expected"
                    + " four dot-separated decimal octets", rejectText("/ip4/1.2.3/tcp/80"));
        }

        @Test
        void exactMessagesForStructuralErrors() {
            assertEquals("malformed multiaddr \"/foo/1\": unknown protocol \"foo\"", rejectText("/foo/1"));
            assertEquals("malformed multiaddr \"/ip4/1.2.3.4/tcp\": missing value for /tcp",
                    rejectText("/ip4/1.2.3.4/tcp"));
            assertEquals("malformed multiaddr \"/tcp/1//udp/2\": empty component (\"//\")", rejectText("/tcp/1//udp/2"));
            assertEquals("malformed multiaddr \"x\": must begin with '/'", rejectText("x"));
            assertEquals("malformed multiaddr \"/p2p/Qm0abc\": invalid peer id \"Qm0abc\": '0' at index 2 is not a"
                    + " base58btc character", rejectText("/p2p/Qm0abc"));
        }

        @Test
        void nullText() {
            NullPointerException e = assertThrows(NullPointerException.class, () -> Multiaddr.parse(null));
            assertEquals("multiaddr text must not be null", e.getMessage());
        }
    }

    @Nested
    class BinaryRejections {

        static Stream<Arguments> cases() {
            return Stream.of(
                    Arguments.of("", "malformed multiaddr bytes []: empty input"),
                    Arguments.of("047f0000", "malformed multiaddr bytes 0x047f0000: truncated ip4 value at offset 1:"
                            + " needs 4 bytes but only 3 remain"),
                    Arguments.of("047f00000106", "malformed multiaddr bytes 0x047f00000106: truncated tcp value at"
                            + " offset 6: needs 2 bytes but only 0 remain"),
                    Arguments.of("29000000", "truncated ip6 value at offset 1: needs 16 bytes but only 3 remain"),
                    Arguments.of("ff7f", "malformed multiaddr bytes 0xff7f: unknown protocol code 16383 at offset 0"),
                    Arguments.of("047f000001ff7f", "unknown protocol code 16383 at offset 5"),
                    Arguments.of("00", "unknown protocol code 0 at offset 0"),
                    Arguments.of("91", "truncated protocol code varint at offset 0"),
                    Arguments.of("8400", "protocol code varint at offset 0 is not minimally encoded"),
                    Arguments.of("ffffffff0f", "protocol code varint at offset 0 is too large"),
                    Arguments.of("36", "truncated dns4 length varint at offset 1"),
                    Arguments.of("3605616263", "truncated dns4 value at offset 2: needs 5 bytes but only 3 remain"),
                    Arguments.of("3600", "invalid dns4 value at offset 0: /dns4 value must not be empty"),
                    Arguments.of("3602c328", "invalid dns4 value at offset 0: not valid UTF-8"),
                    Arguments.of("36032f6162", "invalid dns4 value at offset 0: /dns4 value \"/ab\" must not contain"
                            + " '/'"),
                    Arguments.of("2a00", "invalid ip6zone value at offset 0: /ip6zone value must not be empty"),
                    Arguments.of("2bc8", "invalid ipcidr value at offset 0: mask length 200 is out of range 0..128"),
                    Arguments.of("2b81", "invalid ipcidr value at offset 0: mask length 129 is out of range 0..128"),
                    Arguments.of("a50300", "invalid p2p value at offset 0: invalid peer id bytes []: empty multihash"),
                    Arguments.of("a503031101ff", "invalid p2p value at offset 0: invalid peer id bytes 0x1101ff:"
                            + " unsupported multihash code 0x11"),
                    Arguments.of("d20303112233", "invalid certhash value at offset 0: truncated multihash: digest"
                            + " length is 34 but only 1 bytes follow"),
                    Arguments.of("d20300", "invalid certhash value at offset 0: empty multihash"),
                    // go-multiaddr's TestInvalidP2PAddrBytes: a sha2-256 multihash claiming 33 digest bytes.
                    Arguments.of("a503221221c05877cbae039d70a5e600ea02c6f9f2942439285c9e344e26f8d280c850fad6",
                            "invalid p2p value at offset 0: invalid peer id bytes 0x1221c05877cbae039d70a5e600ea02c6f9"
                                    + "f2942439285c9e344e26f8d280c850fad6: sha2-256 digest length is 33, must be 32"));
        }

        @ParameterizedTest
        @MethodSource("cases")
        void rejectedWithOffsetAndProblem(String input, String problem) {
            String message = rejectBytes(input);
            assertTrue(message.startsWith("malformed multiaddr bytes "), message);
            assertTrue(message.contains(problem), message);
        }

        @Test
        void nullBytes() {
            NullPointerException e = assertThrows(NullPointerException.class, () -> Multiaddr.fromBytes(null));
            assertEquals("multiaddr bytes must not be null", e.getMessage());
        }

        @Test
        void inputIsCopied() {
            byte[] input = hex("047f000001060fa1");
            Multiaddr m = Multiaddr.fromBytes(input);
            input[1] = 10;
            assertEquals("/ip4/127.0.0.1/tcp/4001", m.toString());
            byte[] out = m.toBytes();
            out[1] = 10;
            assertEquals("047f000001060fa1", hex(m.toBytes()));
        }
    }

    @Nested
    class Extraction {

        @Test
        void ipOfIp4() throws Exception {
            Optional<InetAddress> ip = ma("/ip4/192.0.2.7/tcp/4001").ip();
            assertEquals(Optional.of(InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 7})), ip);
            assertInstanceOf(Inet4Address.class, ip.orElseThrow());
        }

        @Test
        void ipOfIp6() throws Exception {
            InetAddress ip = ma("/ip6/2001:db8::1/udp/1").ip().orElseThrow();
            assertInstanceOf(Inet6Address.class, ip);
            assertArrayEquals(hex("20010db8000000000000000000000001"), ip.getAddress());
        }

        @Test
        void ipv4MappedIp6IsAnInet4AddressInJava() throws Exception {
            InetAddress ip = ma("/ip6/::ffff:10.1.2.3/tcp/1").ip().orElseThrow();
            assertInstanceOf(Inet4Address.class, ip);
            assertEquals(InetAddress.getByAddress(new byte[] {10, 1, 2, 3}), ip);
            // The multiaddr itself keeps the IPv6 form and its 16-byte encoding.
            assertEquals("29" + "00000000000000000000ffff0a010203" + "060001",
                    hex(ma("/ip6/::ffff:10.1.2.3/tcp/1").toBytes()));
        }

        @Test
        void ipIsTheFirstIpComponent() throws Exception {
            assertEquals(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}),
                    ma("/ip4/127.0.0.1/udp/123/ip6/::").ip().orElseThrow());
            assertEquals(InetAddress.getByAddress(new byte[16]),
                    ma("/dns4/example.com/ip6/::/ip4/1.1.1.1").ip().orElseThrow());
            assertEquals(InetAddress.getByAddress(hex("fe800000000000000000000000000001")),
                    ma("/ip6zone/eth0/ip6/fe80::1").ip().orElseThrow());
        }

        @Test
        void dnsNamesAreNeverResolved() {
            assertEquals(Optional.empty(), ma("/dns4/localhost/tcp/80").ip());
            assertEquals(Optional.empty(), ma("/dns/example.invalid/tcp/80").ip());
            assertEquals(Optional.empty(), ma("/p2p/" + QM_ID).ip());
        }

        @Test
        void portIsTheFirstTcpOrUdpPort() {
            assertEquals(Optional.of(4001), ma("/ip4/1.2.3.4/tcp/4001").port());
            assertEquals(Optional.of(443), ma("/ip6/::1/udp/443/quic-v1").port());
            assertEquals(Optional.of(1), ma("/ip4/1.2.3.4/udp/1/ip4/1.2.3.4/tcp/2").port());
            assertEquals(Optional.of(0), ma("/tcp/0").port());
            assertEquals(Optional.of(65535), ma("/udp/65535").port());
            assertEquals(Optional.of(5), ma("/ip4/1.2.3.4/sctp/9/tcp/5").port());
            assertEquals(Optional.empty(), ma("/ip4/1.2.3.4/dccp/9").port());
            assertEquals(Optional.empty(), ma("/dnsaddr/example.com").port());
        }

        @Test
        void peerIdIsTheLastP2pComponent() {
            assertEquals(Optional.of(PeerId.fromString(QM_ID)),
                    ma("/ip4/1.2.3.4/tcp/1/p2p/" + QM_ID).peerId());
            Multiaddr relayed = ma("/ip4/1.2.3.4/tcp/1/p2p/" + RELAY_ID + "/p2p-circuit/p2p/" + ED_ID);
            assertEquals(Optional.of(PeerId.fromString(ED_ID)), relayed.peerId());
            assertEquals(Optional.of(PeerId.fromString(RELAY_ID)), relayed.decapsulate(Protocol.P2P_CIRCUIT).peerId());
            assertEquals(Optional.of(PeerId.fromString(QM_ID)), ma("/ipfs/" + QM_ID_CID).peerId());
            assertEquals(Optional.empty(), ma("/ip4/1.2.3.4/tcp/1").peerId());
        }

        @Test
        void ipcidrMask() {
            assertEquals(OptionalInt.of(24), ma("/ip4/192.0.2.0/ipcidr/24").ipcidr());
            assertEquals(OptionalInt.of(0), ma("/ip4/0.0.0.0/ipcidr/0").ipcidr());
            assertEquals(OptionalInt.of(128), ma("/ip6/::1/ipcidr/128").ipcidr());
            assertEquals(OptionalInt.empty(), ma("/ip4/192.0.2.0").ipcidr());
        }

        @Test
        void valueForProtocolIsTheFirstOccurrence() {
            // Mirrors go-multiaddr's TestGetValue.
            Multiaddr a = ma("/ip4/127.0.0.1/utp/tcp/5555/udp/1234/tls/utp/ipfs/" + RELAY_ID);
            assertEquals(Optional.of("127.0.0.1"), a.valueForProtocol(Protocol.IP4));
            assertEquals(Optional.of(""), a.valueForProtocol(Protocol.UTP));
            assertEquals(Optional.of(""), a.valueForProtocol(Protocol.TLS));
            assertEquals(Optional.of("5555"), a.valueForProtocol(Protocol.TCP));
            assertEquals(Optional.of("1234"), a.valueForProtocol(Protocol.UDP));
            assertEquals(Optional.of(RELAY_ID), a.valueForProtocol(Protocol.P2P));
            assertEquals(Optional.empty(), a.valueForProtocol(Protocol.IP6));
            assertEquals(Optional.of("0.0.0.0"), ma("/ip4/0.0.0.0/ip4/1.1.1.1").valueForProtocol(Protocol.IP4));
        }
    }

    @Nested
    class Composition {

        @Test
        void encapsulateAppends() {
            Multiaddr m = ma("/ip4/127.0.0.1/udp/1234").encapsulate(ma("/udp/5678"));
            assertEquals("/ip4/127.0.0.1/udp/1234/udp/5678", m.toString());
            assertEquals("047f000001910204d2" + "9102162e", hex(m.toBytes()));
        }

        @Test
        void decapsulateByProtocolCutsAtLastOccurrence() {
            Multiaddr m = ma("/ip4/127.0.0.1/udp/1234/udp/5678/quic-v1");
            assertEquals("/ip4/127.0.0.1/udp/1234", m.decapsulate(Protocol.UDP).toString());
            assertEquals("/ip4/127.0.0.1/udp/1234/udp/5678", m.decapsulate(Protocol.QUIC_V1).toString());
            assertEquals(ma("/ip4/1.2.3.4"), ma("/ip4/1.2.3.4/tcp/80/ws").decapsulate(Protocol.TCP));
        }

        @Test
        void decapsulateOfAbsentProtocolReturnsSameInstance() {
            Multiaddr m = ma("/ip4/1.2.3.4/tcp/80");
            assertSame(m, m.decapsulate(Protocol.UDP));
            assertSame(m, m.decapsulate(ma("/udp/80")));
        }

        @Test
        void decapsulateOfFirstComponentGivesEmpty() {
            Multiaddr empty = ma("/ip4/1.2.3.4/tcp/80").decapsulate(Protocol.IP4);
            assertTrue(empty.isEmpty());
            assertEquals("", empty.toString());
            assertEquals(0, empty.toBytes().length);
            assertEquals(List.of(), empty.components());
            assertEquals(Multiaddr.fromComponents(List.of()), empty);
            assertEquals(Optional.empty(), empty.ip());
            assertEquals(ma("/tcp/1"), empty.encapsulate(ma("/tcp/1")));
            assertFalse(ma("/tcp/1").isEmpty());
        }

        @ParameterizedTest
        @CsvSource({
            // go-multiaddr's TestDecapsulate cases; "" means nothing is left.
            "/ip4/1.2.3.4/tcp/1234, /ip4/1.2.3.4, ''",
            "/ip4/1.2.3.4, /ip4/1.2.3.4/tcp/1234, /ip4/1.2.3.4",
            "/ip4/1.2.3.5/tcp/1234, /ip4/5.3.2.1, /ip4/1.2.3.5/tcp/1234",
            "/ip4/1.2.3.5/udp/1234/quic-v1, /udp/1234, /ip4/1.2.3.5",
            "/ip4/1.2.3.6/udp/1234/quic-v1, /udp/1234/quic-v1, /ip4/1.2.3.6",
            "/ip4/1.2.3.7/tcp/1234, /ws, /ip4/1.2.3.7/tcp/1234",
            "/dnsaddr/wss.com/tcp/4001, /ws, /dnsaddr/wss.com/tcp/4001",
            "/dnsaddr/wss.com/tcp/4001/ws, /wss, /dnsaddr/wss.com/tcp/4001/ws",
            "/dnsaddr/wss.com/ws, /wss, /dnsaddr/wss.com/ws",
            "/dnsaddr/wss.com/ws, /dnsaddr/wss.com, ''",
            "/dnsaddr/wss.com/tcp/4001/wss, /wss, /dnsaddr/wss.com/tcp/4001",
            "/ip4/1.2.3.4/tcp/80/ip4/1.2.3.4/tcp/80, /ip4/1.2.3.4, /ip4/1.2.3.4/tcp/80",
        })
        void decapsulateBySuffixLikeGo(String left, String right, String expected) {
            Multiaddr result = ma(left).decapsulate(ma(right));
            assertEquals(expected, result.toString());
        }

        @Test
        void componentsAreUnmodifiable() {
            List<Component> components = ma("/ip4/1.2.3.4/tcp/80").components();
            assertThrows(UnsupportedOperationException.class, () -> components.add(new Component(Protocol.WS)));
            assertThrows(UnsupportedOperationException.class, () -> components.remove(0));
            assertEquals(List.of(new Component(Protocol.IP4, "1.2.3.4"), new Component(Protocol.TCP, "80")),
                    components);
        }

        @Test
        void fromComponentsCopiesTheList() {
            List<Component> list = new ArrayList<>(List.of(new Component(Protocol.DNS, "example.com")));
            Multiaddr m = Multiaddr.fromComponents(list);
            list.add(new Component(Protocol.TCP, "1"));
            assertEquals("/dns/example.com", m.toString());
            assertThrows(NullPointerException.class, () -> Multiaddr.fromComponents(null));
            List<Component> withNull = Arrays.asList(new Component(Protocol.WS), null);
            assertThrows(NullPointerException.class, () -> Multiaddr.fromComponents(withNull));
        }

        @Test
        void nullArguments() {
            Multiaddr m = ma("/ip4/1.2.3.4");
            assertThrows(NullPointerException.class, () -> m.encapsulate(null));
            assertThrows(NullPointerException.class, () -> m.decapsulate((Protocol) null));
            assertThrows(NullPointerException.class, () -> m.decapsulate((Multiaddr) null));
            assertThrows(NullPointerException.class, () -> m.valueForProtocol(null));
        }
    }

    @Nested
    class FromSocketAddress {

        @Test
        void ipv4Tcp() {
            Multiaddr m = Multiaddr.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 80), Protocol.TCP);
            assertEquals("/ip4/127.0.0.1/tcp/80", m.toString());
        }

        @Test
        void ipv6Udp() throws Exception {
            InetAddress loopback6 = InetAddress.getByAddress(hex("00000000000000000000000000000001"));
            assertEquals("/ip6/::1/udp/4001",
                    Multiaddr.of(new InetSocketAddress(loopback6, 4001), Protocol.UDP).toString());
            InetAddress doc = InetAddress.getByAddress(hex("20010db8000000000001000000000001"));
            assertEquals("/ip6/2001:db8::1:0:0:1/tcp/0",
                    Multiaddr.of(new InetSocketAddress(doc, 0), Protocol.TCP).toString());
        }

        @Test
        void ipv4MappedBecomesIp4BecauseJavaUnmapsIt() throws Exception {
            InetAddress mapped = InetAddress.getByAddress(hex("00000000000000000000ffff01020304"));
            assertEquals("/ip4/1.2.3.4/tcp/1", Multiaddr.of(new InetSocketAddress(mapped, 1), Protocol.TCP).toString());
        }

        @Test
        void scopedIpv6GetsAnIp6Zone() throws Exception {
            Inet6Address linkLocal = Inet6Address.getByAddress(null, hex("fe800000000000000000000000000001"), 5);
            Multiaddr m = Multiaddr.of(new InetSocketAddress(linkLocal, 80), Protocol.TCP);
            assertEquals("/ip6zone/5/ip6/fe80::1/tcp/80", m.toString());
            assertEquals(m, Multiaddr.fromBytes(m.toBytes()));
        }

        @Test
        void roundTripsWithExtraction() throws Exception {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getByAddress(new byte[] {10, 0, 0, 9}), 4242);
            Multiaddr m = Multiaddr.of(address, Protocol.UDP);
            assertEquals(new InetSocketAddress(m.ip().orElseThrow(), m.port().orElseThrow()), address);
        }

        @Test
        void unresolvedAddressIsRejectedWithoutLookup() {
            InetSocketAddress unresolved = InetSocketAddress.createUnresolved("example.com", 80);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Multiaddr.of(unresolved, Protocol.TCP));
            assertTrue(e.getMessage().startsWith("unresolved socket address example.com"), e.getMessage());
            assertTrue(e.getMessage().contains("never does DNS"), e.getMessage());
        }

        @ParameterizedTest
        @EnumSource(value = Protocol.class, names = {"TCP", "UDP"}, mode = EnumSource.Mode.EXCLUDE)
        void onlyTcpAndUdpAreTransports(Protocol transport) {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 1);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Multiaddr.of(address, transport));
            assertEquals("transport must be TCP or UDP, got " + transport, e.getMessage());
        }

        @Test
        void nullArguments() {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 1);
            assertThrows(NullPointerException.class, () -> Multiaddr.of(null, Protocol.TCP));
            assertThrows(NullPointerException.class, () -> Multiaddr.of(address, null));
        }
    }

    @Nested
    class Equality {

        @Test
        void equalityFollowsCanonicalComponents() {
            // go-multiaddr's TestEqual, plus canonicalization.
            Multiaddr m1 = ma("/ip4/127.0.0.1/udp/1234");
            Multiaddr m2 = ma("/ip4/127.0.0.1/tcp/1234");
            Multiaddr m3 = ma("/ip4/127.0.0.1/tcp/1234");
            Multiaddr m4 = ma("/ip4/127.0.0.1/tcp/1234/");
            assertNotEquals(m1, m2);
            assertEquals(m2, m3);
            assertEquals(m2, m4);
            assertEquals(m2.hashCode(), m4.hashCode());
            assertEquals(Arrays.hashCode(m2.toBytes()), m2.hashCode());
            assertEquals(ma("/ip6/::1"), ma("/ip6/0:0:0:0:0:0:0:1"));
            assertEquals(ma("/ipfs/" + QM_ID_CID), ma("/p2p/" + QM_ID));
            assertNotEquals(ma("/ip4/1.2.3.4"), ma("/ip6/::ffff:1.2.3.4"));
            assertNotEquals(ma("/ip4/1.2.3.4"), "/ip4/1.2.3.4");
            assertNotEquals(null, ma("/ip4/1.2.3.4"));
        }

        @Test
        void usableInSets() {
            Set<Multiaddr> set = Set.of(ma("/ip4/1.2.3.4/tcp/1"), ma("/dns/a/tcp/1"));
            assertTrue(set.contains(Multiaddr.fromBytes(hex("04010203040600" + "01"))));
            assertTrue(set.contains(ma("/dns/a/tcp/001")));
        }
    }

    @Nested
    class Components {

        @Test
        void constructorCanonicalizes() {
            assertEquals(new Component(Protocol.TCP, "80"), new Component(Protocol.TCP, "0080"));
            assertEquals("80", new Component(Protocol.TCP, "0080").value());
            assertEquals("::1", new Component(Protocol.IP6, "0::0:1").value());
            assertEquals(QM_ID, new Component(Protocol.P2P, QM_ID_CID).value());
        }

        @Test
        void constructorRejectsInvalidValuesWithPlainMessage() {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new Component(Protocol.IP4, "1.2.3"));
            assertEquals("\"1.2.3\" is not an IPv4 address: expected four dot-separated decimal octets", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> new Component(Protocol.QUIC_V1, "x"));
            assertEquals("/quic-v1 takes no value, got \"x\"", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> new Component(Protocol.TCP));
            assertEquals("/tcp port \"\" is not a decimal number", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> new Component(Protocol.DNS, "a/b"));
            assertEquals("/dns value \"a/b\" must not contain '/'", e.getMessage());
        }

        @Test
        void constructorRejectsNulls() {
            NullPointerException e = assertThrows(NullPointerException.class, () -> new Component(null, ""));
            assertEquals("protocol must not be null", e.getMessage());
            e = assertThrows(NullPointerException.class, () -> new Component(Protocol.DNS, null));
            assertEquals("value must not be null", e.getMessage());
        }

        @Test
        void textAndBinaryOfSingleComponents() {
            assertEquals("/tcp/80", new Component(Protocol.TCP, "80").toString());
            assertEquals("/p2p-circuit", new Component(Protocol.P2P_CIRCUIT).toString());
            assertEquals("0600" + "50", hex(new Component(Protocol.TCP, "80").toBytes()));
            assertEquals("a202", hex(new Component(Protocol.P2P_CIRCUIT).toBytes()));
            assertEquals("3801" + "78", hex(new Component(Protocol.DNSADDR, "x").toBytes()));
        }

        @Test
        void multiByteUtf8LengthIsInBytes() {
            // "ü" is two UTF-8 bytes, so the length prefix is 2, not 1.
            assertEquals("3502c3bc", hex(new Component(Protocol.DNS, "\u00fc").toBytes()));
        }
    }

    @Nested
    class Protocols {

        @ParameterizedTest
        @CsvSource({
            "IP4, 4, ip4, FIXED, 4",
            "TCP, 6, tcp, FIXED, 2",
            "UDP, 273, udp, FIXED, 2",
            "IP6, 41, ip6, FIXED, 16",
            "DNS, 53, dns, VARIABLE, -1",
            "DNS4, 54, dns4, VARIABLE, -1",
            "DNS6, 55, dns6, VARIABLE, -1",
            "DNSADDR, 56, dnsaddr, VARIABLE, -1",
            "IPCIDR, 43, ipcidr, FIXED, 1",
            "P2P, 421, p2p, VARIABLE, -1",
            "QUIC, 460, quic, NONE, 0",
            "QUIC_V1, 461, quic-v1, NONE, 0",
            "WS, 477, ws, NONE, 0",
            "WSS, 478, wss, NONE, 0",
            "TLS, 448, tls, NONE, 0",
            "NOISE, 454, noise, NONE, 0",
            "WEBTRANSPORT, 465, webtransport, NONE, 0",
            "WEBRTC_DIRECT, 280, webrtc-direct, NONE, 0",
            "CERTHASH, 466, certhash, VARIABLE, -1",
            "P2P_CIRCUIT, 290, p2p-circuit, NONE, 0",
            "IP6ZONE, 42, ip6zone, VARIABLE, -1",
            "DCCP, 33, dccp, FIXED, 2",
            "SCTP, 132, sctp, FIXED, 2",
            "UDT, 301, udt, NONE, 0",
            "UTP, 302, utp, NONE, 0",
            "HTTP, 480, http, NONE, 0",
            "HTTPS, 443, https, NONE, 0",
            "SNI, 449, sni, VARIABLE, -1",
            "WEBRTC, 281, webrtc, NONE, 0",
        })
        void table(Protocol protocol, int code, String text, ValueKind kind, int size) {
            assertEquals(code, protocol.code());
            assertEquals(text, protocol.text());
            assertEquals(kind, protocol.valueKind());
            assertEquals(size, protocol.valueSize());
            assertEquals(Optional.of(protocol), Protocol.forText(text));
            assertEquals(Optional.of(protocol), Protocol.forCode(code));
        }

        @Test
        void tableCoversEveryConstant() {
            assertEquals(29, Protocol.values().length);
            Set<Integer> codes = new java.util.HashSet<>();
            for (Protocol p : Protocol.values()) {
                assertTrue(codes.add(p.code()), "duplicate code " + p.code());
            }
        }

        @Test
        void lookups() {
            assertEquals(Optional.of(Protocol.P2P), Protocol.forText("ipfs"));
            assertEquals(Optional.empty(), Protocol.forText("P2P"));
            assertEquals(Optional.empty(), Protocol.forText("unix"));
            assertEquals(Optional.empty(), Protocol.forText(""));
            assertEquals(Optional.empty(), Protocol.forText(null));
            assertEquals(Optional.empty(), Protocol.forCode(0));
            assertEquals(Optional.empty(), Protocol.forCode(-1));
            assertEquals(Optional.empty(), Protocol.forCode(400));
        }

        static Stream<Protocol> valueLess() {
            return Arrays.stream(Protocol.values()).filter(p -> p.valueKind() == ValueKind.NONE);
        }

        @ParameterizedTest
        @MethodSource("valueLess")
        void everyValueLessProtocolRoundTrips(Protocol protocol) {
            Multiaddr m = Multiaddr.fromComponents(List.of(new Component(protocol)));
            assertEquals("/" + protocol.text(), m.toString());
            assertEquals(m, ma(m.toString()));
            assertEquals(m, Multiaddr.fromBytes(m.toBytes()));
        }

        @Test
        void valueKindsPartitionTheProtocols() {
            EnumSet<Protocol> none = EnumSet.noneOf(Protocol.class);
            for (Protocol p : Protocol.values()) {
                if (p.valueKind() == ValueKind.NONE) {
                    none.add(p);
                }
            }
            assertEquals(EnumSet.of(Protocol.QUIC, Protocol.QUIC_V1, Protocol.WS, Protocol.WSS, Protocol.TLS,
                    Protocol.NOISE, Protocol.WEBTRANSPORT, Protocol.WEBRTC_DIRECT, Protocol.P2P_CIRCUIT, Protocol.UDT,
                    Protocol.UTP, Protocol.HTTP, Protocol.HTTPS, Protocol.WEBRTC), none);
        }
    }
}
