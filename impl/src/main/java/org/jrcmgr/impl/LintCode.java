package org.jrcmgr.impl;

import org.jrcmgr.impl.LintFinding.Severity;

/**
 * What a {@link LintFinding} is about: a stable name to filter or suppress findings by, with a
 * fixed {@link Severity}.
 *
 * <p>The "above" codes compare a scope's limit with the limit of a scope that every reservation
 * of it also passes through: the smaller one refuses first, so the larger one can never be
 * reached. {@code value} is the child's limit, {@code bound} the other scope's. A child limit
 * that is unlimited is never reported: "unlimited" says that the scope adds no limit of its own,
 * which is what happens. Of two parents (a per-peer share has its aggregate and its peer), only
 * the tighter one is reported.
 */
public enum LintCode {

    // ---- limits that can never be reached --------------------------------------------------------

    /**
     * The transient scope's limit for a resource is above the system's: everything in transient is
     * counted in system too, so transient never protects established connections and streams from
     * unattached ones.
     */
    TRANSIENT_ABOVE_SYSTEM(Severity.WARNING),

    /** The allowlisted transient scope's limit is above the allowlisted system's, as above. */
    ALLOWLISTED_TRANSIENT_ABOVE_ALLOWLISTED_SYSTEM(Severity.WARNING),

    /**
     * A peer's limit (the default or a per-peer entry) is above the system's: a single peer may
     * take the whole system. For connections, file descriptors and memory, which an allowlisted
     * connection brings into its peer through the allowlisted system instead, the bound is the sum
     * of both system scopes while the allowlist has entries.
     */
    PEER_ABOVE_SYSTEM(Severity.WARNING),

    /**
     * A service's stream or memory limit is above the system's. Information only: sizing an
     * aggregate over all peers at or above the system is a way of saying "no cap for this
     * service", and go-libp2p's own defaults do it for outbound streams.
     */
    SERVICE_ABOVE_SYSTEM(Severity.INFO),

    /** A protocol's stream or memory limit is above the system's; as {@link #SERVICE_ABOVE_SYSTEM}. */
    PROTOCOL_ABOVE_SYSTEM(Severity.INFO),

    /** Each peer's share of a service is above the service's own limit: one peer may take all of it. */
    SERVICE_PEER_ABOVE_SERVICE(Severity.WARNING),

    /**
     * Each peer's share of a service is above the peer default: every stream of the service is
     * counted in its peer too.
     */
    SERVICE_PEER_ABOVE_PEER(Severity.WARNING),

    /** Each peer's share of a protocol is above the protocol's own limit: one peer may take all of it. */
    PROTOCOL_PEER_ABOVE_PROTOCOL(Severity.WARNING),

    /**
     * Each peer's share of a protocol is above the peer default: every stream of the protocol is
     * counted in its peer too.
     */
    PROTOCOL_PEER_ABOVE_PEER(Severity.WARNING),

    /**
     * A connection's memory limit is above the peer default's: a connection holding more than its
     * peer's memory can never be attached to its peer.
     */
    CONN_ABOVE_PEER(Severity.WARNING),

    /** A stream's memory limit is above the peer default's: a stream is always counted in its peer. */
    STREAM_ABOVE_PEER(Severity.WARNING),

    /**
     * The inbound and outbound limits of a scope add up to less than its finite total, so the total
     * can never be reached ({@code value}: the total, {@code bound}: inbound + outbound). Often
     * harmless, as in go-libp2p's protocol-peer default (64 + 128 streams of a total of 256); a
     * total below either direction, on the other hand, is the usual way to share one budget and is
     * not reported.
     */
    DIRECTIONS_BELOW_TOTAL(Severity.INFO),

    // ---- nothing admitted ------------------------------------------------------------------------

    /**
     * A scope every connection or stream passes through (system, transient, the peer default,
     * conn, stream) admits none of a resource: its total is block-all, or both its directions are.
     * Nothing can ever connect, stream, use a file descriptor or reserve memory there.
     * {@code value}: what the limit admits, 0; {@code bound}: 1.
     */
    BLOCKS_ALL(Severity.ERROR),

    /**
     * The system or transient scope admits no connection (or no file descriptor), but the
     * allowlisted scopes do: only allowlisted endpoints can ever connect. Right for a node meant to
     * talk to its allowlist only, a mistake otherwise. {@code value}: 0; {@code bound}: what the
     * allowlisted scopes admit.
     */
    ONLY_ALLOWLISTED_CAN_CONNECT(Severity.WARNING),

    /**
     * One direction is block-all while the total is not: no inbound (or no outbound) connection or
     * stream is ever admitted there. {@code value}: 0; {@code bound}: the total.
     */
    BLOCKS_DIRECTION(Severity.INFO),

    // ---- allowlist -------------------------------------------------------------------------------

    /**
     * The allowlist has entries, but the allowlisted system or transient scope admits no
     * connection: the allowlist can never let anyone in. With an allowlisted system total of 0
     * the connection limiter even refuses every connection from the allowlisted networks, which it
     * limits to that total. {@code value}: 0; {@code bound}: 1.
     */
    ALLOWLIST_BLOCKED(Severity.ERROR),

    /**
     * A network-prefix limit configured for (a part of) an unconstrained allowlisted network admits
     * more connections than the allowlisted system scope: during a flood, when the ordinary scopes
     * are full, only the allowlisted system's count get in. Without such an explicit limit the
     * network is registered with exactly the allowlisted system's count. {@code value}: the
     * network's count; {@code bound}: the allowlisted system's connections.
     */
    ALLOWLIST_NETWORK_ABOVE_ALLOWLISTED_SYSTEM(Severity.WARNING),

    // ---- static peers ----------------------------------------------------------------------------

    /**
     * More static peers share one bucket of the per-address connection limiter (a network-prefix
     * limit, or one subnet of a per-subnet limit) than it admits: some of them will be refused
     * whatever else happens. {@code value}: the static peers in the bucket; {@code bound}: its
     * connection count.
     */
    STATIC_PEERS_OVER_IP_LIMIT(Severity.ERROR),

    /**
     * Static peers are not in the allowlist while the system's connection limit is finite: a flood
     * from other peers can fill it and lock them out. {@code value}: how many static peers;
     * {@code bound}: the system's connection limit.
     */
    STATIC_PEERS_NOT_ALLOWLISTED(Severity.INFO),

    /**
     * Static peers given without an IP address ({@code /dns4/...}, {@code /dnsaddr/...}): neither
     * the allowlist nor the per-address limits can be checked for them, and only their resolved
     * addresses can be allowlisted. {@code value}: how many; {@code bound}: 0.
     */
    STATIC_PEER_WITHOUT_IP(Severity.INFO);

    private final Severity severity;

    LintCode(Severity severity) {
        this.severity = severity;
    }

    /**
     * How serious a finding of this code is.
     *
     * @return the severity
     */
    public Severity severity() {
        return severity;
    }
}
