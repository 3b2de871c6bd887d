package org.jrcmgr.impl.net;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.jrcmgr.Multiaddr;
import org.jrcmgr.Multiaddr.Component;
import org.jrcmgr.PeerId;
import org.jrcmgr.impl.net.internal.IpAddress;
import org.jrcmgr.impl.net.internal.PrefixTrie;

/**
 * Trusted endpoints that may still connect when the normal connection limits are exhausted, into
 * separately limited "allowlisted" scopes: go-libp2p's {@code Allowlist}, which protects a node
 * from eclipse attacks.
 *
 * <p>An entry is a multiaddr with an IP address, optionally a CIDR mask and optionally a peer:
 * <ul>
 *   <li>{@code /ip4/1.2.3.4}: any peer connecting from that address;</li>
 *   <li>{@code /ip4/1.2.3.0/ipcidr/24}: any peer from that network;</li>
 *   <li>{@code /ip4/2.2.3.4/p2p/12D3KooW…}: only that peer, from that address (or network).</li>
 * </ul>
 * Other components, such as {@code /tcp/4001}, are ignored. An address without a mask is a
 * {@code /32} or {@code /128} network; host bits of a masked address are ignored. An IPv4-mapped
 * IPv6 entry ({@code /ip6/::ffff:1.2.3.4}, with a mask of at least 96) is the IPv4 network it maps,
 * and IPv4-mapped endpoints match IPv4 entries: go's allowlist compares addresses the same way.
 *
 * <p>Entries may be added more than once; {@link #remove(Multiaddr)} removes one of them.
 *
 * <p>Thread-safe. Lookups take no lock: the entries live in immutable prefix tries (one per
 * family, go scans lists instead) published through a volatile field, so a lookup costs at most
 * one step per address bit whatever the number of entries, and never waits for a writer. Writers
 * take turns and copy only the path to the changed entry.
 */
public final class Allowlist {

    private static final int TO_STRING_ENTRIES = 32;

    private final Object writeLock = new Object();
    private volatile Entries entries = Entries.EMPTY;

    /** An empty allowlist. */
    public Allowlist() {
    }

    /**
     * An allowlist holding the given entries (go's {@code WithAllowlistedMultiaddrs}).
     *
     * @param entries the entries
     * @return the allowlist
     * @throws IllegalArgumentException if an entry is invalid; see {@link #add(Multiaddr)}
     */
    public static Allowlist of(Collection<Multiaddr> entries) {
        Objects.requireNonNull(entries, "entries must not be null");
        Allowlist allowlist = new Allowlist();
        for (Multiaddr entry : entries) {
            allowlist.add(entry);
        }
        return allowlist;
    }

    /**
     * Adds an entry.
     *
     * @param entry an IP address with optional {@code /ipcidr} and {@code /p2p} components
     * @throws NullPointerException if {@code entry} is null
     * @throws IllegalArgumentException if the entry has no IP address (a bare {@code /p2p/…}
     *     included), more than one IP address, mask or peer, or a mask too long for its family;
     *     the message quotes the entry
     */
    public void add(Multiaddr entry) {
        Entry parsed = Entry.parse(entry);
        synchronized (writeLock) {
            entries = entries.with(parsed, +1);
        }
    }

    /**
     * Removes one entry equal to {@code entry}: same network (after masking) and same peer
     * constraint. An entry of another peer, or one without peer, is never removed in its place.
     *
     * @param entry the entry, in any form {@link #add(Multiaddr)} accepts
     * @return whether an entry was removed
     * @throws NullPointerException if {@code entry} is null
     * @throws IllegalArgumentException if the entry is invalid, as for {@link #add(Multiaddr)}
     */
    public boolean remove(Multiaddr entry) {
        Entry parsed = Entry.parse(entry);
        synchronized (writeLock) {
            Entries before = entries;
            entries = before.with(parsed, -1);
            return entries != before;
        }
    }

    /**
     * Tells whether an endpoint's IP address is in any entry, whatever its peer constraint: the
     * check made when a connection is opened, before its peer is known.
     *
     * @param endpoint the remote multiaddr
     * @return whether its first IP address is allowlisted; false if it has none
     */
    public boolean allowed(Multiaddr endpoint) {
        Optional<IpAddress> ip = lookupAddress(endpoint);
        return ip.isPresent() && entries.trie(ip.get()).anyMatch(ip.get(), e -> true);
    }

    /**
     * Tells whether a peer connecting from an endpoint is allowlisted: its IP address is in an
     * entry without peer, or in an entry naming this peer. Checked again once the connection's
     * peer is known.
     *
     * @param peer the remote peer
     * @param endpoint the remote multiaddr
     * @return whether the pair is allowlisted; false if the endpoint has no IP address
     */
    public boolean allowedPeerAndMultiaddr(PeerId peer, Multiaddr endpoint) {
        Objects.requireNonNull(peer, "peer must not be null");
        Optional<IpAddress> ip = lookupAddress(endpoint);
        return ip.isPresent() && entries.trie(ip.get()).anyMatch(ip.get(), e -> e.admits(peer));
    }

    /**
     * The networks of the entries without peer constraint, each once: what the manager gives
     * the connection limiter at construction so that these networks are limited by the allowlisted
     * system scope's connection count instead of the per-subnet limits.
     *
     * @return the networks, IPv4 first, shorter prefixes before the longer ones they contain
     */
    public List<IpNetwork> unconstrainedNetworks() {
        Entries current = entries;
        List<IpNetwork> networks = new ArrayList<>();
        PrefixTrie.Visitor<Holders> collect = (network, length, holders) -> {
            if (holders.anyPeer > 0) {
                networks.add(new IpNetwork(network.toInetAddress(), length));
            }
        };
        current.v4.forEach(collect);
        current.v6.forEach(collect);
        return List.copyOf(networks);
    }

    /**
     * The number of entries, duplicates counted.
     *
     * @return the size
     */
    public int size() {
        return entries.size;
    }

    /**
     * Lists the entries in address order, for diagnostics; long lists are cut after 32 entries.
     *
     * @return the entries as networks with their peer constraints
     */
    @Override
    public String toString() {
        Entries current = entries;
        List<String> all = new ArrayList<>();
        PrefixTrie.Visitor<Holders> list = (network, length, holders) -> {
            IpNetwork net = new IpNetwork(network.toInetAddress(), length);
            for (int i = 0; i < holders.anyPeer; i++) {
                all.add(net.toString());
            }
            holders.peers.forEach((peer, count) -> {
                for (int i = 0; i < count; i++) {
                    all.add(net + " " + peer);
                }
            });
        };
        current.v4.forEach(list);
        current.v6.forEach(list);
        if (all.size() <= TO_STRING_ENTRIES) {
            return "Allowlist" + all;
        }
        List<String> shown = new ArrayList<>(all.subList(0, TO_STRING_ENTRIES));
        shown.add("… " + (all.size() - TO_STRING_ENTRIES) + " more");
        return "Allowlist" + shown;
    }

    /**
     * The endpoint's address as go's allowlist sees it: Java already turns an IPv4-mapped IPv6
     * address into IPv4, which is what go's {@code net.IPNet.Contains} does too.
     */
    private static Optional<IpAddress> lookupAddress(Multiaddr endpoint) {
        Objects.requireNonNull(endpoint, "endpoint must not be null");
        return endpoint.ip().map(IpAddress::of);
    }

    /** One parsed entry: a network and, optionally, the one peer it admits. */
    private record Entry(IpAddress network, int prefixLength, PeerId peer) {

        static Entry parse(Multiaddr entry) {
            Objects.requireNonNull(entry, "allowlist entry must not be null");
            Component ip = null;
            Component mask = null;
            Component peer = null;
            for (Component c : entry.components()) {
                switch (c.protocol()) {
                    case IP4, IP6 -> ip = single(entry, ip, c, "IP address");
                    case IPCIDR -> mask = single(entry, mask, c, "/ipcidr mask");
                    case P2P -> peer = single(entry, peer, c, "/p2p peer");
                    default -> { }
                }
            }
            if (ip == null) {
                throw invalid(entry, "missing ip address (expected /ip4/… or /ip6/…, optionally followed by "
                        + "/ipcidr/N and /p2p/PEER)", null);
            }
            PeerId allowedPeer = null;
            if (peer != null) {
                try {
                    allowedPeer = PeerId.fromString(peer.value());
                } catch (IllegalArgumentException e) {
                    throw invalid(entry, "failed to decode allowed peer: " + e.getMessage(), e);
                }
            }
            // Keeps the /ip6 family of a mapped address, so that its mask is read as 128 bits.
            IpAddress bytes = IpAddress.fromMultiaddr(Multiaddr.fromComponents(List.of(ip))).orElseThrow();
            int length = bytes.bitLength();
            if (mask != null) {
                length = Integer.parseInt(mask.value());
                if (length > bytes.bitLength()) {
                    throw invalid(entry, "/ipcidr/" + length + " is longer than the " + bytes.bitLength()
                            + " bits of an " + (bytes.ipv6() ? "IPv6" : "IPv4") + " address", null);
                }
            }
            IpAddress network = bytes.mask(length);
            if (network.isIpv4Mapped() && length >= 96) {
                // go's net.IPNet treats ::ffff:a.b.c.d/N as the IPv4 network a.b.c.d/(N-96).
                network = IpAddress.ofBytes(Arrays.copyOfRange(network.toBytes(), 12, 16));
                length -= 96;
            }
            return new Entry(network, length, allowedPeer);
        }

        private static Component single(Multiaddr entry, Component seen, Component next, String what) {
            if (seen != null) {
                throw invalid(entry, "more than one " + what + " (" + seen + " and " + next
                        + "); an entry names one network and at most one peer", null);
            }
            return next;
        }

        private static IllegalArgumentException invalid(Multiaddr entry, String why, Throwable cause) {
            return new IllegalArgumentException("invalid allowlist entry \"" + entry + "\": " + why, cause);
        }
    }

    /**
     * How many entries of one network admit any peer, and how many admit each particular peer.
     * Immutable; a change makes a new instance.
     */
    private static final class Holders {
        final int anyPeer;
        final Map<PeerId, Integer> peers;

        Holders(int anyPeer, Map<PeerId, Integer> peers) {
            this.anyPeer = anyPeer;
            this.peers = peers;
        }

        boolean admits(PeerId peer) {
            return anyPeer > 0 || peers.containsKey(peer);
        }

        /** This holder changed by {@code delta} entries of {@code peer} (null: any peer); null when empty. */
        static Holders change(Holders h, PeerId peer, int delta) {
            int any = h == null ? 0 : h.anyPeer;
            Map<PeerId, Integer> peers = h == null ? Map.of() : h.peers;
            if (peer == null) {
                if (any + delta < 0) {
                    return h;
                }
                any += delta;
            } else {
                int count = peers.getOrDefault(peer, 0) + delta;
                if (count < 0) {
                    return h;
                }
                Map<PeerId, Integer> copy = new HashMap<>(peers);
                if (count == 0) {
                    copy.remove(peer);
                } else {
                    copy.put(peer, count);
                }
                peers = Map.copyOf(copy);
            }
            return any == 0 && peers.isEmpty() ? null : new Holders(any, peers);
        }
    }

    /** One immutable version of the allowlist. */
    private static final class Entries {
        static final Entries EMPTY = new Entries(PrefixTrie.empty(false), PrefixTrie.empty(true), 0);

        final PrefixTrie<Holders> v4;
        final PrefixTrie<Holders> v6;
        final int size;

        Entries(PrefixTrie<Holders> v4, PrefixTrie<Holders> v6, int size) {
            this.v4 = v4;
            this.v6 = v6;
            this.size = size;
        }

        PrefixTrie<Holders> trie(IpAddress address) {
            return address.ipv6() ? v6 : v4;
        }

        /** This version with one entry added (+1) or removed (-1); itself if nothing changed. */
        Entries with(Entry entry, int delta) {
            PrefixTrie<Holders> trie = trie(entry.network());
            Holders before = trie.get(entry.network(), entry.prefixLength());
            Holders after = Holders.change(before, entry.peer(), delta);
            if (after == before) {
                return this;
            }
            PrefixTrie<Holders> changed = trie.compute(entry.network(), entry.prefixLength(), h -> after);
            return entry.network().ipv6()
                    ? new Entries(v4, changed, size + delta)
                    : new Entries(changed, v6, size + delta);
        }
    }
}
