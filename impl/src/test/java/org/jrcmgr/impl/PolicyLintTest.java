package org.jrcmgr.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.jrcmgr.BaseLimit;
import org.jrcmgr.Limit;
import org.jrcmgr.LimitValue;
import org.jrcmgr.Multiaddr;
import org.jrcmgr.PeerId;
import org.jrcmgr.ProtocolId;
import org.jrcmgr.Resource;
import org.jrcmgr.ResourceManager;
import org.jrcmgr.impl.LintFinding.Severity;
import org.jrcmgr.impl.limit.ConcreteLimitConfig;
import org.jrcmgr.impl.limit.DefaultLimits;
import org.jrcmgr.impl.limit.FixedLimiter;
import org.jrcmgr.impl.limit.Limiter;
import org.jrcmgr.impl.net.Allowlist;
import org.jrcmgr.impl.net.ConnLimitPerSubnet;
import org.jrcmgr.impl.net.ConnLimiterConfig;
import org.jrcmgr.impl.net.NetworkPrefixLimit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The policy lint: every finding code from a minimal change to a configuration that has none,
 * with the exact numbers; what go-libp2p's defaults produce; and the builder's lint modes.
 */
class PolicyLintTest {

    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;
    private static final long MAX = Long.MAX_VALUE;

    private static final PeerId ALICE = PeerId.fromString("12D3KooWJedA3cbDmAWFNcoCuYrxkr71cN1NHUFg1S9MrZo8msKu");
    private static final PeerId BOB = PeerId.fromString("QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC");

    /** go-libp2p's defaults at a 1 GiB budget and 4096 FDs, the scope limits every test starts from. */
    private static final ConcreteLimitConfig GO_1GIB = DefaultLimits.defaults().scale(GIB, 4096);

    /**
     * {@link #GO_1GIB} without its three pieces of information: service default outbound and total
     * streams lowered from 6144 to the system's 4096, the protocol-peer default's total from 272 to
     * its directions' 68 + 136. Nothing to report.
     */
    private static final ConcreteLimitConfig CLEAN = GO_1GIB.toBuilder()
            .serviceDefault(GO_1GIB.serviceDefault().toBuilder().streams(1536, 4096, 4096).build())
            .protocolPeerDefault(GO_1GIB.protocolPeerDefault().toBuilder().streams(68, 136, 204).build())
            .build();

    /** A finding without its message, for exact comparison. */
    private record F(LintCode code, List<String> scopes, Resource resource, long value, long bound) {
        static F of(LintFinding f) {
            return new F(f.code(), f.scopes(), f.resource(), f.value(), f.bound());
        }
    }

    private static F f(LintCode code, Resource resource, long value, long bound, String... scopes) {
        return new F(code, List.of(scopes), resource, value, bound);
    }

    private static List<F> lint(ConcreteLimitConfig config) {
        return strip(PolicyLint.check(config));
    }

    private static List<F> lint(ConcreteLimitConfig config, Allowlist allowlist, ConnLimiterConfig connLimits,
                                List<Multiaddr> staticPeers) {
        return strip(PolicyLint.check(new FixedLimiter(config), allowlist, connLimits, staticPeers));
    }

    private static List<F> strip(List<LintFinding> findings) {
        return findings.stream().map(F::of).collect(Collectors.toList());
    }

    private static Allowlist allowlist(String... entries) {
        return Allowlist.of(Arrays.stream(entries).map(Multiaddr::parse).collect(Collectors.toList()));
    }

    private static List<Multiaddr> addrs(String... addrs) {
        return Arrays.stream(addrs).map(Multiaddr::parse).collect(Collectors.toList());
    }

    private static ConcreteLimitConfig.Builder clean() {
        return CLEAN.toBuilder();
    }

    @Test
    void theCleanConfigurationHasNoFinding() {
        assertEquals(List.of(), lint(CLEAN));
        assertEquals(List.of(), lint(CLEAN, allowlist("/ip4/192.0.2.1", "/ip6/2001:db8::/ipcidr/48"),
                ConnLimiterConfig.defaults(), addrs("/ip4/192.0.2.1/tcp/4001/p2p/" + ALICE,
                        "/ip6/2001:db8::7/udp/4001/quic-v1/p2p/" + BOB)));
    }

    @Nested
    class GoDefaults {

        /**
         * go-libp2p's defaults are free of errors and warnings at every budget. They produce three
         * pieces of information, at every budget, because of how go sized them: the service default
         * allows more outbound and total streams than the system (4096 vs 2048 at the base, the
         * increase is 2048 per GiB for both), and the protocol-peer default's directions (64 + 128
         * at the base, 4 + 8 per GiB) add up to less than its total (256, 16 per GiB).
         */
        @Test
        void atOneGibTheyProduceThreeInfosOnly() {
            assertEquals(List.of(
                    f(LintCode.SERVICE_ABOVE_SYSTEM, Resource.STREAMS_OUTBOUND, 6144, 4096, "serviceDefault", "system"),
                    f(LintCode.SERVICE_ABOVE_SYSTEM, Resource.STREAMS, 6144, 4096, "serviceDefault", "system"),
                    f(LintCode.DIRECTIONS_BELOW_TOTAL, Resource.STREAMS, 272, 204, "protocolPeerDefault")),
                    lint(GO_1GIB));
        }

        @Test
        void atEightGibTheyProduceTheSameThreeInfos() {
            assertEquals(List.of(
                    f(LintCode.SERVICE_ABOVE_SYSTEM, Resource.STREAMS_OUTBOUND, 20480, 18432, "serviceDefault",
                            "system"),
                    f(LintCode.SERVICE_ABOVE_SYSTEM, Resource.STREAMS, 20480, 18432, "serviceDefault", "system"),
                    f(LintCode.DIRECTIONS_BELOW_TOTAL, Resource.STREAMS, 384, 288, "protocolPeerDefault")),
                    lint(DefaultLimits.defaults().scale(8 * GIB, 16384)));
        }

        @Test
        void atTheBaseTheyProduceTheSameThreeInfos() {
            assertEquals(List.of(
                    f(LintCode.SERVICE_ABOVE_SYSTEM, Resource.STREAMS_OUTBOUND, 4096, 2048, "serviceDefault", "system"),
                    f(LintCode.SERVICE_ABOVE_SYSTEM, Resource.STREAMS, 4096, 2048, "serviceDefault", "system"),
                    f(LintCode.DIRECTIONS_BELOW_TOTAL, Resource.STREAMS, 256, 192, "protocolPeerDefault")),
                    lint(DefaultLimits.defaults().scale(0, 0)));
        }

        @Test
        void withGoDefaultAllowlistAndConnLimitsNothingMore() {
            List<F> findings = strip(PolicyLint.check(new FixedLimiter(GO_1GIB), new Allowlist(),
                    ConnLimiterConfig.defaults(), List.of()));
            assertTrue(findings.stream().allMatch(f -> f.code().severity() == Severity.INFO), findings::toString);
        }

        /**
         * go-libp2p's service presets ({@code SetDefaultServiceLimits}) give identify's and ping's
         * per-peer shares 32 &times; (256 MiB + 16 KiB) of memory, a number go's own comments call
         * meaningless, far above the service's or protocol's 8 MiB at 1 GiB: four warnings, each
         * against the tighter of the two parents.
         */
        @Test
        void theServicePresetsGiveFourMemoryWarnings() {
            ConcreteLimitConfig presets = DefaultLimits.withDefaultServiceLimits(DefaultLimits.defaults())
                    .scale(GIB, 4096);
            long large = 32 * (256 * MIB + 16 * 1024);
            List<F> warnings = lint(presets).stream().filter(f -> f.code().severity() != Severity.INFO)
                    .collect(Collectors.toList());
            assertEquals(Set.of(
                    f(LintCode.SERVICE_PEER_ABOVE_SERVICE, Resource.MEMORY, large, 8 * MIB, "servicePeer:libp2p.ping",
                            "service:libp2p.ping"),
                    f(LintCode.PROTOCOL_PEER_ABOVE_PROTOCOL, Resource.MEMORY, large, 8 * MIB,
                            "protocolPeer:/ipfs/id/1.0.0", "protocol:/ipfs/id/1.0.0"),
                    f(LintCode.PROTOCOL_PEER_ABOVE_PROTOCOL, Resource.MEMORY, large, 8 * MIB,
                            "protocolPeer:/ipfs/id/push/1.0.0", "protocol:/ipfs/id/push/1.0.0"),
                    f(LintCode.PROTOCOL_PEER_ABOVE_PROTOCOL, Resource.MEMORY, large, 8 * MIB,
                            "protocolPeer:/ipfs/ping/1.0.0", "protocol:/ipfs/ping/1.0.0")),
                    Set.copyOf(warnings));
            assertEquals(4, warnings.size(), warnings::toString);
        }
    }

    @Nested
    class UnreachableLimits {

        @Test
        void transientAboveSystem() {
            List<LintFinding> findings = PolicyLint.check(clean()
                    .transientLimit(CLEAN.transientLimit().toBuilder().memory(2 * GIB).build()).build());
            assertEquals(List.of(f(LintCode.TRANSIENT_ABOVE_SYSTEM, Resource.MEMORY, 2 * GIB, 1152 * MIB,
                    "transient", "system")), strip(findings));
            assertEquals(Severity.WARNING, findings.get(0).severity());
            assertEquals("transient memory limit 2 GiB is above system's 1152 MiB: everything counted in transient "
                    + "is counted in system too, so the transient limit never binds and does not keep unattached "
                    + "connections and streams from crowding out established ones. Lower it to at most 1152 MiB, "
                    + "or raise system.", findings.get(0).message());
        }

        @Test
        void allowlistedTransientAboveAllowlistedSystem() {
            assertEquals(List.of(f(LintCode.ALLOWLISTED_TRANSIENT_ABOVE_ALLOWLISTED_SYSTEM, Resource.CONNS_INBOUND,
                    200, 128, "allowlistedTransient", "allowlistedSystem")),
                    lint(clean().allowlistedTransient(CLEAN.allowlistedTransient().toBuilder().conns(200, 96, 96)
                            .build()).build()));
        }

        /** Streams never enter the allowlisted scopes, so their stream limits are not compared. */
        @Test
        void allowlistedStreamLimitsAreNotCompared() {
            assertEquals(List.of(), lint(clean().allowlistedSystem(CLEAN.allowlistedSystem().toBuilder()
                    .streams(LimitValue.blockAll(), LimitValue.blockAll(), LimitValue.blockAll()).build()).build(),
                    allowlist("/ip4/192.0.2.1"), ConnLimiterConfig.defaults(), List.of()));
        }

        @Test
        void peerDefaultAboveSystem() {
            List<LintFinding> findings = PolicyLint.check(clean()
                    .peerDefault(CLEAN.peerDefault().toBuilder().streams(4096, 768, 768).build()).build());
            assertEquals(List.of(f(LintCode.PEER_ABOVE_SYSTEM, Resource.STREAMS_INBOUND, 4096, 2048, "peerDefault",
                    "system")), strip(findings));
            assertTrue(findings.get(0).message().contains("one peer can take all of the system"));
        }

        @Test
        void perPeerEntryAboveSystem() {
            assertEquals(List.of(f(LintCode.PEER_ABOVE_SYSTEM, Resource.MEMORY, 2 * GIB, 1152 * MIB,
                    "peer:" + ALICE, "system")),
                    lint(clean().peer(ALICE, CLEAN.peerDefault().toBuilder().memory(2 * GIB).build()).build()));
        }

        @Test
        void unlimitedIsNeverAbove() {
            assertEquals(List.of(), lint(clean().peer(ALICE, BaseLimit.UNLIMITED)
                    .transientLimit(BaseLimit.UNLIMITED).build()));
        }

        /** Allowlisted connections reach their peer through the allowlisted system, so both count. */
        @Test
        void peerConnectionsAreBoundBySystemPlusAllowlistedSystemWhenAllowlisting() {
            ConcreteLimitConfig config = clean()
                    .peerDefault(CLEAN.peerDefault().toBuilder().conns(100, 200, 300).build()).build();
            assertEquals(List.of(f(LintCode.PEER_ABOVE_SYSTEM, Resource.CONNS, 300, 256, "peerDefault", "system")),
                    lint(config));
            assertEquals(List.of(), lint(config, allowlist("/ip4/192.0.2.1"), ConnLimiterConfig.defaults(),
                    List.of()));
            ConcreteLimitConfig more = clean()
                    .peerDefault(CLEAN.peerDefault().toBuilder().conns(250, 350, 600).build()).build();
            assertEquals(List.of(f(LintCode.PEER_ABOVE_SYSTEM, Resource.CONNS, 600, 512, "peerDefault", "system",
                    "allowlistedSystem")), lint(more, allowlist("/ip4/192.0.2.1"), ConnLimiterConfig.defaults(),
                    List.of()));
        }

        @Test
        void serviceAboveSystemIsInformation() {
            List<LintFinding> findings = PolicyLint.check(clean()
                    .service("big", CLEAN.serviceDefault().toBuilder().memory(2 * GIB).build()).build());
            assertEquals(List.of(f(LintCode.SERVICE_ABOVE_SYSTEM, Resource.MEMORY, 2 * GIB, 1152 * MIB,
                    "service:big", "system")), strip(findings));
            assertEquals(Severity.INFO, findings.get(0).severity());
        }

        @Test
        void protocolAboveSystemIsInformation() {
            assertEquals(List.of(f(LintCode.PROTOCOL_ABOVE_SYSTEM, Resource.STREAMS_INBOUND, 4096, 2048,
                    "protocolDefault", "system")),
                    lint(clean().protocolDefault(CLEAN.protocolDefault().toBuilder().streams(4096, 2560, 2560)
                            .build()).build()));
        }

        @Test
        void servicePeerAboveService() {
            assertEquals(List.of(f(LintCode.SERVICE_PEER_ABOVE_SERVICE, Resource.MEMORY, 60 * MIB, 50 * MIB,
                    "servicePeer:svc", "service:svc")),
                    lint(clean().service("svc", CLEAN.serviceDefault().toBuilder().memory(50 * MIB).build())
                            .servicePeer("svc", CLEAN.servicePeerDefault().toBuilder().memory(60 * MIB).build())
                            .build()));
        }

        @Test
        void servicePeerAbovePeerWhenThePeerIsTighter() {
            assertEquals(List.of(f(LintCode.SERVICE_PEER_ABOVE_PEER, Resource.STREAMS_INBOUND, 500, 384,
                    "servicePeerDefault", "peerDefault")),
                    lint(clean().servicePeerDefault(CLEAN.servicePeerDefault().toBuilder().streams(500, 264, 264)
                            .build()).build()));
        }

        /** go-libp2p's 4-bytes-per-GiB increase shows: 16 MiB + 4 bytes against a 10 MiB protocol. */
        @Test
        void protocolPeerDefaultAboveAProtocolEntry() {
            List<LintFinding> findings = PolicyLint.check(clean()
                    .protocol(ProtocolId.of("/p"), CLEAN.protocolDefault().toBuilder().memory(10 * MIB).build())
                    .build());
            assertEquals(List.of(f(LintCode.PROTOCOL_PEER_ABOVE_PROTOCOL, Resource.MEMORY, 16 * MIB + 4, 10 * MIB,
                    "protocolPeerDefault", "protocol:/p")), strip(findings));
            assertTrue(findings.get(0).message().startsWith(
                    "protocolPeerDefault memory limit 16777220 bytes (16.0 MiB) is above protocol:/p's 10 MiB"),
                    findings.get(0).message());
        }

        @Test
        void protocolPeerAbovePeer() {
            assertEquals(List.of(f(LintCode.PROTOCOL_PEER_ABOVE_PEER, Resource.STREAMS_OUTBOUND, 800, 768,
                    "protocolPeerDefault", "peerDefault")),
                    lint(clean().protocolPeerDefault(CLEAN.protocolPeerDefault().toBuilder().streams(68, 800, 204)
                            .build()).build()));
        }

        @Test
        void connMemoryAbovePeer() {
            assertEquals(List.of(f(LintCode.CONN_ABOVE_PEER, Resource.MEMORY, 256 * MIB, 192 * MIB, "conn",
                    "peerDefault")),
                    lint(clean().conn(CLEAN.conn().toBuilder().memory(256 * MIB).build()).build()));
        }

        @Test
        void streamMemoryAbovePeer() {
            assertEquals(List.of(f(LintCode.STREAM_ABOVE_PEER, Resource.MEMORY, 256 * MIB, 192 * MIB, "stream",
                    "peerDefault")),
                    lint(clean().stream(CLEAN.stream().toBuilder().memory(256 * MIB).build()).build()));
        }

        @Test
        void directionsBelowTotal() {
            List<LintFinding> findings = PolicyLint.check(clean()
                    .peerDefault(CLEAN.peerDefault().toBuilder().conns(2, 2, 8).build()).build());
            assertEquals(List.of(f(LintCode.DIRECTIONS_BELOW_TOTAL, Resource.CONNS, 8, 4, "peerDefault")),
                    strip(findings));
            assertEquals("peerDefault inbound connection (2) and outbound connection (2) limits add up to 4, below "
                    + "its connection total of 8: the total can never be reached. Harmless; lower the total to 4 or "
                    + "raise a direction to say which one binds.", findings.get(0).message());
        }

        @Test
        void aTotalBelowEitherDirectionIsFine() {
            assertEquals(List.of(), lint(clean().peerDefault(CLEAN.peerDefault().toBuilder().streams(384, 768, 300)
                    .build()).build()));
        }

        /** A custom limiter is asked for its fixed scopes and for one sample key of each kind. */
        @Test
        void aCustomLimiterIsCheckedThroughSampleKeys() {
            Limiter custom = new Limiter() {
                final FixedLimiter fixed = new FixedLimiter(CLEAN);

                @Override public Limit systemLimits() { return fixed.systemLimits(); }
                @Override public Limit transientLimits() { return fixed.transientLimits(); }
                @Override public Limit allowlistedSystemLimits() { return fixed.allowlistedSystemLimits(); }
                @Override public Limit allowlistedTransientLimits() { return fixed.allowlistedTransientLimits(); }
                @Override public Limit serviceLimits(String service) { throw new IllegalArgumentException(service); }
                @Override public Limit servicePeerLimits(String service) { return fixed.servicePeerLimits(service); }
                @Override public Limit protocolLimits(ProtocolId p) { return fixed.protocolLimits(p); }
                @Override public Limit protocolPeerLimits(ProtocolId p) { return fixed.protocolPeerLimits(p); }
                @Override public Limit peerLimits(PeerId peer) {
                    return CLEAN.peerDefault().toBuilder().memory(2 * GIB).build();
                }
                @Override public Limit streamLimits(PeerId peer) { return fixed.streamLimits(peer); }
                @Override public Limit connLimits() { return fixed.connLimits(); }
            };
            assertEquals(List.of(f(LintCode.PEER_ABOVE_SYSTEM, Resource.MEMORY, 2 * GIB, 1152 * MIB, "peerDefault",
                    "system")),
                    strip(PolicyLint.check(custom, new Allowlist(), ConnLimiterConfig.defaults(), List.of())));
        }
    }

    @Nested
    class NothingAdmitted {

        @Test
        void streamScopeBlockingAllStreams() {
            List<LintFinding> findings = PolicyLint.check(clean().stream(CLEAN.stream().toBuilder()
                    .streams(LimitValue.blockAll(), LimitValue.blockAll(), LimitValue.blockAll()).build()).build());
            assertEquals(List.of(f(LintCode.BLOCKS_ALL, Resource.STREAMS, 0, 1, "stream")), strip(findings));
            assertEquals(Severity.ERROR, findings.get(0).severity());
            assertEquals("stream admits no stream (its stream total is blockAll): every stream is counted in its "
                    + "own scope, so no stream can ever be admitted. Give stream a positive limit.",
                    findings.get(0).message());
        }

        @Test
        void transientBlockingAllStreams() {
            assertEquals(List.of(f(LintCode.BLOCKS_ALL, Resource.STREAMS, 0, 1, "transient")),
                    lint(clean().transientLimit(CLEAN.transientLimit().toBuilder()
                            .streams(LimitValue.of(256), LimitValue.of(512), LimitValue.blockAll()).build()).build()));
        }

        @Test
        void systemBlockingBothConnectionDirections() {
            List<F> findings = lint(clean().system(CLEAN.system().toBuilder()
                    .conns(LimitValue.blockAll(), LimitValue.blockAll(), LimitValue.of(256)).build()).build());
            assertEquals(f(LintCode.BLOCKS_ALL, Resource.CONNS, 0, 1, "system"), findings.get(0));
            // What sits under system now is above it, too.
            assertTrue(findings.contains(f(LintCode.TRANSIENT_ABOVE_SYSTEM, Resource.CONNS_INBOUND, 48, 0,
                    "transient", "system")), findings::toString);
            assertTrue(findings.contains(f(LintCode.PEER_ABOVE_SYSTEM, Resource.CONNS_OUTBOUND, 8, 0,
                    "peerDefault", "system")), findings::toString);
        }

        @Test
        void memoryAndFileDescriptors() {
            assertEquals(List.of(f(LintCode.BLOCKS_ALL, Resource.FD, 0, 1, "conn"),
                    f(LintCode.BLOCKS_ALL, Resource.MEMORY, 0, 1, "conn")),
                    lint(clean().conn(CLEAN.conn().toBuilder().fd(LimitValue.blockAll())
                            .memory(LimitValue.blockAll()).build()).build()));
        }

        @Test
        void transientBlockingConnectionsLeavesOnlyTheAllowlist() {
            ConcreteLimitConfig config = clean().transientLimit(CLEAN.transientLimit().toBuilder()
                    .conns(LimitValue.of(48), LimitValue.of(96), LimitValue.blockAll()).build()).build();
            assertEquals(List.of(f(LintCode.BLOCKS_ALL, Resource.CONNS, 0, 1, "transient")), lint(config));
            List<LintFinding> findings = PolicyLint.check(new FixedLimiter(config), allowlist("/ip4/192.0.2.1"),
                    ConnLimiterConfig.defaults(), List.of());
            assertEquals(List.of(f(LintCode.ONLY_ALLOWLISTED_CAN_CONNECT, Resource.CONNS, 0, 96, "transient",
                    "allowlistedSystem", "allowlistedTransient")), strip(findings));
            assertEquals(Severity.WARNING, findings.get(0).severity());
        }

        @Test
        void oneDirectionBlocked() {
            List<LintFinding> findings = PolicyLint.check(clean().conn(CLEAN.conn().toBuilder()
                    .conns(LimitValue.blockAll(), LimitValue.of(1), LimitValue.of(1)).build()).build());
            assertEquals(List.of(f(LintCode.BLOCKS_DIRECTION, Resource.CONNS_INBOUND, 0, 1, "conn")),
                    strip(findings));
            assertEquals(Severity.INFO, findings.get(0).severity());
        }
    }

    @Nested
    class AllowlistChecks {

        @Test
        void anAllowlistThatCanNeverAdmit() {
            BaseLimit none = BaseLimit.builder().streams(2048, 4096, 4096).conns(0, 0, 0).fd(4096)
                    .memory(1152 * MIB).build();
            ConcreteLimitConfig config = clean().allowlistedSystem(none)
                    .allowlistedTransient(none.toBuilder().streams(256, 512, 512).fd(1024).memory(160 * MIB).build())
                    .build();
            List<LintFinding> findings = PolicyLint.check(new FixedLimiter(config),
                    allowlist("/ip4/192.0.2.0/ipcidr/24"), ConnLimiterConfig.defaults(), List.of());
            assertEquals(List.of(f(LintCode.ALLOWLIST_BLOCKED, Resource.CONNS, 0, 1, "allowlistedSystem",
                    "allowlistedTransient")), strip(findings));
            assertTrue(findings.get(0).message().contains("refuses every connection from them"),
                    findings.get(0).message());
            assertEquals(List.of(), lint(config), "no allowlist, nothing to say");
        }

        @Test
        void aNetworkLimitInsideAnAllowlistedNetworkAboveTheAllowlistedSystem() {
            ConnLimiterConfig connLimits = ConnLimiterConfig.defaults().withNetworkPrefixLimitsV4(List.of(
                    NetworkPrefixLimit.of("127.0.0.0/8", LimitValue.unlimited()),
                    NetworkPrefixLimit.of("10.1.0.0/16", LimitValue.of(1000)),
                    NetworkPrefixLimit.of("10.2.0.0/16", LimitValue.of(200)),
                    NetworkPrefixLimit.of("172.16.0.0/12", LimitValue.of(2000))));
            List<LintFinding> findings = PolicyLint.check(new FixedLimiter(CLEAN),
                    allowlist("/ip4/10.0.0.0/ipcidr/8", "/ip4/172.16.0.0/ipcidr/12"), connLimits, List.of());
            assertEquals(List.of(
                    f(LintCode.ALLOWLIST_NETWORK_ABOVE_ALLOWLISTED_SYSTEM, Resource.CONNS, 1000, 256,
                            "network:10.1.0.0/16", "allowlist:10.0.0.0/8", "allowlistedSystem"),
                    f(LintCode.ALLOWLIST_NETWORK_ABOVE_ALLOWLISTED_SYSTEM, Resource.CONNS, 2000, 256,
                            "network:172.16.0.0/12", "allowlist:172.16.0.0/12", "allowlistedSystem")),
                    strip(findings));
        }

        @Test
        void peerConstrainedEntriesAreNotRegisteredAndNotChecked() {
            ConnLimiterConfig connLimits = ConnLimiterConfig.defaults().withNetworkPrefixLimitsV4(List.of(
                    NetworkPrefixLimit.of("10.0.0.0/8", LimitValue.of(1000))));
            assertEquals(List.of(), lint(CLEAN, allowlist("/ip4/10.0.0.0/ipcidr/8/p2p/" + ALICE), connLimits,
                    List.of()));
        }
    }

    @Nested
    class StaticPeers {

        private final ConnLimiterConfig per24 = ConnLimiterConfig.defaults().withSubnetLimitsV4(List.of(
                new ConnLimitPerSubnet(32, LimitValue.of(8)), new ConnLimitPerSubnet(24, LimitValue.of(4))));

        private List<Multiaddr> inOne24(int n) {
            return IntStream.rangeClosed(1, n).mapToObj(i -> Multiaddr.parse("/ip4/192.0.2." + i + "/tcp/4001"))
                    .collect(Collectors.toList());
        }

        @Test
        void distinctAddressesPassThePer32Default() {
            List<F> findings = lint(CLEAN, allowlist("/ip4/192.0.2.0/ipcidr/24"), ConnLimiterConfig.defaults(),
                    inOne24(20));
            assertEquals(List.of(), findings);
        }

        @Test
        void moreStaticPeersInOne24ThanItsCap() {
            List<Multiaddr> peers = inOne24(5);
            List<LintFinding> findings = PolicyLint.check(new FixedLimiter(CLEAN),
                    allowlist("/ip4/192.0.2.0/ipcidr/25/p2p/" + ALICE), per24, peers);
            List<String> scopes = new ArrayList<>(List.of("subnet:192.0.2.0/24"));
            peers.forEach(p -> scopes.add("staticPeer:" + p));
            assertEquals(new F(LintCode.STATIC_PEERS_OVER_IP_LIMIT, scopes, Resource.CONNS, 5, 4),
                    F.of(findings.get(0)));
            assertEquals(Severity.ERROR, findings.get(0).severity());
            assertTrue(findings.get(0).message().startsWith("5 static peers share subnet 192.0.2.0/24 (the per-/24 "
                    + "limit), which admits 4 connections: at least 1 of them will be refused"),
                    findings.get(0).message());
        }

        @Test
        void aPeerWithTwoAddressesInOneBucketCountsOnce() {
            List<Multiaddr> peers = addrs("/ip4/192.0.2.1/tcp/4001/p2p/" + ALICE,
                    "/ip4/192.0.2.2/udp/4001/quic-v1/p2p/" + ALICE, "/ip4/192.0.2.3/tcp/4001/p2p/" + BOB);
            ConnLimiterConfig two = per24.withSubnetLimitsV4(List.of(new ConnLimitPerSubnet(24, LimitValue.of(2))));
            assertEquals(List.of(), lint(CLEAN, allowlist("/ip4/192.0.2.0/ipcidr/24"), two, peers));
        }

        @Test
        void theIpv6Per48DefaultRefusesTheSixtyFifth() {
            List<Multiaddr> peers = IntStream.range(0, 65)
                    .mapToObj(i -> Multiaddr.parse("/ip6/2001:db8:0:" + Integer.toHexString(i << 8) + "::1/tcp/1"))
                    .collect(Collectors.toList());
            List<F> findings = lint(CLEAN, allowlist("/ip6/2001:db8::/ipcidr/32/p2p/" + ALICE),
                    ConnLimiterConfig.defaults(), peers);
            assertEquals(1, findings.size(), findings::toString);
            F only = findings.get(0);
            assertEquals(LintCode.STATIC_PEERS_OVER_IP_LIMIT, only.code());
            assertEquals("subnet:2001:db8::/48", only.scopes().get(0));
            assertEquals(65, only.value());
            assertEquals(64, only.bound());
        }

        @Test
        void aNetworkPrefixLimitSharedByStaticPeers() {
            ConnLimiterConfig connLimits = ConnLimiterConfig.defaults().withNetworkPrefixLimitsV4(List.of(
                    NetworkPrefixLimit.of("10.0.0.0/8", LimitValue.of(2))));
            List<F> findings = lint(CLEAN, allowlist("/ip4/10.0.0.0/ipcidr/8/p2p/" + ALICE), connLimits,
                    addrs("/ip4/10.0.0.1/tcp/1", "/ip4/10.9.0.1/tcp/1", "/ip4/10.200.3.4/tcp/1"));
            assertEquals(List.of(f(LintCode.STATIC_PEERS_OVER_IP_LIMIT, Resource.CONNS, 3, 2, "network:10.0.0.0/8",
                    "staticPeer:/ip4/10.0.0.1/tcp/1", "staticPeer:/ip4/10.9.0.1/tcp/1",
                    "staticPeer:/ip4/10.200.3.4/tcp/1")), findings);
        }

        /** The manager limits an allowlisted network to the allowlisted system's connections. */
        @Test
        void anAllowlistedNetworkSharedByMoreStaticPeersThanTheAllowlistedSystemAdmits() {
            BaseLimit four = CLEAN.allowlistedTransient().toBuilder().conns(4, 4, 4).build();
            ConcreteLimitConfig config = clean().allowlistedSystem(CLEAN.allowlistedSystem().toBuilder()
                    .conns(4, 4, 4).build()).allowlistedTransient(four).build();
            List<LintFinding> findings = PolicyLint.check(new FixedLimiter(config),
                    allowlist("/ip4/192.0.2.0/ipcidr/24"), ConnLimiterConfig.defaults(), inOne24(5));
            assertEquals(1, findings.size(), findings::toString);
            assertEquals(LintCode.STATIC_PEERS_OVER_IP_LIMIT, findings.get(0).code());
            assertEquals("network:192.0.2.0/24", findings.get(0).scopes().get(0));
            assertEquals(5, findings.get(0).value());
            assertEquals(4, findings.get(0).bound());
            assertTrue(findings.get(0).message().contains("allowlisted network 192.0.2.0/24"),
                    findings.get(0).message());
        }

        @Test
        void staticPeersOutsideTheAllowlist() {
            List<LintFinding> findings = PolicyLint.check(new FixedLimiter(CLEAN),
                    allowlist("/ip4/192.0.2.1/p2p/" + ALICE), ConnLimiterConfig.defaults(),
                    addrs("/ip4/192.0.2.1/tcp/4001/p2p/" + ALICE, "/ip4/192.0.2.1/tcp/4002/p2p/" + BOB));
            assertEquals(List.of(f(LintCode.STATIC_PEERS_NOT_ALLOWLISTED, Resource.CONNS, 1, 256, "system",
                    "staticPeer:/ip4/192.0.2.1/tcp/4002/p2p/" + BOB)), strip(findings));
            assertTrue(findings.get(0).message().endsWith("Allowlist them, for example /ip4/192.0.2.1/p2p/" + BOB
                    + "."), findings.get(0).message());
        }

        @Test
        void noSuggestionWhenTheSystemIsUnlimitedForConnections() {
            ConcreteLimitConfig config = clean().system(CLEAN.system().toBuilder()
                    .conns(LimitValue.unlimited(), LimitValue.unlimited(), LimitValue.unlimited()).build()).build();
            assertEquals(List.of(), lint(config, new Allowlist(), ConnLimiterConfig.defaults(),
                    addrs("/ip4/192.0.2.1/tcp/4001")));
        }

        @Test
        void staticPeersWithoutAnIpAddress() {
            assertEquals(List.of(f(LintCode.STATIC_PEER_WITHOUT_IP, Resource.CONNS, 1, 0,
                    "staticPeer:/dns4/bootstrap.example.com/tcp/4001/p2p/" + ALICE)),
                    lint(CLEAN, new Allowlist(), ConnLimiterConfig.defaults(),
                            addrs("/dns4/bootstrap.example.com/tcp/4001/p2p/" + ALICE)));
        }

        @Test
        void loopbackIsExempt() {
            assertEquals(List.of(), lint(CLEAN, allowlist("/ip4/127.0.0.1"), ConnLimiterConfig.defaults(),
                    IntStream.range(0, 20).mapToObj(i -> Multiaddr.parse("/ip4/127.0.0.1/tcp/" + (4000 + i)))
                            .collect(Collectors.toList())));
        }
    }

    @Nested
    class Builder {

        /** One error (stream blocks all), one warning (conn memory above peer). */
        private final ConcreteLimitConfig broken = clean()
                .stream(CLEAN.stream().toBuilder().streams(LimitValue.blockAll(), LimitValue.blockAll(),
                        LimitValue.blockAll()).build())
                .conn(CLEAN.conn().toBuilder().memory(256 * MIB).build())
                .build();

        private ResourceManagerBuilder builder(List<LintFinding> logged) {
            return ResourceManagerBuilder.create().limits(broken).collectInterval(null).flightRecorder(false)
                    .refusalSummary(null).lintLog(logged::add);
        }

        @Test
        void lintIsPureAndLogsNothing() {
            List<LintFinding> logged = new ArrayList<>();
            ResourceManagerBuilder b = builder(logged).lintMode(LintMode.FAIL);
            List<LintFinding> findings = b.lint();
            assertEquals(List.of(f(LintCode.BLOCKS_ALL, Resource.STREAMS, 0, 1, "stream"),
                    f(LintCode.CONN_ABOVE_PEER, Resource.MEMORY, 256 * MIB, 192 * MIB, "conn", "peerDefault")),
                    strip(findings));
            assertEquals(findings, b.lint());
            assertEquals(List.of(), logged);
        }

        @Test
        void warnModeLogsEachFindingOnceAndBuilds() {
            List<LintFinding> logged = new ArrayList<>();
            ResourceManagerBuilder b = builder(logged);
            try (ResourceManager rm = b.build()) {
                assertEquals(b.lint(), logged);
            }
        }

        @Test
        void failModeThrowsNamingTheErrors() {
            List<LintFinding> logged = new ArrayList<>();
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> builder(logged).lintMode(LintMode.FAIL).build());
            assertTrue(e.getMessage().startsWith("the policy lint found 1 error in the configuration (lintMode FAIL):"
                    + "\n  ERROR BLOCKS_ALL [stream] stream admits no stream"), e.getMessage());
            assertTrue(!e.getMessage().contains("CONN_ABOVE_PEER"), "warnings are logged, not listed");
            assertEquals(2, logged.size(), "logged before failing");
        }

        @Test
        void failModeBuildsWhenThereAreOnlyWarnings() {
            List<LintFinding> logged = new ArrayList<>();
            try (ResourceManager rm = ResourceManagerBuilder.create()
                    .limits(clean().conn(CLEAN.conn().toBuilder().memory(256 * MIB).build()).build())
                    .collectInterval(null).lintMode(LintMode.FAIL).lintLog(logged::add).build()) {
                assertEquals(1, logged.size());
            }
        }

        @Test
        void offSkipsTheCheck() {
            List<LintFinding> logged = new ArrayList<>();
            try (ResourceManager rm = builder(logged).lintMode(LintMode.OFF).build()) {
                assertEquals(List.of(), logged);
            }
        }

        @Test
        void staticPeersAndAllowlistReachTheCheck() {
            List<LintFinding> logged = new ArrayList<>();
            ResourceManagerBuilder b = ResourceManagerBuilder.create().limits(CLEAN).collectInterval(null)
                    .allowlist(allowlist("/ip4/10.0.0.0/ipcidr/8/p2p/" + ALICE))
                    .connLimits(ConnLimiterConfig.defaults().withNetworkPrefixLimitsV4(List.of(
                            NetworkPrefixLimit.of("10.0.0.0/8", LimitValue.of(1)))))
                    .staticPeers(addrs("/ip4/10.0.0.1/tcp/1/p2p/" + ALICE, "/ip4/10.0.0.2/tcp/1/p2p/" + BOB))
                    .lintMode(LintMode.FAIL).lintLog(logged::add);
            IllegalStateException e = assertThrows(IllegalStateException.class, b::build);
            assertTrue(e.getMessage().contains("STATIC_PEERS_OVER_IP_LIMIT [network:10.0.0.0/8"), e.getMessage());
            assertEquals(List.of(LintCode.STATIC_PEERS_OVER_IP_LIMIT, LintCode.STATIC_PEERS_NOT_ALLOWLISTED),
                    logged.stream().map(LintFinding::code).collect(Collectors.toList()));
        }

        /** Through SLF4J (slf4j-simple writes to System.err in tests): one line per finding, at its level. */
        @Test
        void findingsReachTheLogOnceEach() {
            PrintStream err = System.err;
            ByteArrayOutputStream captured = new ByteArrayOutputStream();
            try (PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
                System.setErr(capture);
                try (ResourceManager rm = ResourceManagerBuilder.create().limits(broken).collectInterval(null)
                        .refusalSummary(Duration.ofMinutes(1)).build()) {
                    rm.snapshot();
                }
            } finally {
                System.setErr(err);
            }
            List<String> lines = captured.toString(StandardCharsets.UTF_8).lines()
                    .filter(l -> l.contains(PolicyLint.class.getName())).collect(Collectors.toList());
            assertEquals(2, lines.size(), lines::toString);
            assertTrue(lines.get(0).contains("ERROR " + PolicyLint.class.getName() + " - ERROR BLOCKS_ALL [stream]"),
                    lines.get(0));
            assertTrue(lines.get(1).contains("WARN " + PolicyLint.class.getName()
                    + " - WARNING CONN_ABOVE_PEER [conn, peerDefault]"), lines.get(1));
        }
    }
}
