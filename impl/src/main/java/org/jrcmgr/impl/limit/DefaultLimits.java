package org.jrcmgr.impl.limit;

import java.util.List;
import java.util.Objects;
import org.jrcmgr.BaseLimit;
import org.jrcmgr.ProtocolId;

/**
 * go-libp2p's default limits, value for value, so that a Java node and a go node on the same
 * machine admit the same load.
 */
public final class DefaultLimits {

    private static final long KIB = 1L << 10;
    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;

    /**
     * go-libp2p's per-peer memory for identify and ping, 32 &times; (256 MiB + 16 KiB), about 8 GiB.
     * It is far above the peer scope's own memory limit, so in effect that one binds; kept as go
     * has it so that the configurations compare equal.
     */
    private static final long LARGE_PER_PEER_MEMORY = 32 * (256 * MIB + 16 * KIB);

    private static final ScalingLimitConfig DEFAULTS = buildDefaults();

    private DefaultLimits() {
    }

    /**
     * go-libp2p's {@code DefaultLimits}. The base limits suit a node with at most 128 MiB of
     * memory budget; each GiB of budget adds the increase.
     *
     * <table>
     *   <caption>Base limits (streams and connections as inbound/outbound/total)</caption>
     *   <tr><th>scope</th><th>streams</th><th>conns</th><th>FD</th><th>memory</th></tr>
     *   <tr><td>system, allowlisted system</td><td>1024/2048/2048</td><td>64/128/128</td><td>256</td><td>128 MiB</td></tr>
     *   <tr><td>transient, allowlisted transient</td><td>128/256/256</td><td>32/64/64</td><td>64</td><td>32 MiB</td></tr>
     *   <tr><td>service default</td><td>1024/4096/4096</td><td>0</td><td>0</td><td>64 MiB</td></tr>
     *   <tr><td>service-peer default</td><td>128/256/256</td><td>0</td><td>0</td><td>16 MiB</td></tr>
     *   <tr><td>protocol default</td><td>512/2048/2048</td><td>0</td><td>0</td><td>64 MiB</td></tr>
     *   <tr><td>protocol-peer default</td><td>64/128/256</td><td>0</td><td>0</td><td>16 MiB</td></tr>
     *   <tr><td>peer default</td><td>256/512/512</td><td>8/8/8</td><td>4</td><td>64 MiB</td></tr>
     *   <tr><td>conn</td><td>0</td><td>1/1/1</td><td>1</td><td>32 MiB</td></tr>
     *   <tr><td>stream</td><td>1/1/1</td><td>0</td><td>0</td><td>16 MiB</td></tr>
     * </table>
     *
     * <table>
     *   <caption>Increase per GiB of memory budget</caption>
     *   <tr><th>scope</th><th>streams</th><th>conns</th><th>memory</th><th>FD fraction</th></tr>
     *   <tr><td>system, allowlisted system</td><td>1024/2048/2048</td><td>64/128/128</td><td>1 GiB</td><td>1</td></tr>
     *   <tr><td>transient, allowlisted transient</td><td>128/256/256</td><td>16/32/32</td><td>128 MiB</td><td>0.25</td></tr>
     *   <tr><td>service default</td><td>512/2048/2048</td><td>0</td><td>128 MiB</td><td>0</td></tr>
     *   <tr><td>service-peer default</td><td>4/8/8</td><td>0</td><td>4 MiB</td><td>0</td></tr>
     *   <tr><td>protocol default</td><td>256/512/512</td><td>0</td><td>164 MiB</td><td>0</td></tr>
     *   <tr><td>protocol-peer default</td><td>4/8/16</td><td>0</td><td>4 bytes</td><td>0</td></tr>
     *   <tr><td>peer default</td><td>128/256/256</td><td>0</td><td>128 MiB</td><td>1/64</td></tr>
     *   <tr><td>conn, stream</td><td>0</td><td>0</td><td>0</td><td>0</td></tr>
     * </table>
     *
     * <p>A 0 is a real 0, that is block-all: a service scope never holds a connection, because
     * connections never attach to services. The 8 connections per peer match go-libp2p's 8
     * concurrent dials to one peer.
     *
     * <p>The protocol-peer memory increase is 4 <em>bytes</em> per GiB, almost certainly meant as
     * 4 MiB. It is kept because go-libp2p's published defaults carry it (16 MiB + 32 bytes at an
     * 8 GiB budget), and limits that differ from go's would surprise operators running both; change
     * it with {@link ScalingLimitConfig#toBuilder()} if that matters more.
     *
     * <p>No per-key entries; {@link #withDefaultServiceLimits} adds those of libp2p's services.
     */
    public static ScalingLimitConfig defaults() {
        return DEFAULTS;
    }

    /**
     * {@code config} with per-service and per-protocol entries for the services bundled with
     * libp2p, go-libp2p's {@code libp2p.SetDefaultServiceLimits}; existing entries for the same keys
     * are replaced. The per-peer entries do not grow with the budget.
     *
     * <table>
     *   <caption>Streams as inbound/outbound/total; connections and FD are 0 (block-all) throughout</caption>
     *   <tr><th>keys</th><th>scope</th><th>base</th><th>increase per GiB</th></tr>
     *   <tr><td>{@code libp2p.identify}</td><td>service</td><td>64/64/128, 4 MiB</td><td>64/64/128, 4 MiB</td></tr>
     *   <tr><td>{@code libp2p.identify}</td><td>service peer</td><td>16/16/32, 1 MiB</td><td>none</td></tr>
     *   <tr><td>{@code /ipfs/id/1.0.0}, {@code /ipfs/id/push/1.0.0}</td><td>protocol</td><td>64/64/128, 4 MiB</td><td>64/64/128, 4 MiB</td></tr>
     *   <tr><td>same</td><td>protocol peer</td><td>16/16/32, 32 &times; (256 MiB + 16 KiB)</td><td>none</td></tr>
     *   <tr><td>{@code libp2p.ping}, {@code /ipfs/ping/1.0.0}</td><td>service, protocol</td><td>64/64/64, 4 MiB</td><td>64/64/64, 4 MiB</td></tr>
     *   <tr><td>same</td><td>service peer, protocol peer</td><td>2/3/4, 32 &times; (256 MiB + 16 KiB)</td><td>none</td></tr>
     *   <tr><td>{@code libp2p.autonat}, {@code /libp2p/autonat/1.0.0}</td><td>service, protocol</td><td>64/64/64, 4 MiB</td><td>4/4/4, 2 MiB</td></tr>
     *   <tr><td>same</td><td>service peer, protocol peer</td><td>2/2/2, 1 MiB</td><td>none</td></tr>
     *   <tr><td>{@code libp2p.holepunch}, {@code /libp2p/dcutr}</td><td>service, protocol</td><td>32/32/64, 4 MiB</td><td>8/8/16, 4 MiB</td></tr>
     *   <tr><td>same</td><td>service peer, protocol peer</td><td>2/2/2, 1 MiB</td><td>none</td></tr>
     *   <tr><td>{@code libp2p.relay/v2}</td><td>service</td><td>256/256/256, 16 MiB</td><td>256/256/256, 16 MiB</td></tr>
     *   <tr><td>{@code libp2p.relay/v2}</td><td>service peer</td><td>64/64/64, 1 MiB</td><td>none</td></tr>
     *   <tr><td>{@code /libp2p/circuit/relay/0.2.0/hop}, {@code .../stop}</td><td>protocol</td><td>640/640/640, 16 MiB</td><td>640/640/640, 16 MiB</td></tr>
     *   <tr><td>same</td><td>protocol peer</td><td>128/128/128, 32 MiB</td><td>none</td></tr>
     * </table>
     *
     * @throws NullPointerException if {@code config} is null
     */
    public static ScalingLimitConfig withDefaultServiceLimits(ScalingLimitConfig config) {
        ScalingLimitConfig.Builder b = Objects.requireNonNull(config, "config").toBuilder();

        BaseLimit identify = streams(64, 64, 128, 4 * MIB);
        BaseLimitIncrease identifyIncrease = increase(64, 64, 128, 4 * MIB);
        b.addServiceLimit("libp2p.identify", identify, identifyIncrease);
        b.addServicePeerLimit("libp2p.identify", streams(16, 16, 32, MIB), BaseLimitIncrease.NONE);
        for (ProtocolId id : List.of(ProtocolId.of("/ipfs/id/1.0.0"), ProtocolId.of("/ipfs/id/push/1.0.0"))) {
            b.addProtocolLimit(id, identify, identifyIncrease);
            b.addProtocolPeerLimit(id, streams(16, 16, 32, LARGE_PER_PEER_MEMORY), BaseLimitIncrease.NONE);
        }

        serviceAndProtocol(b, "libp2p.ping", "/ipfs/ping/1.0.0",
                streams(64, 64, 64, 4 * MIB), increase(64, 64, 64, 4 * MIB),
                streams(2, 3, 4, LARGE_PER_PEER_MEMORY));

        serviceAndProtocol(b, "libp2p.autonat", "/libp2p/autonat/1.0.0",
                streams(64, 64, 64, 4 * MIB), increase(4, 4, 4, 2 * MIB),
                streams(2, 2, 2, MIB));

        serviceAndProtocol(b, "libp2p.holepunch", "/libp2p/dcutr",
                streams(32, 32, 64, 4 * MIB), increase(8, 8, 16, 4 * MIB),
                streams(2, 2, 2, MIB));

        b.addServiceLimit("libp2p.relay/v2", streams(256, 256, 256, 16 * MIB), increase(256, 256, 256, 16 * MIB));
        b.addServicePeerLimit("libp2p.relay/v2", streams(64, 64, 64, MIB), BaseLimitIncrease.NONE);
        // The circuit protocols serve both the relay service and its clients.
        for (ProtocolId id : List.of(ProtocolId.of("/libp2p/circuit/relay/0.2.0/hop"),
                ProtocolId.of("/libp2p/circuit/relay/0.2.0/stop"))) {
            b.addProtocolLimit(id, streams(640, 640, 640, 16 * MIB), increase(640, 640, 640, 16 * MIB));
            b.addProtocolPeerLimit(id, streams(128, 128, 128, 32 * MIB), BaseLimitIncrease.NONE);
        }
        return b.build();
    }

    /** The same limits for a service and for the protocol it speaks, and likewise per peer. */
    private static void serviceAndProtocol(ScalingLimitConfig.Builder b, String service, String protocol,
                                           BaseLimit base, BaseLimitIncrease increase, BaseLimit perPeer) {
        ProtocolId id = ProtocolId.of(protocol);
        b.addServiceLimit(service, base, increase);
        b.addProtocolLimit(id, base, increase);
        b.addServicePeerLimit(service, perPeer, BaseLimitIncrease.NONE);
        b.addProtocolPeerLimit(id, perPeer, BaseLimitIncrease.NONE);
    }

    /** A limit on streams and memory only; connections and FD block-all, as go's zero fields. */
    private static BaseLimit streams(long inbound, long outbound, long total, long memory) {
        return BaseLimit.builder().streams(inbound, outbound, total).memory(memory).build();
    }

    private static BaseLimitIncrease increase(long inbound, long outbound, long total, long memoryPerGiB) {
        return BaseLimitIncrease.builder().streams(inbound, outbound, total).memory(memoryPerGiB).build();
    }

    private static ScalingLimitConfig buildDefaults() {
        ScopeScaling system = new ScopeScaling(
                BaseLimit.builder().streams(1024, 2048, 2048).conns(64, 128, 128).fd(256).memory(128 * MIB).build(),
                BaseLimitIncrease.builder().streams(1024, 2048, 2048).conns(64, 128, 128).memory(GIB)
                        .fdFraction(1).build());
        ScopeScaling transientScope = new ScopeScaling(
                BaseLimit.builder().streams(128, 256, 256).conns(32, 64, 64).fd(64).memory(32 * MIB).build(),
                BaseLimitIncrease.builder().streams(128, 256, 256).conns(16, 32, 32).memory(128 * MIB)
                        .fdFraction(0.25).build());
        return ScalingLimitConfig.builder()
                .system(system)
                .transientLimit(transientScope)
                // The allowlisted scopes only come into play once the ordinary ones are full, so
                // erring on the large side costs nothing most of the time.
                .allowlistedSystem(system)
                .allowlistedTransient(transientScope)
                .serviceDefault(streams(1024, 4096, 4096, 64 * MIB), increase(512, 2048, 2048, 128 * MIB))
                .servicePeerDefault(streams(128, 256, 256, 16 * MIB), increase(4, 8, 8, 4 * MIB))
                .protocolDefault(streams(512, 2048, 2048, 64 * MIB), increase(256, 512, 512, 164 * MIB))
                // 4 bytes, not 4 MiB: go-libp2p's value, see defaults().
                .protocolPeerDefault(streams(64, 128, 256, 16 * MIB), increase(4, 8, 16, 4))
                .peerDefault(
                        BaseLimit.builder().streams(256, 512, 512).conns(8, 8, 8).fd(4).memory(64 * MIB).build(),
                        BaseLimitIncrease.builder().streams(128, 256, 256).memory(128 * MIB)
                                .fdFraction(1.0 / 64).build())
                .conn(BaseLimit.builder().conns(1, 1, 1).fd(1).memory(32 * MIB).build(), BaseLimitIncrease.NONE)
                .stream(streams(1, 1, 1, 16 * MIB), BaseLimitIncrease.NONE)
                .build();
    }
}
