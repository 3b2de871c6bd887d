package org.jrcmgr;

import java.util.Objects;

/**
 * A fixed {@link Limit}: the eight limits of a scope as values.
 *
 * @param streams         streams of both directions together
 * @param streamsInbound  inbound streams
 * @param streamsOutbound outbound streams
 * @param conns           connections of both directions together
 * @param connsInbound    inbound connections
 * @param connsOutbound   outbound connections
 * @param fd              file descriptors
 * @param memory          bytes of memory
 */
public record BaseLimit(LimitValue streams, LimitValue streamsInbound, LimitValue streamsOutbound,
                        LimitValue conns, LimitValue connsInbound, LimitValue connsOutbound,
                        LimitValue fd, LimitValue memory) implements Limit {

    /** Every limit unlimited. */
    public static final BaseLimit UNLIMITED = uniform(LimitValue.unlimited());

    /** Every limit block-all. */
    public static final BaseLimit BLOCK_ALL = uniform(LimitValue.blockAll());

    /**
     * @throws NullPointerException if any limit is null
     */
    public BaseLimit {
        Objects.requireNonNull(streams, "streams");
        Objects.requireNonNull(streamsInbound, "streamsInbound");
        Objects.requireNonNull(streamsOutbound, "streamsOutbound");
        Objects.requireNonNull(conns, "conns");
        Objects.requireNonNull(connsInbound, "connsInbound");
        Objects.requireNonNull(connsOutbound, "connsOutbound");
        Objects.requireNonNull(fd, "fd");
        Objects.requireNonNull(memory, "memory");
    }

    /** The same value for all eight limits. */
    public static BaseLimit uniform(LimitValue value) {
        return new BaseLimit(value, value, value, value, value, value, value, value);
    }

    /** A copy of any limit's current values, fixed. */
    public static BaseLimit copyOf(Limit limit) {
        if (limit instanceof BaseLimit base) {
            return base;
        }
        return new BaseLimit(limit.streamsTotal(), limit.streams(Direction.INBOUND),
                limit.streams(Direction.OUTBOUND), limit.connsTotal(), limit.conns(Direction.INBOUND),
                limit.conns(Direction.OUTBOUND), limit.fd(), limit.memory());
    }

    /** A builder starting from all limits block-all, go-libp2p's zero value. */
    public static Builder builder() {
        return new Builder(BLOCK_ALL);
    }

    /** A builder starting from this limit's values. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    @Override
    public LimitValue streams(Direction direction) {
        return direction.isInbound() ? streamsInbound : streamsOutbound;
    }

    @Override
    public LimitValue streamsTotal() {
        return streams;
    }

    @Override
    public LimitValue conns(Direction direction) {
        return direction.isInbound() ? connsInbound : connsOutbound;
    }

    @Override
    public LimitValue connsTotal() {
        return conns;
    }

    /** Builds a {@link BaseLimit} field by field; counts given as numbers go through {@link LimitValue#of(long)}. */
    public static final class Builder {
        private LimitValue streams;
        private LimitValue streamsInbound;
        private LimitValue streamsOutbound;
        private LimitValue conns;
        private LimitValue connsInbound;
        private LimitValue connsOutbound;
        private LimitValue fd;
        private LimitValue memory;

        private Builder(BaseLimit from) {
            streams = from.streams;
            streamsInbound = from.streamsInbound;
            streamsOutbound = from.streamsOutbound;
            conns = from.conns;
            connsInbound = from.connsInbound;
            connsOutbound = from.connsOutbound;
            fd = from.fd;
            memory = from.memory;
        }

        /** Inbound, outbound and total stream limits. */
        public Builder streams(long inbound, long outbound, long total) {
            return streams(LimitValue.of(inbound), LimitValue.of(outbound), LimitValue.of(total));
        }

        /** Inbound, outbound and total stream limits. */
        public Builder streams(LimitValue inbound, LimitValue outbound, LimitValue total) {
            streamsInbound = Objects.requireNonNull(inbound, "inbound");
            streamsOutbound = Objects.requireNonNull(outbound, "outbound");
            streams = Objects.requireNonNull(total, "total");
            return this;
        }

        /** Inbound, outbound and total connection limits. */
        public Builder conns(long inbound, long outbound, long total) {
            return conns(LimitValue.of(inbound), LimitValue.of(outbound), LimitValue.of(total));
        }

        /** Inbound, outbound and total connection limits. */
        public Builder conns(LimitValue inbound, LimitValue outbound, LimitValue total) {
            connsInbound = Objects.requireNonNull(inbound, "inbound");
            connsOutbound = Objects.requireNonNull(outbound, "outbound");
            conns = Objects.requireNonNull(total, "total");
            return this;
        }

        /** The file-descriptor limit. */
        public Builder fd(long n) {
            return fd(LimitValue.of(n));
        }

        /** The file-descriptor limit. */
        public Builder fd(LimitValue value) {
            fd = Objects.requireNonNull(value, "fd");
            return this;
        }

        /** The memory limit in bytes. */
        public Builder memory(long bytes) {
            return memory(LimitValue.of(bytes));
        }

        /** The memory limit. */
        public Builder memory(LimitValue value) {
            memory = Objects.requireNonNull(value, "memory");
            return this;
        }

        /** The limit. */
        public BaseLimit build() {
            return new BaseLimit(streams, streamsInbound, streamsOutbound, conns, connsInbound, connsOutbound,
                    fd, memory);
        }
    }
}
