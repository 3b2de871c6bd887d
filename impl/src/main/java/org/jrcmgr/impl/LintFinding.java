package org.jrcmgr.impl;

import java.util.List;
import java.util.Objects;
import org.jrcmgr.Resource;

/**
 * One contradiction or risk the {@linkplain PolicyLint policy lint} found in a configuration.
 *
 * <p>Scopes are named as in the limit configuration: {@code system}, {@code transient},
 * {@code allowlistedSystem}, {@code allowlistedTransient}, {@code serviceDefault},
 * {@code service:NAME}, {@code servicePeerDefault}, {@code servicePeer:NAME},
 * {@code protocolDefault}, {@code protocol:ID}, {@code protocolPeerDefault},
 * {@code protocolPeer:ID}, {@code peerDefault}, {@code peer:ID}, {@code conn} and
 * {@code stream}. Findings about addresses name {@code network:CIDR} (a network-prefix limit),
 * {@code subnet:CIDR} (one bucket of a per-subnet limit), {@code allowlist:CIDR} (an allowlist
 * entry) and {@code staticPeer:MULTIADDR}.
 *
 * <p>{@link #value()} and {@link #bound()} are the two numbers that were compared; what each
 * means is documented per {@link LintCode}. {@link Long#MAX_VALUE} stands for unlimited.
 *
 * @param code     what was found
 * @param scopes   the scopes (or networks and static peers) involved, the one to change first
 * @param resource the resource compared
 * @param value    the number found wanting, usually the limit of {@code scopes.get(0)}
 * @param bound    the number it was compared with
 * @param message  one line that says what is wrong and what to change
 */
public record LintFinding(LintCode code, List<String> scopes, Resource resource, long value, long bound,
                          String message) {

    /**
     * Copies the scopes.
     *
     * @throws NullPointerException if an argument or a scope is null
     */
    public LintFinding {
        Objects.requireNonNull(code, "code");
        scopes = List.copyOf(scopes);
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(message, "message");
    }

    /**
     * How serious the finding is; fixed by its code.
     *
     * @return {@code code().severity()}
     */
    public Severity severity() {
        return code.severity();
    }

    /**
     * The finding in one line, as it is logged: {@code WARNING PEER_ABOVE_SYSTEM [peerDefault,
     * system] peerDefault inbound stream limit 4096 is above ...}.
     */
    @Override
    public String toString() {
        return severity() + " " + code + " " + scopes + " " + message;
    }

    /** How serious a finding is. */
    public enum Severity {
        /** The configuration cannot work as intended: something can never be admitted. */
        ERROR,
        /** A limit that can never be reached, or protection that does not work as it seems to. */
        WARNING,
        /** Worth knowing, often intended. */
        INFO
    }
}
