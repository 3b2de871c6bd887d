package org.jrcmgr.node.protocol;

import java.util.List;
import org.jrcmgr.ProtocolId;
import org.jrcmgr.node.Node;

/**
 * The node's protocols and their services (each stream of a protocol is claimed by its service
 * with {@code setService}, as go-libp2p's identify, ping and relay services claim theirs).
 *
 * <table>
 *   <caption>Protocols</caption>
 *   <tr><th>protocol</th><th>service</th><th>what the receiver does</th></tr>
 *   <tr><td>{@code /echo/1.0.0}</td><td>{@code echo}</td><td>sends back every byte, then closes</td></tr>
 *   <tr><td>{@code /bulk/1.0.0}</td><td>{@code bulk}</td><td>keeps everything in 256 KiB native chunks
 *       reserved at the priority the first byte names; replies with the total and the chunk count</td></tr>
 *   <tr><td>{@code /slow/1.0.0}</td><td>{@code slow}</td><td>holds the stream open for the milliseconds
 *       the request names (at most the node's limit), then replies one byte and closes</td></tr>
 * </table>
 */
public final class Protocols {

    /** Echo: every byte comes back. */
    public static final ProtocolId ECHO = ProtocolId.of("/echo/1.0.0");
    /** Bulk: the receiver keeps the bytes in large buffers until the end. */
    public static final ProtocolId BULK = ProtocolId.of("/bulk/1.0.0");
    /** Slow: the receiver holds the stream open for a while. */
    public static final ProtocolId SLOW = ProtocolId.of("/slow/1.0.0");

    /** The services that claim their protocols' streams. */
    public static final String ECHO_SERVICE = "echo";
    /** The bulk service. */
    public static final String BULK_SERVICE = "bulk";
    /** The slow service. */
    public static final String SLOW_SERVICE = "slow";

    /** Every protocol the node serves. */
    public static final List<ProtocolId> ALL = List.of(ECHO, BULK, SLOW);

    private Protocols() {
    }

    /** Serves the three protocols on {@code node}. */
    public static void registerDefaults(Node node) {
        node.handle(ECHO, n -> new EchoHandler());
        node.handle(BULK, n -> new BulkHandler());
        node.handle(SLOW, n -> new SlowHandler(n.config().slowMaxHold()));
    }
}
