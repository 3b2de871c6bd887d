package org.jrcmgr;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The identity of a libp2p peer: the multihash of its protobuf-encoded public key.
 *
 * <p>A peer id is an <em>identity</em> multihash (code {@code 0x00}), which inlines a key of at
 * most 42 bytes such as Ed25519, or a <em>sha2-256</em> multihash (code {@code 0x12}) of a longer
 * key such as RSA. Its usual text form is the base58btc encoding of the multihash bytes, which is
 * why Ed25519 ids start with {@code 12D3KooW} and RSA ids with {@code Qm}. Like go-libp2p's
 * {@code peer.Decode}, {@link #fromString(String)} also accepts the CIDv1 form
 * ({@code bafz...}).
 *
 * <p>Instances are immutable and thread-safe. Equality, hashing and ordering are defined on the
 * raw multihash bytes, so two ids parsed from different text forms of the same key are equal.
 * Ordering is unsigned lexicographic on those bytes, the order in which go-libp2p sorts peers.
 */
public final class PeerId implements Comparable<PeerId> {

    /** Keys up to this many encoded bytes are inlined rather than hashed (libp2p peer-id spec). */
    static final int MAX_INLINE_KEY_LENGTH = 42;

    /**
     * go-multihash accepts identity digests of any length; this bound only exists so that
     * absurd input (megabytes posing as a peer id) is rejected before it is hashed, printed or
     * used as a map key. Real inlined keys are at most 42 bytes.
     */
    static final int MAX_IDENTITY_DIGEST_LENGTH = 128;

    private static final int IDENTITY = 0x00;
    private static final int SHA2_256 = 0x12;
    private static final int SHA2_256_LENGTH = 32;
    private static final int CID_V1 = 1;
    private static final int LIBP2P_KEY_CODEC = 0x72;

    /** Protobuf PublicKey{Type: Ed25519, Data: <32 bytes>} header. */
    private static final byte[] ED25519_KEY_HEADER = {0x08, 0x01, 0x12, 0x20};
    private static final int ED25519_KEY_LENGTH = 32;

    /**
     * The longest valid text is the CID form of a 131-byte multihash (214 characters); anything
     * longer is refused before the quadratic base58 decoder sees it.
     */
    private static final int MAX_TEXT_LENGTH = 256;

    private final byte[] bytes;
    private final int hash;

    /**
     * Lazily computed because ids are used as map keys and in scope names: the encoding is
     * quadratic in the length and most ids are never printed. Racing threads compute equal
     * strings and String is safely publishable, so the race is benign and no volatile is needed.
     */
    private String base58;

    private PeerId(byte[] validatedMultihash) {
        this.bytes = validatedMultihash;
        this.hash = Arrays.hashCode(validatedMultihash);
    }

    /**
     * Parses the text form of a peer id.
     *
     * <p>Accepted forms, as in go-libp2p's {@code peer.Decode}: the base58btc encoding of the
     * multihash ({@code 12D3KooW...}, {@code Qm...}), and the CIDv1 form with multibase prefix
     * {@code b} (lower-case base32), CID version 1 and codec {@code libp2p-key} ({@code 0x72}).
     * Other multibase prefixes of the CID form are not supported.
     *
     * @param text the text form
     * @return the peer id
     * @throws NullPointerException if {@code text} is null
     * @throws IllegalArgumentException if {@code text} is not a valid peer id; the message quotes
     *     the input and names the problem
     */
    public static PeerId fromString(String text) {
        Objects.requireNonNull(text, "peer id text must not be null");
        if (text.isEmpty()) {
            throw invalidText(text, "empty string");
        }
        if (text.length() > MAX_TEXT_LENGTH) {
            throw invalidText(text, "too long (" + text.length() + " characters, at most "
                    + MAX_TEXT_LENGTH + ")");
        }
        byte[] multihash;
        try {
            // Valid base58 ids always start with "Qm" (sha2-256 prefix 0x12 0x20) or "1"
            // (identity prefix 0x00); go routes everything else to the CID decoder, of which we
            // support the 'b' multibase.
            if (text.startsWith("Qm") || text.charAt(0) == '1') {
                multihash = Codecs.base58Decode(text, 0);
            } else if (text.charAt(0) == 'b') {
                multihash = cidToMultihash(text);
            } else {
                throw new IllegalArgumentException("neither a base58btc multihash (starting with"
                        + " \"Qm\" or \"1\") nor a base32 CIDv1 (starting with \"b\")");
            }
            checkMultihash(multihash);
        } catch (IllegalArgumentException e) {
            throw invalidText(text, e.getMessage(), e);
        }
        return new PeerId(multihash);
    }

    /**
     * Wraps the raw multihash bytes of a peer id (the binary form used on the wire and in
     * {@code /p2p} multiaddr components).
     *
     * @param multihash an identity (digest 1..128 bytes) or sha2-256 (digest 32 bytes)
     *     multihash; copied, so later changes to the array do not affect the id
     * @return the peer id
     * @throws NullPointerException if {@code multihash} is null
     * @throws IllegalArgumentException if the bytes are not such a multihash
     */
    public static PeerId fromBytes(byte[] multihash) {
        Objects.requireNonNull(multihash, "peer id bytes must not be null");
        byte[] copy = multihash.clone();
        try {
            checkMultihash(copy);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "invalid peer id bytes " + Codecs.hex(copy) + ": " + e.getMessage(), e);
        }
        return new PeerId(copy);
    }

    /**
     * Derives the peer id of a public key, following the libp2p rule: a key whose protobuf
     * encoding is at most 42 bytes is inlined as an identity multihash, a longer one is hashed
     * with sha2-256.
     *
     * @param protobufEncodedPublicKey the key as a serialized libp2p {@code PublicKey} protobuf
     *     message (type and data), not the bare key material
     * @return the peer id
     * @throws NullPointerException if the key is null
     * @throws IllegalArgumentException if the key is empty
     */
    public static PeerId fromPublicKey(byte[] protobufEncodedPublicKey) {
        Objects.requireNonNull(protobufEncodedPublicKey, "public key must not be null");
        byte[] key = protobufEncodedPublicKey.clone();
        if (key.length == 0) {
            throw new IllegalArgumentException("invalid public key: empty");
        }
        if (key.length <= MAX_INLINE_KEY_LENGTH) {
            return new PeerId(multihash(IDENTITY, key));
        }
        return new PeerId(multihash(SHA2_256, sha256(key)));
    }

    /**
     * Creates a random peer id shaped like an Ed25519 one: the identity multihash of a protobuf
     * Ed25519 public key with 32 random key bytes. Its text form starts with {@code 12D3KooW}.
     * Nobody holds the private key, so this is for tests and simulations only.
     *
     * @return a fresh random peer id
     */
    public static PeerId random() {
        byte[] key = Arrays.copyOf(ED25519_KEY_HEADER, ED25519_KEY_HEADER.length + ED25519_KEY_LENGTH);
        byte[] material = new byte[ED25519_KEY_LENGTH];
        RandomHolder.RANDOM.nextBytes(material);
        System.arraycopy(material, 0, key, ED25519_KEY_HEADER.length, ED25519_KEY_LENGTH);
        return new PeerId(multihash(IDENTITY, key));
    }

    /**
     * Returns the raw multihash bytes.
     *
     * @return a fresh copy of the multihash bytes
     */
    public byte[] toBytes() {
        return bytes.clone();
    }

    /**
     * Returns the canonical text form: the base58btc encoding of the multihash.
     *
     * @return the base58btc text, e.g. {@code 12D3KooW...} or {@code Qm...}
     */
    public String toBase58() {
        String s = base58;
        if (s == null) {
            s = Codecs.base58Encode(bytes);
            base58 = s;
        }
        return s;
    }

    /**
     * Returns the CIDv1 text form ({@code b} multibase, codec {@code libp2p-key}), as go-libp2p's
     * {@code peer.ToCid(id).String()} prints it. {@link #fromString(String)} accepts it back.
     *
     * @return the CID text, starting with {@code bafz}
     */
    public String toCidString() {
        byte[] cid = new byte[2 + bytes.length];
        cid[0] = CID_V1;
        cid[1] = LIBP2P_KEY_CODEC;
        System.arraycopy(bytes, 0, cid, 2, bytes.length);
        return "b" + Codecs.base32Encode(cid);
    }

    /**
     * Returns the base58btc text form, identical to {@link #toBase58()}.
     *
     * @return the base58btc text
     */
    @Override
    public String toString() {
        return toBase58();
    }

    /**
     * Two peer ids are equal when their multihash bytes are equal.
     *
     * @param o the object to compare with
     * @return whether {@code o} is a peer id with the same bytes
     */
    @Override
    public boolean equals(Object o) {
        return this == o
                || (o instanceof PeerId other && hash == other.hash && Arrays.equals(bytes, other.bytes));
    }

    /**
     * Returns a hash of the multihash bytes, computed once at construction.
     *
     * @return the hash code
     */
    @Override
    public int hashCode() {
        return hash;
    }

    /**
     * Orders peer ids by unsigned lexicographic comparison of their multihash bytes, as go-libp2p
     * sorts peers.
     *
     * @param other the id to compare with
     * @return negative, zero or positive as this id sorts before, with or after {@code other}
     */
    @Override
    public int compareTo(PeerId other) {
        return Arrays.compareUnsigned(bytes, other.bytes);
    }

    private static byte[] cidToMultihash(String text) {
        byte[] cid = Codecs.base32Decode(text, 1);
        Codecs.Cursor in = new Codecs.Cursor(cid);
        if (!in.hasRemaining()) {
            throw new IllegalArgumentException("empty CID");
        }
        int version = in.uvarint("CID version");
        if (version != CID_V1) {
            throw new IllegalArgumentException("CID version " + version + " is not supported, expected 1");
        }
        int codec = in.uvarint("CID codec");
        if (codec != LIBP2P_KEY_CODEC) {
            throw new IllegalArgumentException(String.format(
                    "CID codec 0x%x is not libp2p-key (0x72)", codec));
        }
        return in.rest();
    }

    /** Throws with a plain description of the first problem; callers add the context. */
    private static void checkMultihash(byte[] mh) {
        if (mh.length == 0) {
            throw new IllegalArgumentException("empty multihash");
        }
        Codecs.Cursor in = new Codecs.Cursor(mh);
        int code = in.uvarint("multihash code");
        if (code != IDENTITY && code != SHA2_256) {
            throw new IllegalArgumentException(String.format(
                    "unsupported multihash code 0x%x (a peer id is an identity 0x00 or sha2-256 0x12"
                            + " multihash)", code));
        }
        int length = in.uvarint("multihash digest length");
        if (code == SHA2_256 && length != SHA2_256_LENGTH) {
            throw new IllegalArgumentException(
                    "sha2-256 digest length is " + length + ", must be " + SHA2_256_LENGTH);
        }
        if (code == IDENTITY && (length < 1 || length > MAX_IDENTITY_DIGEST_LENGTH)) {
            throw new IllegalArgumentException("identity digest length " + length
                    + " is outside 1.." + MAX_IDENTITY_DIGEST_LENGTH);
        }
        if (in.remaining() < length) {
            throw new IllegalArgumentException("truncated multihash: digest length is " + length
                    + " but only " + in.remaining() + " bytes follow");
        }
        if (in.remaining() > length) {
            throw new IllegalArgumentException((in.remaining() - length)
                    + " trailing bytes after the " + length + "-byte digest");
        }
    }

    private static byte[] multihash(int code, byte[] digest) {
        // Both codes and every digest length we produce (<= 42 or 32) fit in one varint byte.
        byte[] mh = new byte[2 + digest.length];
        mh[0] = (byte) code;
        mh[1] = (byte) digest.length;
        System.arraycopy(digest, 0, mh, 2, digest.length);
        return mh;
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform is required to provide SHA-256.
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }

    private static IllegalArgumentException invalidText(String text, String detail) {
        return new IllegalArgumentException("invalid peer id " + Codecs.quote(text) + ": " + detail);
    }

    private static IllegalArgumentException invalidText(String text, String detail, Throwable cause) {
        return new IllegalArgumentException(
                "invalid peer id " + Codecs.quote(text) + ": " + detail, cause);
    }

    /** Defers SecureRandom seeding until the first random id is actually requested. */
    private static final class RandomHolder {
        static final SecureRandom RANDOM = new SecureRandom();
    }

    /**
     * Multiformats encodings shared with {@link Multiaddr}. They live here because the api module
     * must not depend on a multiformats library. Every method throws IllegalArgumentException with
     * a context-free message; callers prefix what was being decoded.
     */
    static final class Codecs {
        private static final String BASE58_ALPHABET =
                "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
        private static final String BASE32_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";
        private static final int[] BASE58_INDEX = index(BASE58_ALPHABET);
        private static final int[] BASE32_INDEX = index(BASE32_ALPHABET);

        /** Longest input echoed in an error message, so a huge input does not flood logs. */
        private static final int MAX_QUOTED = 300;

        private Codecs() {
        }

        private static int[] index(String alphabet) {
            int[] index = new int[128];
            Arrays.fill(index, -1);
            for (int i = 0; i < alphabet.length(); i++) {
                index[alphabet.charAt(i)] = i;
            }
            return index;
        }

        static String base58Encode(byte[] data) {
            int zeros = 0;
            while (zeros < data.length && data[zeros] == 0) {
                zeros++;
            }
            // log(256) / log(58) < 1.38, so this many base58 digits always suffice.
            byte[] digits = new byte[(data.length - zeros) * 138 / 100 + 1];
            int used = 0;
            for (int i = zeros; i < data.length; i++) {
                int carry = data[i] & 0xff;
                int j = 0;
                for (; j < used || carry != 0; j++) {
                    carry += (digits[j] & 0xff) * 256;
                    digits[j] = (byte) (carry % 58);
                    carry /= 58;
                }
                used = j;
            }
            StringBuilder sb = new StringBuilder(zeros + used);
            for (int i = 0; i < zeros; i++) {
                sb.append('1');
            }
            for (int i = used - 1; i >= 0; i--) {
                sb.append(BASE58_ALPHABET.charAt(digits[i]));
            }
            return sb.toString();
        }

        /** Decodes {@code text.substring(from)}; error positions are indexes into {@code text}. */
        static byte[] base58Decode(String text, int from) {
            int zeros = 0;
            while (from + zeros < text.length() && text.charAt(from + zeros) == '1') {
                zeros++;
            }
            // log(58) / log(256) < 0.733, so this many bytes always suffice.
            byte[] out = new byte[(text.length() - from - zeros) * 733 / 1000 + 1];
            int used = 0;
            for (int i = from + zeros; i < text.length(); i++) {
                char c = text.charAt(i);
                int carry = c < 128 ? BASE58_INDEX[c] : -1;
                if (carry < 0) {
                    throw new IllegalArgumentException(
                            describe(c) + " at index " + i + " is not a base58btc character");
                }
                int j = 0;
                for (; j < used || carry != 0; j++) {
                    carry += (out[j] & 0xff) * 58;
                    out[j] = (byte) carry;
                    carry >>>= 8;
                }
                used = j;
            }
            byte[] result = new byte[zeros + used];
            for (int i = 0; i < used; i++) {
                result[zeros + i] = out[used - 1 - i];
            }
            return result;
        }

        /** RFC 4648 base32, lower case, no padding: the multibase 'b' alphabet. */
        static String base32Encode(byte[] data) {
            StringBuilder sb = new StringBuilder((data.length * 8 + 4) / 5);
            int buffer = 0;
            int bits = 0;
            for (byte b : data) {
                buffer = (buffer << 8) | (b & 0xff);
                bits += 8;
                while (bits >= 5) {
                    sb.append(BASE32_ALPHABET.charAt((buffer >>> (bits - 5)) & 31));
                    bits -= 5;
                }
            }
            if (bits > 0) {
                sb.append(BASE32_ALPHABET.charAt((buffer << (5 - bits)) & 31));
            }
            return sb.toString();
        }

        /**
         * Decodes lower-case unpadded base32 from {@code text.substring(from)}. Like Go's decoder,
         * non-zero bits in the final partial character are ignored rather than rejected.
         */
        static byte[] base32Decode(String text, int from) {
            int chars = text.length() - from;
            int rem = chars % 8;
            if (rem == 1 || rem == 3 || rem == 6) {
                throw new IllegalArgumentException(
                        "base32 data of " + chars + " characters has an impossible length");
            }
            byte[] out = new byte[chars * 5 / 8];
            int buffer = 0;
            int bits = 0;
            int n = 0;
            for (int i = from; i < text.length(); i++) {
                char c = text.charAt(i);
                int v = c < 128 ? BASE32_INDEX[c] : -1;
                if (v < 0) {
                    throw new IllegalArgumentException(
                            describe(c) + " at index " + i + " is not a lower-case base32 character");
                }
                buffer = (buffer << 5) | v;
                bits += 5;
                if (bits >= 8) {
                    out[n++] = (byte) (buffer >>> (bits - 8));
                    bits -= 8;
                }
            }
            return out;
        }

        static void writeUvarint(java.io.ByteArrayOutputStream out, int value) {
            int v = value;
            while ((v & ~0x7f) != 0) {
                out.write((v & 0x7f) | 0x80);
                v >>>= 7;
            }
            out.write(v);
        }

        /** Checks a multihash's framing (any code); Multiaddr uses it for certhash values. */
        static void checkMultihashFraming(byte[] mh) {
            if (mh.length == 0) {
                throw new IllegalArgumentException("empty multihash");
            }
            Cursor in = new Cursor(mh);
            in.uvarint("multihash code");
            int length = in.uvarint("multihash digest length");
            if (in.remaining() < length) {
                throw new IllegalArgumentException("truncated multihash: digest length is " + length
                        + " but only " + in.remaining() + " bytes follow");
            }
            if (in.remaining() > length) {
                throw new IllegalArgumentException((in.remaining() - length)
                        + " trailing bytes after the " + length + "-byte digest");
            }
        }

        static String hex(byte[] data) {
            int max = MAX_QUOTED / 2;
            if (data.length == 0) {
                return "[]";
            }
            if (data.length <= max) {
                return "0x" + HexFormat.of().formatHex(data);
            }
            return "0x" + HexFormat.of().formatHex(data, 0, max) + "... (" + data.length + " bytes)";
        }

        static String quote(String text) {
            if (text.length() <= MAX_QUOTED) {
                return '"' + text + '"';
            }
            return '"' + text.substring(0, MAX_QUOTED) + "\"... (" + text.length() + " characters)";
        }

        static String describe(char c) {
            if (c >= 0x20 && c < 0x7f) {
                return "'" + c + "'";
            }
            return String.format("U+%04X", (int) c);
        }

        static boolean isUtf8Encodable(String s) {
            return StandardCharsets.UTF_8.newEncoder().canEncode(s);
        }

        /** A read position in a byte array, for the varint-framed multiformats encodings. */
        static final class Cursor {
            private final byte[] data;
            private int pos;

            Cursor(byte[] data) {
                this.data = data;
            }

            int position() {
                return pos;
            }

            int remaining() {
                return data.length - pos;
            }

            boolean hasRemaining() {
                return pos < data.length;
            }

            /**
             * Reads an unsigned varint that must fit an int. Non-minimal encodings are refused,
             * as the multiformats unsigned-varint spec and go-varint require, so every value has
             * exactly one binary form and equality on bytes stays meaningful.
             */
            int uvarint(String what) {
                int start = pos;
                long value = 0;
                for (int shift = 0; ; shift += 7) {
                    if (pos >= data.length) {
                        throw new IllegalArgumentException(
                                "truncated " + what + " varint at offset " + start);
                    }
                    int b = data[pos++] & 0xff;
                    value |= (long) (b & 0x7f) << shift;
                    // An int needs at most 5 varint bytes; stopping there also keeps the shift
                    // far from the 64-bit wrap-around.
                    if (value > Integer.MAX_VALUE || pos - start > 5) {
                        throw new IllegalArgumentException(
                                what + " varint at offset " + start + " is too large");
                    }
                    if ((b & 0x80) == 0) {
                        if (b == 0 && pos - start > 1) {
                            throw new IllegalArgumentException(
                                    what + " varint at offset " + start + " is not minimally encoded");
                        }
                        return (int) value;
                    }
                }
            }

            byte[] take(int n, String what) {
                if (remaining() < n) {
                    throw new IllegalArgumentException("truncated " + what + " at offset " + pos
                            + ": needs " + n + " bytes but only " + remaining() + " remain");
                }
                byte[] out = Arrays.copyOfRange(data, pos, pos + n);
                pos += n;
                return out;
            }

            byte[] rest() {
                byte[] out = Arrays.copyOfRange(data, pos, data.length);
                pos = data.length;
                return out;
            }
        }
    }
}
