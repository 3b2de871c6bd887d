package org.jrcmgr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PeerIdTest {

    /** A well-known sha2-256 (RSA-era) peer id, used across go-libp2p docs and tests. */
    private static final String RSA_ID = "QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N";
    private static final String RSA_ID_HEX =
            "12209dff3b17d74cf4d38a50d8b6383e92d181a10395a5e73a726dcccbd21bf6f0b9";

    /** Ed25519 id and its CID form, both listed as valid in go-multiaddr's multiaddr_test.go. */
    private static final String ED_ID = "12D3KooWCryG7Mon9orvQxcS1rYZjotPgpwoJNHHKcLLfE4Hf5mV";
    private static final String ED_ID_CID = "bafzaajaiaejcalj543iwv2d7pkjt7ykvefrkfu7qjfi6sduakhso4lay6abn2d5u";
    private static final String ED_ID_HEX =
            "002408011220" + "2d3de6d16ae87f7a933fe1552162a2d3f04951e90e8051e4ee2c18f002dd0fb4";

    /** A sha2-256 id and its CID form, both listed as valid in go-multiaddr's multiaddr_test.go. */
    private static final String QM_ID = "QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC";
    private static final String QM_ID_CID = "bafzbeigvf25ytwc3akrijfecaotc74udrhcxzh2cx3we5qqnw5vgrei4bm";

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    private static byte[] sha256(byte[] data) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(data);
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int off = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, off, p.length);
            off += p.length;
        }
        return out;
    }

    private static IllegalArgumentException rejectText(String text) {
        return assertThrows(IllegalArgumentException.class, () -> PeerId.fromString(text));
    }

    private static IllegalArgumentException rejectBytes(byte[] bytes) {
        return assertThrows(IllegalArgumentException.class, () -> PeerId.fromBytes(bytes));
    }

    @Nested
    class KnownVectors {

        @Test
        void base58OfSha256HelloWorldMultihash() throws Exception {
            // Independent vector from rust-libp2p's peer id test.
            byte[] mh = concat(new byte[] {0x12, 0x20}, sha256("hello world".getBytes(StandardCharsets.UTF_8)));
            assertEquals("QmaozNR7DZHQK1ZcU9p7QdrshMvXqWK6gpu5rmrkPdT3L4", PeerId.fromBytes(mh).toBase58());
        }

        @Test
        void rsaStyleIdDecodesToSha256Multihash() {
            PeerId id = PeerId.fromString(RSA_ID);
            assertArrayEquals(hex(RSA_ID_HEX), id.toBytes());
            assertEquals(RSA_ID, id.toBase58());
            assertEquals(RSA_ID, id.toString());
            assertEquals(id, PeerId.fromBytes(hex(RSA_ID_HEX)));
        }

        @Test
        void ed25519IdDecodesToIdentityMultihashWithProtobufHeader() {
            byte[] bytes = PeerId.fromString(ED_ID).toBytes();
            assertArrayEquals(hex(ED_ID_HEX), bytes);
            // identity code, 36-byte digest, then protobuf {Type: Ed25519, Data: 32 bytes}.
            assertArrayEquals(new byte[] {0x00, 0x24, 0x08, 0x01, 0x12, 0x20}, Arrays.copyOf(bytes, 6));
            assertEquals(38, bytes.length);
        }

        @Test
        void ed25519PublicKeyVectorFromLibp2pSpec() {
            // The peer-ids spec's Ed25519 public key; the expected id is pinned against rust-libp2p.
            byte[] key = hex("080112201ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e");
            PeerId id = PeerId.fromPublicKey(key);
            assertEquals("12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq", id.toBase58());
            assertArrayEquals(concat(new byte[] {0x00, 0x24}, key), id.toBytes());
        }

        @Test
        void secp256k1PublicKeyIsInlinedAndPrintsWith16Uiu2() {
            // 37-byte protobuf key from the spec: inlined, hence the familiar "16Uiu2HA" prefix.
            byte[] key = hex("08021221037777e994e452c21604f91de093ce415f5432f701dd8cd1a7a6fea0e630bfca99");
            PeerId id = PeerId.fromPublicKey(key);
            assertArrayEquals(concat(new byte[] {0x00, 0x25}, key), id.toBytes());
            assertTrue(id.toBase58().startsWith("16Uiu2HA"), id.toBase58());
        }

        @Test
        void cidFormsFromGoMultiaddrTestsDecodeToTheSamePeers() {
            assertEquals(PeerId.fromString(ED_ID), PeerId.fromString(ED_ID_CID));
            assertEquals(PeerId.fromString(QM_ID), PeerId.fromString(QM_ID_CID));
            assertEquals(ED_ID, PeerId.fromString(ED_ID_CID).toBase58());
        }

        @Test
        void toCidStringMatchesGoForm() {
            assertEquals(ED_ID_CID, PeerId.fromString(ED_ID).toCidString());
            assertEquals(QM_ID_CID, PeerId.fromString(QM_ID).toCidString());
            assertEquals("bafzbeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqxe",
                    PeerId.fromString(RSA_ID).toCidString());
        }

        @Test
        void leadingZeroBytesBecomeLeadingOnes() {
            // The identity code byte 0x00 is a leading zero, which base58btc spells as '1'.
            byte[] mh = {0x00, 0x01, 0x00};
            PeerId id = PeerId.fromBytes(mh);
            assertEquals("15R", id.toBase58());
            assertEquals(PeerIdTestSupport.base58(mh), id.toBase58());
            assertArrayEquals(mh, PeerId.fromString(id.toBase58()).toBytes());
        }
    }

    @Nested
    class FromPublicKey {

        @Test
        void keyOf42BytesIsInlined() {
            byte[] key = new byte[42];
            Arrays.fill(key, (byte) 7);
            assertArrayEquals(concat(new byte[] {0x00, 42}, key), PeerId.fromPublicKey(key).toBytes());
        }

        @Test
        void keyOf43BytesIsHashedWithSha256() throws Exception {
            byte[] key = new byte[43];
            Arrays.fill(key, (byte) 7);
            PeerId id = PeerId.fromPublicKey(key);
            assertArrayEquals(concat(new byte[] {0x12, 0x20}, sha256(key)), id.toBytes());
            assertTrue(id.toBase58().startsWith("Qm"), id.toBase58());
        }

        @Test
        void oneByteKeyIsInlined() {
            assertArrayEquals(new byte[] {0x00, 0x01, 0x05}, PeerId.fromPublicKey(new byte[] {5}).toBytes());
        }

        @Test
        void keyIsCopied() {
            byte[] key = {1, 2, 3};
            PeerId id = PeerId.fromPublicKey(key);
            key[0] = 9;
            assertArrayEquals(new byte[] {0x00, 0x03, 1, 2, 3}, id.toBytes());
        }

        @Test
        void emptyKeyIsRejected() {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> PeerId.fromPublicKey(new byte[0]));
            assertEquals("invalid public key: empty", e.getMessage());
        }

        @Test
        void nullKeyIsRejected() {
            NullPointerException e = assertThrows(NullPointerException.class, () -> PeerId.fromPublicKey(null));
            assertEquals("public key must not be null", e.getMessage());
        }
    }

    @Nested
    class Random {

        @Test
        void randomIdsAreDistinctValidEd25519ShapedIds() {
            Set<PeerId> seen = new HashSet<>();
            for (int i = 0; i < 200; i++) {
                PeerId id = PeerId.random();
                String text = id.toBase58();
                assertTrue(text.startsWith("12D3KooW"), text);
                assertEquals(id, PeerId.fromString(text));
                byte[] bytes = id.toBytes();
                assertEquals(38, bytes.length);
                assertArrayEquals(new byte[] {0x00, 0x24, 0x08, 0x01, 0x12, 0x20}, Arrays.copyOf(bytes, 6));
                assertTrue(seen.add(id), "duplicate random id " + text);
            }
        }
    }

    @Nested
    class TextRejections {

        @Test
        void nonBase58CharacterIsNamedWithItsIndex() {
            assertEquals("invalid peer id \"Qm0abc\": '0' at index 2 is not a base58btc character",
                    rejectText("Qm0abc").getMessage());
        }

        @ParameterizedTest
        @CsvSource({
            "QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhxIN, I, 44",
            "QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhxlN, l, 44",
            "12D3KooWCryG7Mon9orvQxcS1rYZjotPgpwoJNHHKcLLfE4Hf5O, O, 50",
            "Qm+, +, 2",
            "'1 2', ' ', 1",
        })
        void otherExcludedCharacters(String text, char bad, int index) {
            assertEquals("invalid peer id \"" + text + "\": '" + bad + "' at index " + index
                    + " is not a base58btc character", rejectText(text).getMessage());
        }

        @Test
        void nonAsciiCharacterIsShownAsCodePoint() {
            assertEquals("invalid peer id \"Qm\u00e9\": U+00E9 at index 2 is not a base58btc character",
                    rejectText("Qm\u00e9").getMessage());
        }

        @Test
        void emptyString() {
            assertEquals("invalid peer id \"\": empty string", rejectText("").getMessage());
        }

        @Test
        void nullText() {
            NullPointerException e = assertThrows(NullPointerException.class, () -> PeerId.fromString(null));
            assertEquals("peer id text must not be null", e.getMessage());
        }

        @Test
        void truncatedSha256Id() {
            // One base58 digit short: decodes to 33 bytes whose first byte is no longer 0x12.
            String text = RSA_ID.substring(0, RSA_ID.length() - 1);
            assertEquals("invalid peer id \"" + text + "\": unsupported multihash code 0x50 (a peer id is an"
                    + " identity 0x00 or sha2-256 0x12 multihash)", rejectText(text).getMessage());
        }

        @Test
        void sha256DigestLongerThan32() {
            // From go-multiaddr's failure cases: a sha256 multihash with digest length 33.
            String text = "QmxoHT6iViN5xAjoz1VZ553cL31U9F94ht3QvWR1FrEbZY";
            assertEquals("invalid peer id \"" + text + "\": sha2-256 digest length is 33, must be 32",
                    rejectText(text).getMessage());
        }

        @Test
        void shortQmText() {
            assertTrue(rejectText("Qmabc").getMessage().startsWith("invalid peer id \"Qmabc\": "));
        }

        @ParameterizedTest
        @ValueSource(strings = {"k2k4r8oqamigqdo6o7hsbfwd45y70oyynp98usk7zmyfrzpqxh1pohl7", "zQm", "foo", "QQQ"})
        void neitherBase58NorBase32Cid(String text) {
            assertEquals("invalid peer id \"" + text + "\": neither a base58btc multihash (starting with \"Qm\""
                    + " or \"1\") nor a base32 CIDv1 (starting with \"b\")", rejectText(text).getMessage());
        }

        @Test
        void tooLong() {
            assertEquals("invalid peer id \"" + "1".repeat(257) + "\": too long (257 characters, at most 256)",
                    rejectText("1".repeat(257)).getMessage());
            // The echo of a very long input is abbreviated so it cannot flood a log.
            assertEquals("invalid peer id \"" + "1".repeat(300) + "\"... (5000 characters): too long (5000"
                    + " characters, at most 256)", rejectText("1".repeat(5000)).getMessage());
        }

        @Test
        void identityDigestOver128Bytes() {
            byte[] mh = concat(new byte[] {0x00, (byte) 0x81, 0x01}, new byte[129]);
            String text = PeerIdTestSupport.base58(mh);
            assertTrue(rejectText(text).getMessage().endsWith(": identity digest length 129 is outside 1..128"));
        }

        @Test
        void cidWithWrongCodec() {
            // CIDv1, codec raw (0x55), sha2-256 multihash: a valid CID but not a libp2p key.
            String cid = "b" + PeerIdTestSupport.base32(concat(new byte[] {0x01, 0x55}, hex(RSA_ID_HEX)));
            assertEquals("invalid peer id \"" + cid + "\": CID codec 0x55 is not libp2p-key (0x72)",
                    rejectText(cid).getMessage());
        }

        @Test
        void cidWithWrongVersion() {
            String cid = "b" + PeerIdTestSupport.base32(concat(new byte[] {0x02, 0x72}, hex(RSA_ID_HEX)));
            assertEquals("invalid peer id \"" + cid + "\": CID version 2 is not supported, expected 1",
                    rejectText(cid).getMessage());
        }

        @Test
        void cidWithUpperCaseOrBadCharacter() {
            assertEquals("invalid peer id \"bAFZBEIG\": 'A' at index 1 is not a lower-case base32 character",
                    rejectText("bAFZBEIG").getMessage());
            String bad = QM_ID_CID.substring(0, 10) + "1" + QM_ID_CID.substring(11);
            assertEquals("invalid peer id \"" + bad + "\": '1' at index 10 is not a lower-case base32 character",
                    rejectText(bad).getMessage());
        }

        @Test
        void cidWithImpossibleBase32Length() {
            assertEquals("invalid peer id \"babc\": base32 data of 3 characters has an impossible length",
                    rejectText("babc").getMessage());
        }

        @Test
        void cidTruncated() {
            String cut = QM_ID_CID.substring(0, QM_ID_CID.length() - 8);
            assertEquals("invalid peer id \"" + cut + "\": truncated multihash: digest length is 32 but only 27"
                    + " bytes follow", rejectText(cut).getMessage());
        }

        @Test
        void emptyCid() {
            assertEquals("invalid peer id \"b\": empty CID", rejectText("b").getMessage());
        }
    }

    @Nested
    class ByteRejections {

        @Test
        void empty() {
            assertEquals("invalid peer id bytes []: empty multihash", rejectBytes(new byte[0]).getMessage());
        }

        @Test
        void nullBytes() {
            NullPointerException e = assertThrows(NullPointerException.class, () -> PeerId.fromBytes(null));
            assertEquals("peer id bytes must not be null", e.getMessage());
        }

        @Test
        void unsupportedCode() {
            // sha1 (0x11) is a real multihash but not a peer id.
            byte[] mh = concat(new byte[] {0x11, 0x14}, new byte[20]);
            String message = rejectBytes(mh).getMessage();
            assertEquals("invalid peer id bytes 0x1114" + "00".repeat(20) + ": unsupported multihash code 0x11"
                    + " (a peer id is an identity 0x00 or sha2-256 0x12 multihash)", message);
        }

        @Test
        void sha256WithWrongDigestLength() {
            assertEquals("invalid peer id bytes 0x121f" + "00".repeat(31)
                            + ": sha2-256 digest length is 31, must be 32",
                    rejectBytes(concat(new byte[] {0x12, 0x1f}, new byte[31])).getMessage());
        }

        @Test
        void truncatedDigest() {
            assertEquals("invalid peer id bytes 0x1220abcd: truncated multihash: digest length is 32 but only 2"
                    + " bytes follow", rejectBytes(hex("1220abcd")).getMessage());
        }

        @Test
        void trailingBytes() {
            assertEquals("invalid peer id bytes 0x000201020304: 2 trailing bytes after the 2-byte digest",
                    rejectBytes(hex("000201020304")).getMessage());
        }

        @Test
        void zeroLengthIdentity() {
            assertEquals("invalid peer id bytes 0x0000: identity digest length 0 is outside 1..128",
                    rejectBytes(hex("0000")).getMessage());
        }

        @Test
        void identityAt128IsAcceptedAnd129Rejected() {
            byte[] ok = concat(new byte[] {0x00, (byte) 0x80, 0x01}, new byte[128]);
            assertArrayEquals(ok, PeerId.fromBytes(ok).toBytes());
            byte[] tooLong = concat(new byte[] {0x00, (byte) 0x81, 0x01}, new byte[129]);
            assertTrue(rejectBytes(tooLong).getMessage().endsWith(": identity digest length 129 is outside 1..128"));
        }

        @Test
        void truncatedVarint() {
            assertEquals("invalid peer id bytes 0x80: truncated multihash code varint at offset 0",
                    rejectBytes(hex("80")).getMessage());
            assertEquals("invalid peer id bytes 0x00: truncated multihash digest length varint at offset 1",
                    rejectBytes(hex("00")).getMessage());
        }

        @Test
        void nonMinimalVarint() {
            // 0x92 0x00 encodes 0x12 with a redundant zero continuation byte.
            assertEquals("invalid peer id bytes 0x9200" + ": multihash code varint at offset 0 is not minimally"
                    + " encoded", rejectBytes(hex("9200")).getMessage());
        }

        @Test
        void overlongVarint() {
            assertEquals("invalid peer id bytes 0xffffffffff0f: multihash code varint at offset 0 is too large",
                    rejectBytes(hex("ffffffffff0f")).getMessage());
            assertEquals("invalid peer id bytes 0x808080808000: multihash code varint at offset 0 is too large",
                    rejectBytes(hex("808080808000")).getMessage());
        }

        @Test
        void longInputIsAbbreviatedInMessage() {
            byte[] mh = concat(new byte[] {0x12, 0x20}, new byte[500]);
            String message = rejectBytes(mh).getMessage();
            assertTrue(message.contains("... (502 bytes): 468 trailing bytes after the 32-byte digest"), message);
        }
    }

    @Nested
    class ValueSemantics {

        @Test
        void fromBytesCopiesInputAndToBytesReturnsCopies() {
            byte[] input = hex(RSA_ID_HEX);
            PeerId id = PeerId.fromBytes(input);
            input[5] ^= 1;
            assertEquals(RSA_ID, id.toBase58());
            byte[] out = id.toBytes();
            out[5] ^= 1;
            assertArrayEquals(hex(RSA_ID_HEX), id.toBytes());
        }

        @Test
        void equalityAndHashCodeFollowBytes() {
            PeerId a = PeerId.fromString(QM_ID);
            PeerId b = PeerId.fromString(QM_ID_CID);
            assertEquals(a, b);
            assertEquals(a.hashCode(), b.hashCode());
            assertEquals(Arrays.hashCode(a.toBytes()), a.hashCode());
            assertNotEquals(a, PeerId.fromString(RSA_ID));
            assertNotEquals(a, QM_ID);
            assertNotEquals(null, a);
        }

        @Test
        void usableAsMapKey() {
            Map<PeerId, String> map = new HashMap<>();
            map.put(PeerId.fromString(ED_ID), "ed");
            assertEquals("ed", map.get(PeerId.fromString(ED_ID_CID)));
        }

        @Test
        void toBase58IsCached() {
            PeerId id = PeerId.fromString(ED_ID);
            assertSame(id.toBase58(), id.toBase58());
            assertSame(id.toString(), id.toBase58());
        }

        @Test
        void toBase58IsConsistentAcrossThreads() throws Exception {
            PeerId id = PeerId.fromBytes(PeerId.fromString(ED_ID).toBytes());
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<String>> results = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    results.add(pool.submit(() -> {
                        start.await();
                        return id.toBase58();
                    }));
                }
                start.countDown();
                Set<String> texts = ConcurrentHashMap.newKeySet();
                for (Future<String> f : results) {
                    texts.add(f.get(10, TimeUnit.SECONDS));
                }
                assertEquals(Set.of(ED_ID), texts);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Nested
    class Ordering {

        @Test
        void comparesRawBytesUnsigned() {
            PeerId identity = PeerId.fromBytes(hex("000101"));
            PeerId identityHigh = PeerId.fromBytes(hex("0001ff"));
            PeerId sha = PeerId.fromBytes(hex(RSA_ID_HEX));
            // 0xff must sort after 0x01: a signed comparison would put it first.
            assertTrue(identity.compareTo(identityHigh) < 0);
            assertTrue(identityHigh.compareTo(identity) > 0);
            assertTrue(identityHigh.compareTo(sha) < 0);
            assertEquals(0, sha.compareTo(PeerId.fromString(RSA_ID)));
        }

        @Test
        void firstDifferingByteDecidesNotLength() {
            PeerId shorter = PeerId.fromBytes(hex("000180"));
            PeerId longer = PeerId.fromBytes(hex("00020100"));
            // 00 01 80 vs 00 02 01 00: decided at index 1 although the shorter id has the larger tail.
            assertTrue(shorter.compareTo(longer) < 0);
            assertTrue(longer.compareTo(shorter) > 0);
            PeerId a = PeerId.fromBytes(hex("00020101"));
            PeerId b = PeerId.fromBytes(hex("00020180"));
            assertTrue(a.compareTo(b) < 0);
        }

        @Test
        void sortingMatchesUnsignedByteOrderNotTextOrder() {
            List<PeerId> ids = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                ids.add(PeerId.random());
            }
            ids.add(PeerId.fromString(RSA_ID));
            ids.add(PeerId.fromString(QM_ID));
            Collections.shuffle(ids, new java.util.Random(42));
            Collections.sort(ids);
            for (int i = 1; i < ids.size(); i++) {
                assertTrue(Arrays.compareUnsigned(ids.get(i - 1).toBytes(), ids.get(i).toBytes()) < 0);
            }
            // identity (0x00...) ids sort before sha2-256 (0x12...) ids.
            assertTrue(ids.get(ids.size() - 1).toBase58().startsWith("Qm"));
            assertTrue(ids.get(0).toBase58().startsWith("12D3KooW"));
        }
    }

    /** Independent, deliberately naive encoders used to build test inputs. */
    static final class PeerIdTestSupport {
        private PeerIdTestSupport() {
        }

        static String base58(byte[] data) {
            java.math.BigInteger n = new java.math.BigInteger(1, data);
            String alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
            StringBuilder sb = new StringBuilder();
            java.math.BigInteger base = java.math.BigInteger.valueOf(58);
            while (n.signum() > 0) {
                java.math.BigInteger[] qr = n.divideAndRemainder(base);
                sb.append(alphabet.charAt(qr[1].intValue()));
                n = qr[0];
            }
            for (int i = 0; i < data.length && data[i] == 0; i++) {
                sb.append('1');
            }
            return sb.reverse().toString();
        }

        static String base32(byte[] data) {
            String alphabet = "abcdefghijklmnopqrstuvwxyz234567";
            StringBuilder bits = new StringBuilder();
            for (byte b : data) {
                bits.append(String.format("%8s", Integer.toBinaryString(b & 0xff)).replace(' ', '0'));
            }
            while (bits.length() % 5 != 0) {
                bits.append('0');
            }
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < bits.length(); i += 5) {
                sb.append(alphabet.charAt(Integer.parseInt(bits.substring(i, i + 5), 2)));
            }
            return sb.toString();
        }
    }

    @Test
    void independentBase58EncoderAgreesOnRandomInputs() {
        java.util.Random rnd = new java.util.Random(7);
        for (int i = 0; i < 200; i++) {
            byte[] digest = new byte[1 + rnd.nextInt(42)];
            rnd.nextBytes(digest);
            if (i % 3 == 0) {
                digest[0] = 0;
            }
            byte[] mh = concat(new byte[] {0x00, (byte) digest.length}, digest);
            PeerId id = PeerId.fromBytes(mh);
            assertEquals(PeerIdTestSupport.base58(mh), id.toBase58());
            assertEquals(id, PeerId.fromString(id.toBase58()));
            assertEquals("b" + PeerIdTestSupport.base32(concat(new byte[] {0x01, 0x72}, mh)), id.toCidString());
            assertEquals(id, PeerId.fromString(id.toCidString()));
        }
    }
}
