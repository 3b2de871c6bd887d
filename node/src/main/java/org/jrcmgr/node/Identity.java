package org.jrcmgr.node;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Arrays;
import java.util.Objects;
import org.jrcmgr.PeerId;

/**
 * A node's identity: an Ed25519 key pair made with the JDK and the libp2p peer id of its public
 * key.
 *
 * <p>The public key is encoded as libp2p encodes it, a {@code PublicKey} protobuf message
 * ({@code 0x08 0x01} for type Ed25519, {@code 0x12 0x20} and the 32 key bytes), so the peer id is
 * the one a libp2p node would derive from the same key ({@code 12D3KooW...}).
 *
 * <p>The handshake only exchanges public keys: nothing proves that the remote holds the private
 * key, and nothing is encrypted. This is a test and demo transport, not a secure channel.
 */
public final class Identity {

    /** libp2p's protobuf prefix of an Ed25519 public key: field 1 = 1 (Ed25519), field 2 of 32 bytes. */
    private static final byte[] ED25519_PROTOBUF_PREFIX = {0x08, 0x01, 0x12, 0x20};
    private static final int ED25519_KEY_BYTES = 32;
    /** The length of a libp2p-encoded Ed25519 public key. */
    public static final int ENCODED_PUBLIC_KEY_BYTES = ED25519_PROTOBUF_PREFIX.length + ED25519_KEY_BYTES;

    private final byte[] encodedPublicKey;
    private final PeerId peerId;

    private Identity(KeyPair keyPair) {
        // X.509 SubjectPublicKeyInfo of an Ed25519 key: a fixed 12-byte header, then the raw key.
        byte[] x509 = keyPair.getPublic().getEncoded();
        byte[] raw = Arrays.copyOfRange(x509, x509.length - ED25519_KEY_BYTES, x509.length);
        this.encodedPublicKey = encode(raw);
        this.peerId = PeerId.fromPublicKey(encodedPublicKey);
    }

    /** A fresh identity with a new Ed25519 key pair. */
    public static Identity generate() {
        try {
            return new Identity(KeyPairGenerator.getInstance("Ed25519").generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot generate Ed25519 keys (module jdk.crypto.ec missing?)", e);
        }
    }

    /** The peer id derived from the public key. */
    public PeerId peerId() {
        return peerId;
    }

    /** The public key as libp2p encodes it (a fresh copy). */
    public byte[] encodedPublicKey() {
        return encodedPublicKey.clone();
    }

    /**
     * The peer id of a libp2p-encoded Ed25519 public key received in a handshake.
     *
     * @throws IllegalArgumentException if the bytes are not a libp2p Ed25519 public key
     */
    public static PeerId peerIdOf(byte[] encodedPublicKey) {
        Objects.requireNonNull(encodedPublicKey, "encodedPublicKey");
        if (encodedPublicKey.length != ENCODED_PUBLIC_KEY_BYTES
                || !Arrays.equals(encodedPublicKey, 0, ED25519_PROTOBUF_PREFIX.length,
                        ED25519_PROTOBUF_PREFIX, 0, ED25519_PROTOBUF_PREFIX.length)) {
            throw new IllegalArgumentException("not a libp2p Ed25519 public key (" + encodedPublicKey.length + " bytes)");
        }
        return PeerId.fromPublicKey(encodedPublicKey);
    }

    private static byte[] encode(byte[] raw) {
        byte[] out = Arrays.copyOf(ED25519_PROTOBUF_PREFIX, ENCODED_PUBLIC_KEY_BYTES);
        System.arraycopy(raw, 0, out, ED25519_PROTOBUF_PREFIX.length, ED25519_KEY_BYTES);
        return out;
    }

    @Override
    public String toString() {
        return "Identity[" + peerId + "]";
    }
}
