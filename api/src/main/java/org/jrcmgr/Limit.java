package org.jrcmgr;

/**
 * The limits of one scope. The scope reads them at every check, so an implementation may change
 * its answers over time (a memory-pressure-driven limit, say); {@link BaseLimit} is the fixed one.
 */
public interface Limit {

    /** The memory limit in bytes. */
    LimitValue memory();

    /** The stream limit for one direction ({@link Direction#UNKNOWN} counts as outbound). */
    LimitValue streams(Direction direction);

    /** The limit on streams of both directions together. */
    LimitValue streamsTotal();

    /** The connection limit for one direction ({@link Direction#UNKNOWN} counts as outbound). */
    LimitValue conns(Direction direction);

    /** The limit on connections of both directions together. */
    LimitValue connsTotal();

    /** The file-descriptor limit. */
    LimitValue fd();

    /** The limit that applies to {@code resource}. */
    default LimitValue get(Resource resource) {
        return switch (resource) {
            case MEMORY -> memory();
            case STREAMS_INBOUND -> streams(Direction.INBOUND);
            case STREAMS_OUTBOUND -> streams(Direction.OUTBOUND);
            case STREAMS -> streamsTotal();
            case CONNS_INBOUND -> conns(Direction.INBOUND);
            case CONNS_OUTBOUND -> conns(Direction.OUTBOUND);
            case CONNS -> connsTotal();
            case FD -> fd();
        };
    }
}
