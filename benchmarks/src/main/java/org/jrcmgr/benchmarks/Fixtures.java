package org.jrcmgr.benchmarks;

import java.time.Duration;
import org.jrcmgr.Direction;
import org.jrcmgr.PeerId;
import org.jrcmgr.ProtocolId;
import org.jrcmgr.ResourceManager;
import org.jrcmgr.StreamManagementScope;
import org.jrcmgr.impl.ResourceManagerBuilder;
import org.jrcmgr.impl.limit.ConcreteLimitConfig;
import org.jrcmgr.impl.limit.DefaultLimits;
import org.jrcmgr.impl.net.ConnRateLimiterConfig;

/** The managers and scopes the benchmarks run through. */
final class Fixtures {

    /** go-libp2p's default limits scaled to a 4 GiB, 8192-descriptor budget: fixed, whatever the machine. */
    static final ConcreteLimitConfig LIMITS = DefaultLimits.defaults().scale(4L << 30, 8192);

    static final ProtocolId PROTOCOL = ProtocolId.of("/bench/1.0.0");
    static final String SERVICE = "bench";

    /** Bytes per reservation or buffer throughout. */
    static final int SIZE = 4096;

    private Fixtures() {
    }

    /**
     * A manager as the builder makes it: with {@code observers}, the defaults (JDK Flight Recorder
     * events and the refusal summary); without, {@code flightRecorder(false).refusalSummary(null)}.
     * The connection rate limit is off so that the connection lifecycle can run millions of times a
     * second from one address; the per-address limit stays on.
     */
    static ResourceManager manager(boolean observers) {
        ResourceManagerBuilder builder = ResourceManagerBuilder.create()
                .limits(LIMITS)
                .collectInterval(Duration.ofMinutes(1))
                .connRateLimits(ConnRateLimiterConfig.unlimited());
        if (!observers) {
            builder.flightRecorder(false).refusalSummary(null);
        }
        return builder.build();
    }

    /**
     * A stream with its full edge set: after setProtocol and setService it reserves through peer,
     * protocol-peer, service-peer, protocol, service and system (six edges).
     */
    static StreamManagementScope fullStream(ResourceManager rm, PeerId peer) {
        StreamManagementScope stream = rm.openStream(peer, Direction.INBOUND);
        stream.setProtocol(PROTOCOL);
        stream.setService(SERVICE);
        return stream;
    }
}
