package org.jrcmgr.impl.limit;

import java.util.Objects;
import org.jrcmgr.BaseLimit;
import org.jrcmgr.Direction;
import org.jrcmgr.Limit;

/**
 * The limits of one scope as a user writes them, go-libp2p's {@code ResourceLimits}: each of the
 * eight fields is a {@link LimitSetting}, so a field left at {@link LimitSetting#defaultLimit()}
 * takes its value from the defaults the configuration is {@linkplain #build built} against.
 *
 * <p>In JSON this is an object with the fields {@code Streams}, {@code StreamsInbound},
 * {@code StreamsOutbound}, {@code Conns}, {@code ConnsInbound}, {@code ConnsOutbound}, {@code FD}
 * and {@code Memory}; see {@link LimitConfigJson}.
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
public record ResourceLimits(LimitSetting streams, LimitSetting streamsInbound, LimitSetting streamsOutbound,
                             LimitSetting conns, LimitSetting connsInbound, LimitSetting connsOutbound,
                             LimitSetting fd, LimitSetting memory) {

    /** Every field {@link LimitSetting#defaultLimit()}: building gives the defaults back unchanged. */
    public static final ResourceLimits DEFAULT = uniform(LimitSetting.defaultLimit());

    /**
     * @throws NullPointerException if a field is null; the message names it
     */
    public ResourceLimits {
        Objects.requireNonNull(streams, "streams");
        Objects.requireNonNull(streamsInbound, "streamsInbound");
        Objects.requireNonNull(streamsOutbound, "streamsOutbound");
        Objects.requireNonNull(conns, "conns");
        Objects.requireNonNull(connsInbound, "connsInbound");
        Objects.requireNonNull(connsOutbound, "connsOutbound");
        Objects.requireNonNull(fd, "fd");
        Objects.requireNonNull(memory, "memory");
    }

    /** The same setting for all eight fields. */
    public static ResourceLimits uniform(LimitSetting setting) {
        return new ResourceLimits(setting, setting, setting, setting, setting, setting, setting, setting);
    }

    /**
     * Every field of {@code limit} as an explicit setting, go-libp2p's
     * {@code BaseLimit.ToResourceLimits}: building the result against any defaults gives
     * {@code limit} back.
     *
     * @throws NullPointerException if {@code limit} is null
     */
    public static ResourceLimits of(BaseLimit limit) {
        Objects.requireNonNull(limit, "limit");
        return new ResourceLimits(LimitSetting.of(limit.streams()), LimitSetting.of(limit.streamsInbound()),
                LimitSetting.of(limit.streamsOutbound()), LimitSetting.of(limit.conns()),
                LimitSetting.of(limit.connsInbound()), LimitSetting.of(limit.connsOutbound()),
                LimitSetting.of(limit.fd()), LimitSetting.of(limit.memory()));
    }

    /** A builder starting from {@link #DEFAULT}. */
    public static Builder builder() {
        return new Builder(DEFAULT);
    }

    /** A builder starting from this value's settings. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Whether every field defers to the defaults (go's {@code IsDefault}); such a scope is left out of JSON. */
    public boolean isDefault() {
        return streams.isDefault() && streamsInbound.isDefault() && streamsOutbound.isDefault()
                && conns.isDefault() && connsInbound.isDefault() && connsOutbound.isDefault()
                && fd.isDefault() && memory.isDefault();
    }

    /**
     * These settings with every default field taken from {@code other}, go-libp2p's
     * {@code ResourceLimits.Apply}; explicit fields stay as they are.
     *
     * @throws NullPointerException if {@code other} is null
     */
    public ResourceLimits apply(ResourceLimits other) {
        Objects.requireNonNull(other, "other");
        return new ResourceLimits(streams.orElse(other.streams), streamsInbound.orElse(other.streamsInbound),
                streamsOutbound.orElse(other.streamsOutbound), conns.orElse(other.conns),
                connsInbound.orElse(other.connsInbound), connsOutbound.orElse(other.connsOutbound),
                fd.orElse(other.fd), memory.orElse(other.memory));
    }

    /**
     * The concrete limit: each explicit field as it is, each default field from {@code defaults};
     * go-libp2p's {@code ResourceLimits.Build}. The defaults are read once, now.
     *
     * @throws NullPointerException if {@code defaults} is null
     */
    public BaseLimit build(Limit defaults) {
        Objects.requireNonNull(defaults, "defaults");
        return new BaseLimit(
                streams.resolve(defaults.streamsTotal()),
                streamsInbound.resolve(defaults.streams(Direction.INBOUND)),
                streamsOutbound.resolve(defaults.streams(Direction.OUTBOUND)),
                conns.resolve(defaults.connsTotal()),
                connsInbound.resolve(defaults.conns(Direction.INBOUND)),
                connsOutbound.resolve(defaults.conns(Direction.OUTBOUND)),
                fd.resolve(defaults.fd()),
                memory.resolve(defaults.memory()));
    }

    /** Builds a {@link ResourceLimits} field by field; numbers go through {@link LimitSetting#of(long)}. */
    public static final class Builder {
        private LimitSetting streams;
        private LimitSetting streamsInbound;
        private LimitSetting streamsOutbound;
        private LimitSetting conns;
        private LimitSetting connsInbound;
        private LimitSetting connsOutbound;
        private LimitSetting fd;
        private LimitSetting memory;

        private Builder(ResourceLimits from) {
            streams = from.streams;
            streamsInbound = from.streamsInbound;
            streamsOutbound = from.streamsOutbound;
            conns = from.conns;
            connsInbound = from.connsInbound;
            connsOutbound = from.connsOutbound;
            fd = from.fd;
            memory = from.memory;
        }

        /** Streams of both directions together. */
        public Builder streams(LimitSetting setting) {
            streams = Objects.requireNonNull(setting, "streams");
            return this;
        }

        /** Inbound streams. */
        public Builder streamsInbound(LimitSetting setting) {
            streamsInbound = Objects.requireNonNull(setting, "streamsInbound");
            return this;
        }

        /** Outbound streams. */
        public Builder streamsOutbound(LimitSetting setting) {
            streamsOutbound = Objects.requireNonNull(setting, "streamsOutbound");
            return this;
        }

        /** Connections of both directions together. */
        public Builder conns(LimitSetting setting) {
            conns = Objects.requireNonNull(setting, "conns");
            return this;
        }

        /** Inbound connections. */
        public Builder connsInbound(LimitSetting setting) {
            connsInbound = Objects.requireNonNull(setting, "connsInbound");
            return this;
        }

        /** Outbound connections. */
        public Builder connsOutbound(LimitSetting setting) {
            connsOutbound = Objects.requireNonNull(setting, "connsOutbound");
            return this;
        }

        /** File descriptors. */
        public Builder fd(LimitSetting setting) {
            fd = Objects.requireNonNull(setting, "fd");
            return this;
        }

        /** Bytes of memory. */
        public Builder memory(LimitSetting setting) {
            memory = Objects.requireNonNull(setting, "memory");
            return this;
        }

        /** Streams of both directions together, {@link LimitSetting#of(long)}. */
        public Builder streams(long n) {
            return streams(LimitSetting.of(n));
        }

        /** Inbound streams, {@link LimitSetting#of(long)}. */
        public Builder streamsInbound(long n) {
            return streamsInbound(LimitSetting.of(n));
        }

        /** Outbound streams, {@link LimitSetting#of(long)}. */
        public Builder streamsOutbound(long n) {
            return streamsOutbound(LimitSetting.of(n));
        }

        /** Connections of both directions together, {@link LimitSetting#of(long)}. */
        public Builder conns(long n) {
            return conns(LimitSetting.of(n));
        }

        /** Inbound connections, {@link LimitSetting#of(long)}. */
        public Builder connsInbound(long n) {
            return connsInbound(LimitSetting.of(n));
        }

        /** Outbound connections, {@link LimitSetting#of(long)}. */
        public Builder connsOutbound(long n) {
            return connsOutbound(LimitSetting.of(n));
        }

        /** File descriptors, {@link LimitSetting#of(long)}. */
        public Builder fd(long n) {
            return fd(LimitSetting.of(n));
        }

        /** Bytes of memory, {@link LimitSetting#of(long)}. */
        public Builder memory(long bytes) {
            return memory(LimitSetting.of(bytes));
        }

        /** The limits; the builder stays usable. */
        public ResourceLimits build() {
            return new ResourceLimits(streams, streamsInbound, streamsOutbound, conns, connsInbound, connsOutbound,
                    fd, memory);
        }
    }
}
