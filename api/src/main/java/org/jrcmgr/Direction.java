package org.jrcmgr;

/**
 * The direction of a connection or stream, seen from this node.
 *
 * <p>As in go-libp2p, anything that is not {@link #INBOUND} is accounted as outbound, so
 * {@link #UNKNOWN} consumes outbound slots.
 */
public enum Direction {
    /** The direction is not known; accounted as outbound. */
    UNKNOWN,
    /** Opened by the remote side. */
    INBOUND,
    /** Opened by this node. */
    OUTBOUND;

    /** Whether this direction is accounted against the inbound limits. */
    public boolean isInbound() {
        return this == INBOUND;
    }
}
