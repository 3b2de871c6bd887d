package org.jrcmgr.impl.net.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * An immutable map from IP networks of one family to values, answering "which networks contain
 * this address" in at most one step per prefix bit, however many networks it holds.
 *
 * <p>It is a path-compressed binary trie (a PATRICIA tree): every node carries its whole prefix,
 * so a chain of single-child nodes never exists and the node count stays below twice the number of
 * networks. Updates copy only the path from the root to the changed node and share the rest, so a
 * new version costs O(prefix length) and readers of an older version are never disturbed: holders
 * publish versions through a {@code volatile} field and readers take no lock at all.
 *
 * @param <V> the value type
 */
public final class PrefixTrie<V> {

    private static final PrefixTrie<?> EMPTY_V4 = new PrefixTrie<>(null, 32, 0);
    private static final PrefixTrie<?> EMPTY_V6 = new PrefixTrie<>(null, 128, 0);

    private final Node<V> root;
    private final int bits;
    private final int size;

    private PrefixTrie(Node<V> root, int bits, int size) {
        this.root = root;
        this.bits = bits;
        this.size = size;
    }

    /**
     * The empty trie of a family.
     *
     * @param <V> the value type
     * @param ipv6 whether it holds IPv6 networks
     * @return an empty trie
     */
    @SuppressWarnings("unchecked")
    public static <V> PrefixTrie<V> empty(boolean ipv6) {
        return (PrefixTrie<V>) (ipv6 ? EMPTY_V6 : EMPTY_V4);
    }

    /**
     * The number of networks with a value.
     *
     * @return the size
     */
    public int size() {
        return size;
    }

    /**
     * Tells whether no network has a value.
     *
     * @return whether the trie is empty
     */
    public boolean isEmpty() {
        return size == 0;
    }

    /**
     * The value of exactly this network.
     *
     * @param network an address of the trie's family; bits beyond {@code prefixLength} are ignored
     * @param prefixLength the network's prefix length
     * @return the value, or null
     */
    public V get(IpAddress network, int prefixLength) {
        IpAddress key = checked(network, prefixLength);
        Node<V> n = root;
        while (n != null && n.length <= prefixLength && n.matches(key)) {
            if (n.length == prefixLength) {
                return n.value;
            }
            n = n.child(key.bit(n.length));
        }
        return null;
    }

    /**
     * A new version with the value of one network recomputed, like {@link java.util.Map#compute}.
     *
     * @param network an address of the trie's family; bits beyond {@code prefixLength} are ignored
     * @param prefixLength the network's prefix length
     * @param remap given the current value or null, returns the new value, or null to remove it
     * @return the new version, or this one if the value did not change
     */
    public PrefixTrie<V> compute(IpAddress network, int prefixLength, UnaryOperator<V> remap) {
        IpAddress key = checked(network, prefixLength).mask(prefixLength);
        Objects.requireNonNull(remap, "remap must not be null");
        V before = get(key, prefixLength);
        Node<V> newRoot = compute(root, key.high(), key.low(), prefixLength, remap);
        if (newRoot == root) {
            return this;
        }
        V after = get(newRoot, key, prefixLength);
        int delta = (after == null ? 0 : 1) - (before == null ? 0 : 1);
        return new PrefixTrie<>(newRoot, bits, size + delta);
    }

    /**
     * The value of the most specific network containing an address.
     *
     * @param address an address of the trie's family
     * @return the value, or null if no network contains it
     */
    public V longestMatch(IpAddress address) {
        checkFamily(address);
        V best = null;
        Node<V> n = root;
        while (n != null && n.matches(address)) {
            if (n.value != null) {
                best = n.value;
            }
            if (n.length == bits) {
                break;
            }
            n = n.child(address.bit(n.length));
        }
        return best;
    }

    /**
     * The values of all networks containing an address, most specific first.
     *
     * @param address an address of the trie's family
     * @return the values; an empty list, allocated once, when there are none
     */
    public List<V> matchesMostSpecificFirst(IpAddress address) {
        checkFamily(address);
        List<V> found = null;
        Node<V> n = root;
        while (n != null && n.matches(address)) {
            if (n.value != null) {
                if (found == null) {
                    found = new ArrayList<>(4);
                }
                found.add(n.value);
            }
            if (n.length == bits) {
                break;
            }
            n = n.child(address.bit(n.length));
        }
        if (found == null) {
            return List.of();
        }
        Collections.reverse(found);
        return found;
    }

    /**
     * Tells whether a network containing an address has a value passing a test.
     *
     * @param address an address of the trie's family
     * @param test the test
     * @return whether such a network exists
     */
    public boolean anyMatch(IpAddress address, Predicate<? super V> test) {
        checkFamily(address);
        Node<V> n = root;
        while (n != null && n.matches(address)) {
            if (n.value != null && test.test(n.value)) {
                return true;
            }
            if (n.length == bits) {
                return false;
            }
            n = n.child(address.bit(n.length));
        }
        return false;
    }

    /**
     * Calls {@code action} for every network with a value, shorter prefixes before the longer ones
     * they contain, and otherwise in address order.
     *
     * @param action the action
     */
    public void forEach(Visitor<? super V> action) {
        Objects.requireNonNull(action, "action must not be null");
        visit(root, action);
    }

    /**
     * Receives the entries of {@link #forEach(Visitor)}.
     *
     * @param <V> the value type
     */
    @FunctionalInterface
    public interface Visitor<V> {
        /**
         * Receives one entry.
         *
         * @param network the network address, host bits cleared
         * @param prefixLength the prefix length
         * @param value the value
         */
        void visit(IpAddress network, int prefixLength, V value);
    }

    private void visit(Node<V> n, Visitor<? super V> action) {
        if (n == null) {
            return;
        }
        if (n.value != null) {
            action.visit(new IpAddress(bits == 128, n.high, n.low), n.length, n.value);
        }
        visit(n.zero, action);
        visit(n.one, action);
    }

    private V get(Node<V> from, IpAddress key, int prefixLength) {
        Node<V> n = from;
        while (n != null && n.length <= prefixLength && n.matches(key)) {
            if (n.length == prefixLength) {
                return n.value;
            }
            n = n.child(key.bit(n.length));
        }
        return null;
    }

    private Node<V> compute(Node<V> n, long high, long low, int length, UnaryOperator<V> remap) {
        if (n == null) {
            V value = remap.apply(null);
            return value == null ? null : new Node<>(high, low, length, value, null, null);
        }
        int common = Math.min(commonPrefix(n.high, n.low, high, low), Math.min(n.length, length));
        if (common == n.length) {
            if (length == n.length) {
                V value = remap.apply(n.value);
                return value == n.value ? n : Node.of(n.high, n.low, n.length, value, n.zero, n.one);
            }
            if (bit(high, low, n.length) == 0) {
                Node<V> child = compute(n.zero, high, low, length, remap);
                return child == n.zero ? n : Node.of(n.high, n.low, n.length, n.value, child, n.one);
            }
            Node<V> child = compute(n.one, high, low, length, remap);
            return child == n.one ? n : Node.of(n.high, n.low, n.length, n.value, n.zero, child);
        }
        // The new network is not inside n: it either contains n or branches off before n's end.
        V value = remap.apply(null);
        if (value == null) {
            return n;
        }
        if (common == length) {
            return bit(n.high, n.low, length) == 0
                    ? new Node<>(high, low, length, value, n, null)
                    : new Node<>(high, low, length, value, null, n);
        }
        Node<V> leaf = new Node<>(high, low, length, value, null, null);
        long branchHigh = high & IpAddress.highMask(common);
        long branchLow = low & IpAddress.lowMask(common);
        return bit(high, low, common) == 0
                ? new Node<>(branchHigh, branchLow, common, null, leaf, n)
                : new Node<>(branchHigh, branchLow, common, null, n, leaf);
    }

    private static int commonPrefix(long high1, long low1, long high2, long low2) {
        long x = high1 ^ high2;
        if (x != 0) {
            return Long.numberOfLeadingZeros(x);
        }
        return 64 + Long.numberOfLeadingZeros(low1 ^ low2);
    }

    private static int bit(long high, long low, int index) {
        return index < 64 ? (int) (high >>> (63 - index)) & 1 : (int) (low >>> (127 - index)) & 1;
    }

    private IpAddress checked(IpAddress network, int prefixLength) {
        checkFamily(network);
        if (prefixLength < 0 || prefixLength > bits) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " must be within 0.." + bits);
        }
        return network;
    }

    private void checkFamily(IpAddress address) {
        if (address.bitLength() != bits) {
            throw new IllegalArgumentException("an IPv" + (bits == 32 ? "4" : "6") + " trie cannot hold "
                    + address);
        }
    }

    /**
     * A node: the network {@code high/low} of {@code length} bits, its value (null if the node only
     * branches) and the subtrees whose next bit after the prefix is 0 or 1.
     */
    private static final class Node<V> {
        final long high;
        final long low;
        final int length;
        final V value;
        final Node<V> zero;
        final Node<V> one;

        Node(long high, long low, int length, V value, Node<V> zero, Node<V> one) {
            this.high = high;
            this.low = low;
            this.length = length;
            this.value = value;
            this.zero = zero;
            this.one = one;
        }

        /** Builds a node, dropping it when it would be valueless with fewer than two children. */
        static <V> Node<V> of(long high, long low, int length, V value, Node<V> zero, Node<V> one) {
            if (value == null) {
                if (zero == null) {
                    return one;
                }
                if (one == null) {
                    return zero;
                }
            }
            return new Node<>(high, low, length, value, zero, one);
        }

        boolean matches(IpAddress address) {
            return ((address.high() ^ high) & IpAddress.highMask(length)) == 0
                    && ((address.low() ^ low) & IpAddress.lowMask(length)) == 0;
        }

        Node<V> child(int bit) {
            return bit == 0 ? zero : one;
        }
    }
}
