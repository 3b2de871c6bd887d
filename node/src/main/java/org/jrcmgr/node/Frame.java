package org.jrcmgr.node;

import java.nio.ByteBuffer;

/**
 * The wire format: length-prefixed frames, multiplexed by stream id in the manner of yamux.
 *
 * <pre>
 *  0      1      2              6              10
 *  +------+------+--------------+--------------+-------------...
 *  | type | flags| stream id    | length       | payload (length bytes)
 *  +------+------+--------------+--------------+-------------...
 *    u8     u8     u32 big-end.   u32 big-end.
 * </pre>
 *
 * The dialer opens odd stream ids and the listener even ones, so the two never collide. HELLO
 * and READY make the handshake, CLOSE ends the connection with a {@link Reason}; SYN (naming the
 * protocol), ACK, DATA, FIN and RST (with a {@link Reason}) drive a stream.
 */
final class Frame {

    static final int HEADER_BYTES = 10;

    /** Each side's first frame: version (u8), key length (u16), the libp2p-encoded public key. */
    static final int HELLO = 1;
    /** The sender has admitted the peer (its {@code setPeer} succeeded): the handshake is done once both have sent it. */
    static final int READY = 2;
    /** Opens a stream; the payload is the protocol id in UTF-8. */
    static final int SYN = 3;
    /** The receiver of a SYN admitted the stream (openStream, setProtocol and setService succeeded). */
    static final int ACK = 4;
    /** Stream data. */
    static final int DATA = 5;
    /** The sender will write no more on the stream. */
    static final int FIN = 6;
    /** Aborts a stream; the payload is a {@link Reason}. */
    static final int RST = 7;
    /** Ends the connection; the payload is a {@link Reason}. */
    static final int CLOSE = 8;

    static final int PROTOCOL_VERSION = 1;
    /** The largest DATA payload; larger writes are split. */
    static final int MAX_DATA = 64 * 1024;
    /** The largest payload of any other frame. */
    static final int MAX_CONTROL = 8 * 1024;
    /** The longest protocol id in a SYN, in UTF-8 bytes. */
    static final int MAX_PROTOCOL_ID = 256;

    private Frame() {
    }

    static void putHeader(ByteBuffer out, int type, int streamId, int length) {
        out.put((byte) type).put((byte) 0).putInt(streamId).putInt(length);
    }

    static String typeName(int type) {
        return switch (type) {
            case HELLO -> "HELLO";
            case READY -> "READY";
            case SYN -> "SYN";
            case ACK -> "ACK";
            case DATA -> "DATA";
            case FIN -> "FIN";
            case RST -> "RST";
            case CLOSE -> "CLOSE";
            default -> "type " + type;
        };
    }

    static int maxPayload(int type) {
        return type == DATA ? MAX_DATA : MAX_CONTROL;
    }
}
