package org.jrcmgr;

/**
 * A kind of resource a scope accounts for; names the limit that refused a reservation.
 */
public enum Resource {
    /** Bytes of memory. */
    MEMORY("memory"),
    /** Inbound streams. */
    STREAMS_INBOUND("inbound stream"),
    /** Outbound streams. */
    STREAMS_OUTBOUND("outbound stream"),
    /** Streams in both directions together. */
    STREAMS("stream"),
    /** Inbound connections. */
    CONNS_INBOUND("inbound connection"),
    /** Outbound connections. */
    CONNS_OUTBOUND("outbound connection"),
    /** Connections in both directions together. */
    CONNS("connection"),
    /** Operating-system file descriptors. */
    FD("file descriptor");

    private final String label;

    Resource(String label) {
        this.label = label;
    }

    /** A human-readable label, as used in refusal messages ("inbound stream", "memory", ...). */
    public String label() {
        return label;
    }

    /** The per-direction stream resource. */
    public static Resource streams(Direction direction) {
        return direction.isInbound() ? STREAMS_INBOUND : STREAMS_OUTBOUND;
    }

    /** The per-direction connection resource. */
    public static Resource conns(Direction direction) {
        return direction.isInbound() ? CONNS_INBOUND : CONNS_OUTBOUND;
    }
}
