package org.jrcmgr;

/**
 * The resources a scope holds at one moment.
 *
 * @param streamsInbound  inbound streams
 * @param streamsOutbound outbound streams
 * @param connsInbound    inbound connections
 * @param connsOutbound   outbound connections
 * @param fd              file descriptors
 * @param memory          bytes of memory
 */
public record ScopeStat(long streamsInbound, long streamsOutbound, long connsInbound, long connsOutbound,
                        long fd, long memory) {

    /** Nothing held. */
    public static final ScopeStat ZERO = new ScopeStat(0, 0, 0, 0, 0, 0);

    /**
     * @throws IllegalArgumentException if any count is negative
     */
    public ScopeStat {
        if (streamsInbound < 0 || streamsOutbound < 0 || connsInbound < 0 || connsOutbound < 0 || fd < 0
                || memory < 0) {
            throw new IllegalArgumentException("scope stat counts must not be negative: streamsInbound="
                    + streamsInbound + ", streamsOutbound=" + streamsOutbound + ", connsInbound=" + connsInbound
                    + ", connsOutbound=" + connsOutbound + ", fd=" + fd + ", memory=" + memory);
        }
    }

    /** Streams in both directions. */
    public long streams() {
        return streamsInbound + streamsOutbound;
    }

    /** Connections in both directions. */
    public long conns() {
        return connsInbound + connsOutbound;
    }

    /** Whether nothing at all is held. */
    public boolean isZero() {
        return equals(ZERO);
    }

    /** The amount of {@code resource} in this stat. */
    public long get(Resource resource) {
        return switch (resource) {
            case MEMORY -> memory;
            case STREAMS_INBOUND -> streamsInbound;
            case STREAMS_OUTBOUND -> streamsOutbound;
            case STREAMS -> streams();
            case CONNS_INBOUND -> connsInbound;
            case CONNS_OUTBOUND -> connsOutbound;
            case CONNS -> conns();
            case FD -> fd;
        };
    }
}
