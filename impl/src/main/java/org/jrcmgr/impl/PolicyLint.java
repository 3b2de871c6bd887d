package org.jrcmgr.impl;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.jrcmgr.BaseLimit;
import org.jrcmgr.Limit;
import org.jrcmgr.Multiaddr;
import org.jrcmgr.Multiaddr.Component;
import org.jrcmgr.Multiaddr.Protocol;
import org.jrcmgr.PeerId;
import org.jrcmgr.ProtocolId;
import org.jrcmgr.Resource;
import org.jrcmgr.impl.limit.ConcreteLimitConfig;
import org.jrcmgr.impl.limit.FixedLimiter;
import org.jrcmgr.impl.limit.Limiter;
import org.jrcmgr.impl.net.Allowlist;
import org.jrcmgr.impl.net.ConnLimitPerSubnet;
import org.jrcmgr.impl.net.ConnLimiterConfig;
import org.jrcmgr.impl.net.IpNetwork;
import org.jrcmgr.impl.net.NetworkPrefixLimit;
import org.jrcmgr.impl.net.internal.ConnLimiter;
import org.jrcmgr.impl.net.internal.IpAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a manager's configuration for contradictions: limits that can never be reached, scopes
 * that admit nothing, an allowlist that cannot let anyone in, static peers that the per-address
 * limits would refuse. Each problem is a {@link LintFinding} with a stable {@link LintCode}; the
 * codes document every check. {@link ResourceManagerBuilder} runs the check when it builds a
 * manager and logs the findings (see {@link LintMode}); {@link ResourceManagerBuilder#lint()}
 * returns them without building anything.
 *
 * <p>What is checked:
 * <ul>
 *   <li>the limits: all of them for a {@link FixedLimiter}, per-key entries included. A limiter
 *       of your own is asked only for what it answers without a key (system, transient, the
 *       allowlisted pair, conn) and for what it answers for one sample service, protocol and
 *       peer that nobody configures; those answers stand for its defaults. A dynamic
 *       {@link Limit} is checked as it answers at the time of the check, and a sample the
 *       limiter refuses (throws for) is taken as unlimited, so nothing is checked against it;</li>
 *   <li>the {@link Allowlist} as it is at the time of the check (entries added later are not);</li>
 *   <li>the per-address connection limits, with the networks the manager registers for the
 *       allowlist, as the manager's connection limiter will see them;</li>
 *   <li>static peers: addresses the node must always reach. Each is counted as one connection;
 *       addresses with the same {@code /p2p} peer count once per limiter bucket, which errs on the
 *       side of reporting a peer reachable through several buckets in each.</li>
 * </ul>
 *
 * <p>Which limits are compared follows the scope DAG: a limit is reported as unreachable only
 * against a scope that <em>every</em> reservation of it also passes through (transient and
 * system; a peer and system, or the allowlisted system for an allowlisted connection; a per-peer
 * share and both its aggregate and its peer; a stream and its peer). Scopes a connection or stream
 * only passes through for a while are not compared: a stream leaves transient once its protocol is
 * set, so a protocol may well allow more streams than transient. Per-peer comparisons use the peer
 * default: a per-peer entry smaller than a service's or protocol's per-peer share is not reported.
 *
 * <p>go-libp2p's defaults ({@link org.jrcmgr.impl.limit.DefaultLimits#defaults()} scaled to any
 * budget) give no error and no warning, and three pieces of information, because of how go sized
 * them: {@link LintCode#SERVICE_ABOVE_SYSTEM} for the service default's outbound and total streams
 * (4096 against the system's 2048 at the base; both grow by 2048 per GiB), and
 * {@link LintCode#DIRECTIONS_BELOW_TOTAL} for the protocol-peer default's streams (64 + 128 of a
 * total of 256 at the base). go's service presets
 * ({@link org.jrcmgr.impl.limit.DefaultLimits#withDefaultServiceLimits}) add four warnings: the
 * per-peer memory of identify and ping, 32 &times; (256 MiB + 16 KiB), is far above the memory of
 * their service or protocol.
 *
 * <p>The check is pure: it reads the configuration and changes nothing.
 */
public final class PolicyLint {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyLint.class);

    /** Keys nobody configures, so that a custom limiter answers with its defaults. */
    private static final String SAMPLE_SERVICE = "jrcmgr.lint.sample";
    private static final ProtocolId SAMPLE_PROTOCOL = ProtocolId.of("/jrcmgr/lint/sample");
    private static final PeerId SAMPLE_PEER = identityPeer("jrcmgr.lint.sample");

    private static final List<Resource> STREAMS = List.of(
            Resource.STREAMS_INBOUND, Resource.STREAMS_OUTBOUND, Resource.STREAMS);
    private static final List<Resource> STREAMS_AND_MEMORY = List.of(
            Resource.STREAMS_INBOUND, Resource.STREAMS_OUTBOUND, Resource.STREAMS, Resource.MEMORY);
    /** What a connection brings into its peer: through the allowlisted system if allowlisted. */
    private static final List<Resource> CONNECTION_BORNE = List.of(
            Resource.CONNS_INBOUND, Resource.CONNS_OUTBOUND, Resource.CONNS, Resource.FD, Resource.MEMORY);
    private static final List<Resource> ALL = List.of(
            Resource.STREAMS_INBOUND, Resource.STREAMS_OUTBOUND, Resource.STREAMS,
            Resource.CONNS_INBOUND, Resource.CONNS_OUTBOUND, Resource.CONNS, Resource.FD, Resource.MEMORY);

    /** Static peers named in one message; the finding's scopes list them all. */
    private static final int NAMED_PEERS = 5;

    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;

    private PolicyLint() {
    }

    /**
     * Checks limits alone, with an empty allowlist, go-libp2p's per-address limits and no static
     * peers: the check for a limit file, say.
     *
     * @param limits the limits
     * @return the findings, errors first, then warnings, then information
     * @throws NullPointerException if {@code limits} is null
     */
    public static List<LintFinding> check(ConcreteLimitConfig limits) {
        return check(new FixedLimiter(limits), new Allowlist(), ConnLimiterConfig.defaults(), List.of());
    }

    /**
     * Checks a manager's configuration.
     *
     * @param limiter     where scopes get their limits
     * @param allowlist   the allowlist
     * @param connLimits  the per-address connection limits
     * @param staticPeers addresses the node must always reach, possibly with {@code /p2p}
     * @return the findings, errors first, then warnings, then information; each group in the
     *     order of the checks
     * @throws NullPointerException if an argument or a static peer is null
     */
    public static List<LintFinding> check(Limiter limiter, Allowlist allowlist, ConnLimiterConfig connLimits,
                                          Collection<Multiaddr> staticPeers) {
        Objects.requireNonNull(limiter, "limiter");
        ConcreteLimitConfig config = limiter instanceof FixedLimiter fixed ? fixed.config() : sample(limiter);
        Run run = new Run(config, Objects.requireNonNull(allowlist, "allowlist"),
                Objects.requireNonNull(connLimits, "connLimits"), List.copyOf(staticPeers));
        run.limits();
        run.allowlist();
        run.staticPeers();
        List<LintFinding> sorted = new ArrayList<>(run.findings);
        sorted.sort(Comparator.comparing(LintFinding::severity));
        return List.copyOf(sorted);
    }

    /**
     * Logs a finding in one line to the logger {@code org.jrcmgr.impl.PolicyLint}, at error, warn
     * or info level by its severity.
     *
     * @param finding the finding
     */
    public static void log(LintFinding finding) {
        switch (finding.severity()) {
            case ERROR -> LOG.error("{}", finding);
            case WARNING -> LOG.warn("{}", finding);
            case INFO -> LOG.info("{}", finding);
        }
    }

    /** A configuration made of what a custom limiter answers: its fixed scopes and its defaults. */
    private static ConcreteLimitConfig sample(Limiter l) {
        return new ConcreteLimitConfig(
                BaseLimit.copyOf(l.systemLimits()), BaseLimit.copyOf(l.transientLimits()),
                BaseLimit.copyOf(l.allowlistedSystemLimits()), BaseLimit.copyOf(l.allowlistedTransientLimits()),
                ask(() -> l.serviceLimits(SAMPLE_SERVICE)), Map.of(),
                ask(() -> l.servicePeerLimits(SAMPLE_SERVICE)), Map.of(),
                ask(() -> l.protocolLimits(SAMPLE_PROTOCOL)), Map.of(),
                ask(() -> l.protocolPeerLimits(SAMPLE_PROTOCOL)), Map.of(),
                ask(() -> l.peerLimits(SAMPLE_PEER)), Map.of(),
                BaseLimit.copyOf(l.connLimits()), ask(() -> l.streamLimits(SAMPLE_PEER)));
    }

    /**
     * A keyed answer of a custom limiter. One that refuses keys it does not know would do so only
     * for keys the manager never asks about in practice, so its refusal is no finding.
     */
    private static BaseLimit ask(Supplier<Limit> question) {
        try {
            return BaseLimit.copyOf(question.get());
        } catch (RuntimeException e) {
            return BaseLimit.UNLIMITED;
        }
    }

    private static PeerId identityPeer(String name) {
        byte[] digest = name.getBytes(StandardCharsets.US_ASCII);
        byte[] multihash = new byte[digest.length + 2];
        multihash[1] = (byte) digest.length;
        System.arraycopy(digest, 0, multihash, 2, digest.length);
        return PeerId.fromBytes(multihash);
    }

    private static long cap(Limit limit, Resource r) {
        return limit.get(r).capacity();
    }

    private static long plus(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    /** What a limit admits of connections or streams: the total, or less if the directions add up to less. */
    private static long admits(Limit limit, Resource in, Resource out, Resource total) {
        return Math.min(cap(limit, total), plus(cap(limit, in), cap(limit, out)));
    }

    private static long connsAdmitted(Limit limit) {
        return admits(limit, Resource.CONNS_INBOUND, Resource.CONNS_OUTBOUND, Resource.CONNS);
    }

    /** "inbound stream", "total stream", "memory": which of a scope's limits. */
    private static String limitName(Resource r) {
        return switch (r) {
            case STREAMS, CONNS -> "total " + r.label();
            default -> r.label();
        };
    }

    /** A limit for people: "unlimited", a count, or memory in the largest unit that keeps it exact. */
    private static String amount(Resource r, long v) {
        if (v == Long.MAX_VALUE) {
            return "unlimited";
        }
        if (r != Resource.MEMORY) {
            return Long.toString(v);
        }
        if (v >= GIB && v % GIB == 0) {
            return v / GIB + " GiB";
        }
        if (v >= MIB && v % MIB == 0) {
            return v / MIB + " MiB";
        }
        if (v >= MIB) {
            return v + " bytes (" + String.format(Locale.ROOT, "%.1f", v / (double) MIB) + " MiB)";
        }
        return v + " bytes";
    }

    /** A scope's name as the configuration calls it, and its limits. */
    private record Named(String name, BaseLimit limit) {
    }

    /**
     * A scope that every reservation of the checked scope also passes through. {@code extra}, if
     * not null, is a second scope that can take the reservations instead, so the two add up.
     */
    private record Bound(LintCode code, String name, List<String> scopes, Limit limit, Limit extra, String why) {
        long capacity(Resource r) {
            long c = cap(limit, r);
            return extra == null ? c : plus(c, cap(extra, r));
        }
    }

    /** One bucket of the per-address connection limiter, with the static peers it counts. */
    private static final class Bucket {
        final String label;
        final String description;
        final long connCount;
        final Map<String, Multiaddr> peers = new LinkedHashMap<>();

        Bucket(String label, String description, long connCount) {
            this.label = label;
            this.description = description;
            this.connCount = connCount;
        }
    }

    /** One check of one configuration. */
    private static final class Run {
        final ConcreteLimitConfig c;
        final Allowlist allowlist;
        final boolean allowlisting;
        final List<IpNetwork> unconstrained;
        final ConnLimiterConfig connLimits;
        final List<Multiaddr> staticPeers;
        /** Equal findings reached through two pairs of scopes are reported once. */
        final Set<LintFinding> findings = new LinkedHashSet<>();

        Run(ConcreteLimitConfig c, Allowlist allowlist, ConnLimiterConfig connLimits, List<Multiaddr> staticPeers) {
            this.c = c;
            this.allowlist = allowlist;
            this.allowlisting = allowlist.size() > 0;
            this.unconstrained = allowlist.unconstrainedNetworks();
            this.connLimits = connLimits;
            this.staticPeers = staticPeers;
        }

        void add(LintCode code, List<String> scopes, Resource r, long value, long bound, String message) {
            findings.add(new LintFinding(code, scopes, r, value, bound, message));
        }

        // ---- limits ------------------------------------------------------------------------------

        void limits() {
            Bound transientBound = new Bound(LintCode.TRANSIENT_ABOVE_SYSTEM, "system", List.of("system"), c.system(), null,
                    "everything counted in transient is counted in system too, so the transient limit never binds "
                            + "and does not keep unattached connections and streams from crowding out established ones");
            above("transient", c.transientLimit(), ALL, transientBound);
            // Streams never enter the allowlisted scopes: only connections and their memory do.
            above("allowlistedTransient", c.allowlistedTransient(), CONNECTION_BORNE, new Bound(
                    LintCode.ALLOWLISTED_TRANSIENT_ABOVE_ALLOWLISTED_SYSTEM, "allowlistedSystem",
                    List.of("allowlistedSystem"), c.allowlistedSystem(), null,
                    "everything counted in allowlistedTransient is counted in allowlistedSystem too, so the "
                            + "allowlistedTransient limit never binds"));

            List<Named> peers = named("peerDefault", c.peerDefault(), "peer:", c.peer());
            Bound peerStreams = new Bound(LintCode.PEER_ABOVE_SYSTEM, "system", List.of("system"), c.system(), null,
                    "every stream and every reservation of a peer is counted in system too, so the peer limit "
                            + "never binds and one peer can take all of the system");
            Bound peerConnections = allowlisting
                    ? new Bound(LintCode.PEER_ABOVE_SYSTEM, "system + allowlistedSystem",
                            List.of("system", "allowlistedSystem"), c.system(), c.allowlistedSystem(),
                            "what a peer holds is counted in system too, or in allowlistedSystem for an allowlisted "
                                    + "connection, so the peer limit never binds")
                    : new Bound(LintCode.PEER_ABOVE_SYSTEM, "system", List.of("system"), c.system(), null,
                            "what a peer holds is counted in system too, so the peer limit never binds and one "
                                    + "peer can take all of the system");
            for (Named peer : peers) {
                above(peer.name(), peer.limit(), STREAMS, peerStreams);
                above(peer.name(), peer.limit(), CONNECTION_BORNE, peerConnections);
            }

            List<Named> services = named("serviceDefault", c.serviceDefault(), "service:", c.service());
            for (Named service : services) {
                above(service.name(), service.limit(), STREAMS_AND_MEMORY, new Bound(LintCode.SERVICE_ABOVE_SYSTEM,
                        "system", List.of("system"), c.system(), null,
                        "every stream of a service is counted in system too, so the service limit never binds"));
            }
            List<Named> protocols = named("protocolDefault", c.protocolDefault(), "protocol:", c.protocol());
            for (Named protocol : protocols) {
                above(protocol.name(), protocol.limit(), STREAMS_AND_MEMORY, new Bound(LintCode.PROTOCOL_ABOVE_SYSTEM,
                        "system", List.of("system"), c.system(), null,
                        "every stream of a protocol is counted in system too, so the protocol limit never binds"));
            }

            Named peerDefault = peers.get(0);
            sharesOfPeers("service", "servicePeer", c.serviceDefault(), c.service(), c.servicePeerDefault(),
                    c.servicePeer(), peerDefault, LintCode.SERVICE_PEER_ABOVE_SERVICE, LintCode.SERVICE_PEER_ABOVE_PEER);
            sharesOfPeers("protocol", "protocolPeer", c.protocolDefault(), c.protocol(), c.protocolPeerDefault(),
                    c.protocolPeer(), peerDefault, LintCode.PROTOCOL_PEER_ABOVE_PROTOCOL,
                    LintCode.PROTOCOL_PEER_ABOVE_PEER);

            above("conn", c.conn(), List.of(Resource.MEMORY), new Bound(LintCode.CONN_ABOVE_PEER, "peerDefault",
                    List.of("peerDefault"), c.peerDefault(), null,
                    "a connection's memory moves into its peer when setPeer attaches it, so a connection holding "
                            + "more than that can never be attached to its peer"));
            above("stream", c.stream(), List.of(Resource.MEMORY), new Bound(LintCode.STREAM_ABOVE_PEER, "peerDefault",
                    List.of("peerDefault"), c.peerDefault(), null,
                    "every stream is counted in its peer from the moment it is opened, so the stream limit never "
                            + "binds"));

            blocks("system", c.system(), true, true, true, "every connection and stream is counted in system");
            blocks("transient", c.transientLimit(), true, true, true,
                    "every connection and stream is counted in transient when opened");
            blocks("peerDefault", c.peerDefault(), true, true, false,
                    "every stream is counted in its peer when opened, every connection when setPeer attaches it");
            blocks("conn", c.conn(), false, true, false, "every connection is counted in its own scope");
            blocks("stream", c.stream(), true, false, false, "every stream is counted in its own scope");

            List<Named> both = new ArrayList<>(List.of(new Named("system", c.system()),
                    new Named("transient", c.transientLimit())));
            both.addAll(peers);
            List<Named> connOnly = List.of(new Named("allowlistedSystem", c.allowlistedSystem()),
                    new Named("allowlistedTransient", c.allowlistedTransient()), new Named("conn", c.conn()));
            List<Named> streamOnly = new ArrayList<>(services);
            streamOnly.addAll(named("servicePeerDefault", c.servicePeerDefault(), "servicePeer:", c.servicePeer()));
            streamOnly.addAll(protocols);
            streamOnly.addAll(named("protocolPeerDefault", c.protocolPeerDefault(), "protocolPeer:", c.protocolPeer()));
            streamOnly.add(new Named("stream", c.stream()));
            for (Named n : both) {
                directions(n, Resource.STREAMS_INBOUND, Resource.STREAMS_OUTBOUND, Resource.STREAMS);
                directions(n, Resource.CONNS_INBOUND, Resource.CONNS_OUTBOUND, Resource.CONNS);
            }
            for (Named n : streamOnly) {
                directions(n, Resource.STREAMS_INBOUND, Resource.STREAMS_OUTBOUND, Resource.STREAMS);
            }
            for (Named n : connOnly) {
                directions(n, Resource.CONNS_INBOUND, Resource.CONNS_OUTBOUND, Resource.CONNS);
            }
        }

        static <K> List<Named> named(String defaultName, BaseLimit defaultLimit, String prefix, Map<K, BaseLimit> map) {
            List<Named> all = new ArrayList<>();
            all.add(new Named(defaultName, defaultLimit));
            map.forEach((key, limit) -> all.add(new Named(prefix + key, limit)));
            return all;
        }

        /**
         * Each peer's share of a service or protocol against the aggregate it belongs to and the
         * peer default. A key with an entry in only one of the two maps pairs that entry with the
         * other map's default, which is what the manager does.
         */
        <K> void sharesOfPeers(String aggregate, String share, BaseLimit aggregateDefault, Map<K, BaseLimit> aggregates,
                               BaseLimit shareDefault, Map<K, BaseLimit> shares, Named peerDefault,
                               LintCode aboveAggregate, LintCode abovePeer) {
            Bound peer = new Bound(abovePeer, peerDefault.name(), List.of(peerDefault.name()), peerDefault.limit(),
                    null, "every stream of a " + aggregate + " is counted in its peer too, so each peer's share never "
                            + "binds");
            shareAgainst(share + "Default", shareDefault, aggregate + "Default", aggregateDefault, aboveAggregate,
                    aggregate, peer);
            Set<K> keys = new LinkedHashSet<>(aggregates.keySet());
            keys.addAll(shares.keySet());
            for (K key : keys) {
                String shareName = shares.containsKey(key) ? share + ":" + key : share + "Default";
                String aggregateName = aggregates.containsKey(key) ? aggregate + ":" + key : aggregate + "Default";
                shareAgainst(shareName, shares.getOrDefault(key, shareDefault), aggregateName,
                        aggregates.getOrDefault(key, aggregateDefault), aboveAggregate, aggregate, peer);
            }
        }

        void shareAgainst(String shareName, BaseLimit shareLimit, String aggregateName, BaseLimit aggregateLimit,
                          LintCode code, String aggregate, Bound peer) {
            above(shareName, shareLimit, STREAMS_AND_MEMORY, new Bound(code, aggregateName, List.of(aggregateName),
                    aggregateLimit, null, "each peer's share of a " + aggregate + " is counted in the " + aggregate
                            + " too, so the share never binds and one peer can take all of the " + aggregate), peer);
        }

        /**
         * Reports each resource whose finite limit is above the tightest of {@code bounds}; the
         * first bound wins a tie.
         */
        void above(String child, Limit limit, List<Resource> resources, Bound... bounds) {
            for (Resource r : resources) {
                long value = cap(limit, r);
                if (value == Long.MAX_VALUE) {
                    continue;
                }
                Bound tightest = null;
                long bound = 0;
                for (Bound b : bounds) {
                    long capacity = b.capacity(r);
                    if (capacity < value && (tightest == null || capacity < bound)) {
                        tightest = b;
                        bound = capacity;
                    }
                }
                if (tightest == null) {
                    continue;
                }
                List<String> scopes = new ArrayList<>();
                scopes.add(child);
                scopes.addAll(tightest.scopes());
                String advice = tightest.code().severity() == LintFinding.Severity.INFO
                        ? "Harmless if it is meant to add no cap of its own; otherwise lower it to at most "
                                + amount(r, bound) + "."
                        : "Lower it to at most " + amount(r, bound) + ", or raise " + tightest.name() + ".";
                add(tightest.code(), scopes, r, value, bound, child + " " + limitName(r) + " limit " + amount(r, value)
                        + " is above " + tightest.name() + "'s " + amount(r, bound) + ": " + tightest.why() + ". "
                        + advice);
            }
        }

        /**
         * A scope that everything passes through and that admits none of a resource. For
         * connections and file descriptors of system and transient, the allowlisted scopes may
         * still let allowlisted endpoints in.
         */
        void blocks(String scope, Limit limit, boolean streams, boolean conns, boolean allowlistFallback, String why) {
            if (streams) {
                blocked(scope, limit, Resource.STREAMS_INBOUND, Resource.STREAMS_OUTBOUND, Resource.STREAMS, false,
                        why + ", so no stream can ever be admitted");
            }
            if (conns) {
                blocked(scope, limit, Resource.CONNS_INBOUND, Resource.CONNS_OUTBOUND, Resource.CONNS,
                        allowlistFallback, why + ", so no connection can ever be admitted");
                if (cap(limit, Resource.FD) == 0) {
                    long allowlisted = Math.min(cap(c.allowlistedSystem(), Resource.FD),
                            cap(c.allowlistedTransient(), Resource.FD));
                    blockedOrAllowlisted(scope, Resource.FD, allowlistFallback ? allowlisted : 0,
                            scope + " admits no file descriptor (its FD limit is blockAll), so no connection that "
                                    + "uses one (TCP, for example) can ever be admitted");
                }
            }
            if (cap(limit, Resource.MEMORY) == 0) {
                add(LintCode.BLOCKS_ALL, List.of(scope), Resource.MEMORY, 0, 1, scope + " admits no memory (its "
                        + "memory limit is blockAll): " + why + ", so nothing there can ever reserve memory. Give "
                        + scope + " a positive memory limit.");
            }
        }

        void blocked(String scope, Limit limit, Resource in, Resource out, Resource total, boolean allowlistFallback,
                     String consequence) {
            long inbound = cap(limit, in);
            long outbound = cap(limit, out);
            long all = cap(limit, total);
            if (all == 0 || (inbound == 0 && outbound == 0)) {
                long allowlisted = allowlistFallback
                        ? Math.min(connsAdmitted(c.allowlistedSystem()), connsAdmitted(c.allowlistedTransient()))
                        : 0;
                String which = all == 0 ? "its " + total.label() + " total is blockAll"
                        : "its inbound and outbound " + total.label() + " limits are blockAll";
                blockedOrAllowlisted(scope, total, allowlisted,
                        scope + " admits no " + total.label() + " (" + which + "): " + consequence);
                return;
            }
            for (Resource direction : List.of(in, out)) {
                if (cap(limit, direction) == 0) {
                    add(LintCode.BLOCKS_DIRECTION, List.of(scope), direction, 0, all, scope + " admits no "
                            + direction.label() + " (that limit is blockAll, its " + total.label() + " total is "
                            + amount(total, all) + "). Fine for a node meant to work that way; otherwise give it a "
                            + "positive limit.");
                }
            }
        }

        void blockedOrAllowlisted(String scope, Resource r, long allowlisted, String what) {
            if (allowlisting && allowlisted > 0) {
                add(LintCode.ONLY_ALLOWLISTED_CAN_CONNECT, List.of(scope, "allowlistedSystem", "allowlistedTransient"),
                        r, 0, allowlisted, what + " except from allowlisted endpoints, which the allowlisted scopes "
                                + "admit (" + amount(r, allowlisted) + "). Fine for a node that only talks to its "
                                + "allowlist; otherwise give " + scope + " a positive limit.");
            } else {
                add(LintCode.BLOCKS_ALL, List.of(scope), r, 0, 1, what + ". Give " + scope + " a positive limit.");
            }
        }

        void directions(Named n, Resource in, Resource out, Resource total) {
            long inbound = cap(n.limit(), in);
            long outbound = cap(n.limit(), out);
            long all = cap(n.limit(), total);
            long sum = plus(inbound, outbound);
            if (all == Long.MAX_VALUE || sum == 0 || sum >= all) {
                return;
            }
            add(LintCode.DIRECTIONS_BELOW_TOTAL, List.of(n.name()), total, all, sum, n.name() + " " + in.label()
                    + " (" + amount(in, inbound) + ") and " + out.label() + " (" + amount(out, outbound)
                    + ") limits add up to " + sum + ", below its " + total.label() + " total of " + all
                    + ": the total can never be reached. Harmless; lower the total to " + sum
                    + " or raise a direction to say which one binds.");
        }

        // ---- allowlist ---------------------------------------------------------------------------

        void allowlist() {
            if (!allowlisting) {
                return;
            }
            long system = connsAdmitted(c.allowlistedSystem());
            long transientConns = connsAdmitted(c.allowlistedTransient());
            if (system == 0 || transientConns == 0) {
                List<String> scopes = new ArrayList<>();
                if (system == 0) {
                    scopes.add("allowlistedSystem");
                }
                if (transientConns == 0) {
                    scopes.add("allowlistedTransient");
                }
                boolean limiterToo = cap(c.allowlistedSystem(), Resource.CONNS) == 0 && !unconstrained.isEmpty();
                add(LintCode.ALLOWLIST_BLOCKED, scopes, Resource.CONNS, 0, 1, "the allowlist has "
                        + allowlist.size() + " entries but " + String.join(" and ", scopes)
                        + " admit no connection, so it can never let anyone in"
                        + (limiterToo ? "; worse, the connection limiter limits the allowlisted networks to the "
                                + "allowlisted system's 0 connections and so refuses every connection from them" : "")
                        + ". Give allowlisted connections a positive limit, or empty the allowlist.");
            }
            long allowlistedConns = cap(c.allowlistedSystem(), Resource.CONNS);
            if (allowlistedConns == Long.MAX_VALUE) {
                return;
            }
            Set<IpNetwork> reported = new LinkedHashSet<>();
            for (IpNetwork network : unconstrained) {
                List<NetworkPrefixLimit> configured = network.isIpv6()
                        ? connLimits.networkPrefixLimitsV6() : connLimits.networkPrefixLimitsV4();
                for (NetworkPrefixLimit limit : configured) {
                    IpNetwork inner = limit.network();
                    long count = limit.connCount().capacity();
                    if (inner.prefixLength() < network.prefixLength() || !network.contains(inner.address())
                            || count == Long.MAX_VALUE || count <= allowlistedConns || !reported.add(inner)) {
                        continue;
                    }
                    String where = inner.equals(network) ? "allowlisted network " + network
                            : "network " + inner + ", inside allowlisted " + network + ",";
                    add(LintCode.ALLOWLIST_NETWORK_ABOVE_ALLOWLISTED_SYSTEM,
                            List.of("network:" + inner, "allowlist:" + network, "allowlistedSystem"), Resource.CONNS,
                            count, allowlistedConns, "connLimits admits " + count + " connections from " + where
                                    + " above allowlistedSystem's " + allowlistedConns + ": when a flood fills the "
                                    + "ordinary scopes, only " + allowlistedConns + " of them get in. Lower the "
                                    + "network's limit to " + allowlistedConns
                                    + " (or drop it: the manager then registers the network with allowlistedSystem's "
                                    + "count), or raise allowlistedSystem's connections.");
                }
            }
        }

        // ---- static peers ------------------------------------------------------------------------

        void staticPeers() {
            if (staticPeers.isEmpty()) {
                return;
            }
            // The limiter as the manager sets it up, allowlisted networks registered, so that the
            // buckets are the ones connections will be counted in.
            ConnLimiter limiter = new ConnLimiter(connLimits);
            limiter.registerAllowlisted(unconstrained, c.allowlistedSystem().connsTotal());
            ConnLimiterConfig effective = limiter.config();

            Map<String, Bucket> buckets = new LinkedHashMap<>();
            List<Multiaddr> withoutIp = new ArrayList<>();
            Set<Multiaddr> notAllowlisted = new LinkedHashSet<>();
            for (Multiaddr peer : staticPeers) {
                Objects.requireNonNull(peer, "static peer");
                Optional<IpAddress> ip = IpAddress.fromMultiaddr(peer);
                if (ip.isEmpty()) {
                    if (!withoutIp.contains(peer)) {
                        withoutIp.add(peer);
                    }
                    continue;
                }
                Optional<PeerId> id = peer.peerId();
                boolean allowed = id.isPresent() ? allowlist.allowedPeerAndMultiaddr(id.get(), peer)
                        : allowlist.allowed(peer);
                if (!allowed) {
                    notAllowlisted.add(peer);
                }
                String identity = id.map(p -> "/p2p/" + p).orElse(peer.toString());
                for (Bucket bucket : bucketsOf(ip.get(), effective, buckets)) {
                    bucket.peers.putIfAbsent(identity, peer);
                }
            }
            for (Bucket bucket : buckets.values()) {
                int n = bucket.peers.size();
                if (n <= bucket.connCount) {
                    continue;
                }
                List<String> scopes = new ArrayList<>();
                scopes.add(bucket.label);
                bucket.peers.values().forEach(p -> scopes.add("staticPeer:" + p));
                add(LintCode.STATIC_PEERS_OVER_IP_LIMIT, scopes, Resource.CONNS, n, bucket.connCount, n
                        + " static peers share " + bucket.description + ", which admits " + bucket.connCount
                        + " connections: at least " + (n - bucket.connCount) + " of them will be refused ("
                        + names(bucket.peers.values()) + "). Raise that limit to at least " + n
                        + " in connLimits, for example with a NetworkPrefixLimit for their network.");
            }
            long systemConns = cap(c.system(), Resource.CONNS);
            if (!notAllowlisted.isEmpty() && systemConns != Long.MAX_VALUE) {
                List<String> scopes = new ArrayList<>();
                scopes.add("system");
                notAllowlisted.forEach(p -> scopes.add("staticPeer:" + p));
                add(LintCode.STATIC_PEERS_NOT_ALLOWLISTED, scopes, Resource.CONNS, notAllowlisted.size(), systemConns,
                        notAllowlisted.size() + " static peers are not in the allowlist (" + names(notAllowlisted)
                                + "): other peers can fill the system's " + systemConns + " connections and lock them "
                                + "out. Allowlist them, for example " + allowlistEntry(notAllowlisted.iterator().next())
                                + ".");
            }
            if (!withoutIp.isEmpty()) {
                List<String> scopes = withoutIp.stream().map(p -> "staticPeer:" + p).collect(Collectors.toList());
                add(LintCode.STATIC_PEER_WITHOUT_IP, scopes, Resource.CONNS, withoutIp.size(), 0, withoutIp.size()
                        + " static peers have no IP address (" + names(withoutIp) + "): the allowlist and the "
                        + "per-address limits match IP addresses only, so they could not be checked. Give their "
                        + "resolved /ip4 or /ip6 addresses to check them and to allowlist them.");
            }
        }

        /**
         * The buckets {@code ip} is counted in: the most specific network-prefix limit containing
         * it alone, else one subnet per per-subnet limit. Unlimited buckets refuse nobody and are
         * left out.
         */
        List<Bucket> bucketsOf(IpAddress ip, ConnLimiterConfig effective, Map<String, Bucket> buckets) {
            List<NetworkPrefixLimit> networks = ip.ipv6()
                    ? effective.networkPrefixLimitsV6() : effective.networkPrefixLimitsV4();
            for (NetworkPrefixLimit limit : networks) {
                IpNetwork network = limit.network();
                if (!ip.mask(network.prefixLength()).equals(IpAddress.of(network))) {
                    continue;
                }
                long count = limit.connCount().capacity();
                if (count == Long.MAX_VALUE) {
                    return List.of();
                }
                List<NetworkPrefixLimit> explicit = network.isIpv6()
                        ? connLimits.networkPrefixLimitsV6() : connLimits.networkPrefixLimitsV4();
                boolean registered = explicit.stream().noneMatch(l -> l.network().equals(network));
                String description = registered
                        ? "allowlisted network " + network + ", which the connection limiter limits to "
                                + "allowlistedSystem's connections"
                        : "network " + network + " (a NetworkPrefixLimit)";
                return List.of(buckets.computeIfAbsent("network:" + network,
                        label -> new Bucket(label, description, count)));
            }
            List<ConnLimitPerSubnet> subnets = ip.ipv6() ? effective.subnetLimitsV6() : effective.subnetLimitsV4();
            List<Bucket> counted = new ArrayList<>();
            for (ConnLimitPerSubnet subnet : subnets) {
                long count = subnet.connCount().capacity();
                if (count == Long.MAX_VALUE) {
                    continue;
                }
                String label = "subnet:" + ip.mask(subnet.prefixLength()) + "/" + subnet.prefixLength();
                counted.add(buckets.computeIfAbsent(label, l -> new Bucket(l, "subnet " + l.substring(7)
                        + " (the per-/" + subnet.prefixLength() + " limit)", count)));
            }
            return counted;
        }

        static String names(Collection<Multiaddr> peers) {
            String shown = peers.stream().limit(NAMED_PEERS).map(Multiaddr::toString).collect(Collectors.joining(", "));
            return peers.size() > NAMED_PEERS ? shown + ", and " + (peers.size() - NAMED_PEERS) + " more" : shown;
        }

        /** The allowlist entry that admits exactly this static peer: its IP address and, if given, its peer. */
        static Multiaddr allowlistEntry(Multiaddr peer) {
            List<Component> entry = new ArrayList<>();
            for (Component component : peer.components()) {
                if (component.protocol() == Protocol.IP4 || component.protocol() == Protocol.IP6) {
                    entry.add(component);
                    break;
                }
            }
            peer.peerId().ifPresent(id -> entry.add(new Component(Protocol.P2P, id.toString())));
            return Multiaddr.fromComponents(entry);
        }
    }
}
