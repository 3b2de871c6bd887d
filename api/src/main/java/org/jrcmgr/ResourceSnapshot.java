package org.jrcmgr;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Every live scope of a manager, taken in one call. Scopes are read one after the other, so a
 * snapshot taken while the manager is busy is not one consistent cut; at a quiescent moment it is
 * exact.
 *
 * @param takenAt when the snapshot was taken
 * @param scopes  the scopes, system first
 */
public record ResourceSnapshot(Instant takenAt, List<ScopeSnapshot> scopes) {

    // The scope names the implementations give long-lived scopes (go-libp2p's).
    private static final String SERVICE_PREFIX = "service:";
    private static final String PROTOCOL_PREFIX = "protocol:";
    private static final String PEER_PREFIX = "peer:";

    /** @throws NullPointerException if an argument is null */
    public ResourceSnapshot {
        Objects.requireNonNull(takenAt, "takenAt");
        scopes = List.copyOf(scopes);
    }

    /** The scope named {@code name}, if it was live. */
    public Optional<ScopeSnapshot> scope(String name) {
        for (ScopeSnapshot scope : scopes) {
            if (scope.name().equals(name)) {
                return Optional.of(scope);
            }
        }
        return Optional.empty();
    }

    /** The scopes of one kind. */
    public List<ScopeSnapshot> scopes(ScopeKind kind) {
        return scopes.stream().filter(s -> s.kind() == kind).toList();
    }

    // ---- go-libp2p's ResourceManagerState ------------------------------------------------------------

    /**
     * The services that have a scope, sorted as go-libp2p's {@code ListServices} sorts them (by
     * their UTF-8 bytes).
     *
     * @return the service names, without the {@code service:} prefix
     */
    public List<String> services() {
        return scopes.stream().filter(s -> s.kind() == ScopeKind.SERVICE)
                .map(s -> withoutPrefix(s.name(), SERVICE_PREFIX))
                .sorted(ResourceSnapshot::compareUtf8)
                .toList();
    }

    /**
     * The protocols that have a scope, sorted as go-libp2p's {@code ListProtocols} sorts them (by
     * their UTF-8 bytes).
     *
     * @return the protocols
     */
    public List<ProtocolId> protocols() {
        return scopes.stream().filter(s -> s.kind() == ScopeKind.PROTOCOL)
                .map(s -> ProtocolId.of(withoutPrefix(s.name(), PROTOCOL_PREFIX)))
                .sorted((a, b) -> compareUtf8(a.value(), b.value()))
                .toList();
    }

    /**
     * The peers that have a scope, sorted as go-libp2p's {@code ListPeers} sorts them: by the raw
     * bytes of their ids ({@link PeerId#compareTo}).
     *
     * @return the peers
     */
    public List<PeerId> peers() {
        return scopes.stream().filter(s -> s.kind() == ScopeKind.PEER)
                .map(s -> PeerId.fromString(withoutPrefix(s.name(), PEER_PREFIX)))
                .sorted()
                .toList();
    }

    /**
     * The scope of {@code service}, if it was live.
     *
     * @param service the service name
     * @return its scope
     */
    public Optional<ScopeSnapshot> service(String service) {
        return scope(SERVICE_PREFIX + service);
    }

    /**
     * The scope of {@code protocol}, if it was live.
     *
     * @param protocol the protocol
     * @return its scope
     */
    public Optional<ScopeSnapshot> protocol(ProtocolId protocol) {
        return scope(PROTOCOL_PREFIX + protocol.value());
    }

    /**
     * The scope of {@code peer}, if it was live.
     *
     * @param peer the peer
     * @return its scope
     */
    public Optional<ScopeSnapshot> peer(PeerId peer) {
        return scope(PEER_PREFIX + peer.toBase58());
    }

    private static String withoutPrefix(String name, String prefix) {
        return name.startsWith(prefix) ? name.substring(prefix.length()) : name;
    }

    /** go compares strings by their UTF-8 bytes, which is code point order, not UTF-16 unit order. */
    private static int compareUtf8(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
