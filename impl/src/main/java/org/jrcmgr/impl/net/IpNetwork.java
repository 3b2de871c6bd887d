package org.jrcmgr.impl.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Objects;

import org.jrcmgr.Multiaddr;
import org.jrcmgr.Multiaddr.Component;
import org.jrcmgr.Multiaddr.Protocol;

/**
 * An IP network in CIDR form, such as {@code 10.0.0.0/8} or {@code 2001:db8::/32}: go's
 * {@code netip.Prefix}.
 *
 * <p>The address is stored with its host bits cleared ({@code 10.1.2.3/8} becomes
 * {@code 10.0.0.0/8}), without host name or IPv6 scope, so two values denote the same network
 * exactly when they are equal. (go keeps the host bits in {@code netip.Prefix}, but never looks at
 * them when matching.)
 *
 * <p>The family is that of the address: an {@link Inet4Address} gives an IPv4 network of at most
 * 32 bits, an {@link Inet6Address} an IPv6 network of at most 128 bits. Java turns every
 * IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d}) into an {@code Inet4Address}, so IPv4-mapped
 * IPv6 networks cannot be written here and are refused rather than silently changed into IPv4
 * networks.
 *
 * @param address the network address, host bits cleared
 * @param prefixLength the number of leading bits that define the network
 */
public record IpNetwork(InetAddress address, int prefixLength) {

    /**
     * Validates the prefix length and clears the host bits.
     *
     * @param address an IPv4 or IPv6 address; host bits, host name and scope are dropped
     * @param prefixLength 0 to 32 for IPv4, 0 to 128 for IPv6
     * @throws NullPointerException if {@code address} is null
     * @throws IllegalArgumentException if the prefix length does not fit the family, or the address
     *     is an {@link Inet6Address} holding an IPv4-mapped address
     */
    public IpNetwork {
        Objects.requireNonNull(address, "network address must not be null");
        byte[] bytes = address.getAddress();
        int bits = bytes.length * 8;
        if (prefixLength < 0 || prefixLength > bits) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " of network "
                    + address.getHostAddress() + " must be within 0.." + bits);
        }
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] &= (byte) byteMask(prefixLength, i);
        }
        InetAddress canonical = byAddress(bytes);
        if (canonical.getAddress().length != bytes.length) {
            throw new IllegalArgumentException("IPv4-mapped IPv6 network " + address.getHostAddress() + "/"
                    + prefixLength + " is not supported: Java has no IPv6 form of these addresses");
        }
        address = canonical;
    }

    /**
     * Parses CIDR notation: an IPv4 or IPv6 literal, a slash and the prefix length, as in
     * {@code 127.0.0.0/8} or {@code ::1/128}. No DNS lookup is ever made.
     *
     * @param cidr the text
     * @return the network, host bits cleared
     * @throws NullPointerException if {@code cidr} is null
     * @throws IllegalArgumentException if the text is malformed; the message quotes it
     */
    public static IpNetwork parse(String cidr) {
        Objects.requireNonNull(cidr, "network text must not be null");
        int slash = cidr.indexOf('/');
        if (slash < 0 || slash != cidr.lastIndexOf('/')) {
            throw invalid(cidr, "expected an address, one '/' and a prefix length", null);
        }
        String literal = cidr.substring(0, slash);
        String length = cidr.substring(slash + 1);
        if (length.isEmpty() || length.length() > 3 || !length.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw invalid(cidr, "prefix length \"" + length + "\" is not a number", null);
        }
        boolean ipv6 = literal.indexOf(':') >= 0;
        InetAddress address;
        try {
            // Multiaddr's literal parsers never fall back to DNS, unlike InetAddress.getByName.
            Component component = new Component(ipv6 ? Protocol.IP6 : Protocol.IP4, literal);
            address = Multiaddr.fromComponents(List.of(component)).ip().orElseThrow();
        } catch (IllegalArgumentException e) {
            throw invalid(cidr, e.getMessage(), e);
        }
        if (ipv6 && address instanceof Inet4Address) {
            throw invalid(cidr, "IPv4-mapped IPv6 networks are not supported: Java has no IPv6 form of "
                    + "these addresses", null);
        }
        try {
            return new IpNetwork(address, Integer.parseInt(length));
        } catch (IllegalArgumentException e) {
            throw invalid(cidr, e.getMessage(), e);
        }
    }

    /**
     * The network of a single address: {@code /32} for IPv4, {@code /128} for IPv6.
     *
     * @param address the address
     * @return the one-address network
     * @throws NullPointerException if {@code address} is null
     */
    public static IpNetwork host(InetAddress address) {
        Objects.requireNonNull(address, "address must not be null");
        return new IpNetwork(address, address.getAddress().length * 8);
    }

    /**
     * Tells whether this is an IPv6 network.
     *
     * @return true for IPv6, false for IPv4
     */
    public boolean isIpv6() {
        return address instanceof Inet6Address;
    }

    /**
     * Tells whether an address lies in this network. Addresses of the other family never do.
     *
     * @param candidate the address
     * @return whether its first {@link #prefixLength()} bits equal this network's
     * @throws NullPointerException if {@code candidate} is null
     */
    public boolean contains(InetAddress candidate) {
        Objects.requireNonNull(candidate, "address must not be null");
        byte[] network = address.getAddress();
        byte[] other = candidate.getAddress();
        if (network.length != other.length) {
            return false;
        }
        for (int i = 0; i < network.length; i++) {
            if (((network[i] ^ other[i]) & byteMask(prefixLength, i)) != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Returns the CIDR text, IPv6 compressed as go prints it: {@code 10.0.0.0/8},
     * {@code 2001:db8::/32}.
     *
     * @return the text form, which {@link #parse(String)} reads back to an equal network
     */
    @Override
    public String toString() {
        String literal = isIpv6()
                ? new Component(Protocol.IP6, address.getHostAddress()).value()
                : address.getHostAddress();
        return literal + "/" + prefixLength;
    }

    /** The bits of byte {@code index} that lie within the first {@code prefixLength} bits, as 0..255. */
    private static int byteMask(int prefixLength, int index) {
        int keep = Math.max(0, Math.min(8, prefixLength - 8 * index));
        return (0xff00 >>> keep) & 0xff;
    }

    private static InetAddress byAddress(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            // Only thrown for lengths other than 4 and 16, which getAddress() never returns.
            throw new IllegalStateException(e);
        }
    }

    private static IllegalArgumentException invalid(String cidr, String why, Throwable cause) {
        return new IllegalArgumentException("invalid network \"" + cidr + "\": " + why, cause);
    }
}
