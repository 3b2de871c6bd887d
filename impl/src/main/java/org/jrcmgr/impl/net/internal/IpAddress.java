package org.jrcmgr.impl.net.internal;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.Optional;

import org.jrcmgr.Multiaddr;
import org.jrcmgr.Multiaddr.Component;
import org.jrcmgr.Multiaddr.Protocol;
import org.jrcmgr.impl.net.IpNetwork;

/**
 * An IP address that keeps its family the way go's {@code netip.Addr} does: an IPv4-mapped IPv6
 * address ({@code ::ffff:1.2.3.4}) stays IPv6. Java's {@link InetAddress} cannot express that (it
 * turns every mapped address into an {@link Inet4Address}), yet go's connection limiter and rate
 * limiter put {@code /ip6/::ffff:1.2.3.4} under the IPv6 limits, so the family is taken from the
 * multiaddr's protocol ({@link #fromMultiaddr(Multiaddr)}) or from the byte length
 * ({@link #ofBytes(byte[])}).
 *
 * <p>The bits are held left-aligned in two longs so that both families share one bit layout: bit
 * {@code i} (0 = most significant) is in {@code high} for {@code i < 64} and in {@code low}
 * otherwise; an IPv4 address occupies the top 32 bits of {@code high}.
 *
 * @param ipv6 whether this is an IPv6 address (IPv4-mapped ones included)
 * @param high bits 0..63
 * @param low bits 64..127; 0 for IPv4
 */
public record IpAddress(boolean ipv6, long high, long low) {

    /**
     * @param ipv6 whether the address is IPv6
     * @param high bits 0..63
     * @param low bits 64..127
     * @throws IllegalArgumentException if an IPv4 address has bits beyond the first 32
     */
    public IpAddress {
        if (!ipv6 && ((high & 0xffff_ffffL) != 0 || low != 0)) {
            throw new IllegalArgumentException("an IPv4 address has only 32 bits");
        }
    }

    /**
     * The address of an {@link InetAddress}: IPv4 for an {@link Inet4Address} (which includes every
     * IPv4-mapped literal Java has parsed), IPv6 otherwise. The IPv6 scope is dropped.
     *
     * @param address the address
     * @return the address value
     */
    public static IpAddress of(InetAddress address) {
        return ofBytes(Objects.requireNonNull(address, "address must not be null").getAddress());
    }

    /**
     * The address of raw bytes: 4 bytes are IPv4, 16 bytes IPv6, IPv4-mapped or not (as go's
     * {@code netip.AddrFromSlice}).
     *
     * @param bytes 4 or 16 bytes, network order
     * @return the address value
     * @throws IllegalArgumentException for any other length
     */
    public static IpAddress ofBytes(byte[] bytes) {
        Objects.requireNonNull(bytes, "address bytes must not be null");
        if (bytes.length == 4) {
            return new IpAddress(false, (long) bigEndianInt(bytes, 0) << 32, 0);
        }
        if (bytes.length == 16) {
            return new IpAddress(true, bigEndianLong(bytes, 0), bigEndianLong(bytes, 8));
        }
        throw new IllegalArgumentException("an IP address has 4 or 16 bytes, got " + bytes.length);
    }

    /**
     * The address of a multiaddr's first {@code /ip4} or {@code /ip6} component, with the family of
     * that component: {@code /ip6/::ffff:1.2.3.4} gives an IPv6 address, as go's
     * {@code manet.ToIP} followed by {@code netip.AddrFromSlice} does. DNS components are ignored.
     *
     * @param multiaddr the multiaddr
     * @return the address, or empty if there is no IP component
     */
    public static Optional<IpAddress> fromMultiaddr(Multiaddr multiaddr) {
        Objects.requireNonNull(multiaddr, "multiaddr must not be null");
        for (Component c : multiaddr.components()) {
            if (c.protocol() == Protocol.IP4 || c.protocol() == Protocol.IP6) {
                byte[] bytes = multiaddr.ip().orElseThrow().getAddress();
                if (c.protocol() == Protocol.IP6 && bytes.length == 4) {
                    bytes = mapped(bytes);
                }
                return Optional.of(ofBytes(bytes));
            }
        }
        return Optional.empty();
    }

    /**
     * The network address of an {@link IpNetwork}.
     *
     * @param network the network
     * @return its address, host bits cleared
     */
    public static IpAddress of(IpNetwork network) {
        return of(network.address());
    }

    /**
     * The number of bits of this family.
     *
     * @return 32 or 128
     */
    public int bitLength() {
        return ipv6 ? 128 : 32;
    }

    /**
     * Returns bit {@code index}, 0 being the most significant.
     *
     * @param index 0 to 127
     * @return 0 or 1
     */
    public int bit(int index) {
        return index < 64 ? (int) (high >>> (63 - index)) & 1 : (int) (low >>> (127 - index)) & 1;
    }

    /**
     * Clears every bit from {@code prefixLength} on: the network of this address's
     * {@code /prefixLength} subnet.
     *
     * @param prefixLength 0 to {@link #bitLength()}
     * @return the masked address
     * @throws IllegalArgumentException if the length does not fit the family
     */
    public IpAddress mask(int prefixLength) {
        if (prefixLength < 0 || prefixLength > bitLength()) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " does not fit an "
                    + (ipv6 ? "IPv6" : "IPv4") + " address");
        }
        return new IpAddress(ipv6, high & highMask(prefixLength), low & lowMask(prefixLength));
    }

    /**
     * Tells whether this is an IPv4-mapped IPv6 address, {@code ::ffff:a.b.c.d}.
     *
     * @return whether it is IPv6 and mapped
     */
    public boolean isIpv4Mapped() {
        return ipv6 && high == 0 && (low >>> 32) == 0xffffL;
    }

    /**
     * Returns the bytes in network order.
     *
     * @return 4 or 16 fresh bytes
     */
    public byte[] toBytes() {
        if (!ipv6) {
            int v = (int) (high >>> 32);
            return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
        }
        byte[] out = new byte[16];
        for (int i = 0; i < 8; i++) {
            out[i] = (byte) (high >>> (56 - 8 * i));
            out[8 + i] = (byte) (low >>> (56 - 8 * i));
        }
        return out;
    }

    /**
     * Returns the Java address. An IPv4-mapped IPv6 address becomes an {@link Inet4Address}, the
     * only form Java has for it.
     *
     * @return the address, without host name
     */
    public InetAddress toInetAddress() {
        try {
            return InetAddress.getByAddress(toBytes());
        } catch (UnknownHostException e) {
            // Only thrown for lengths other than 4 and 16.
            throw new IllegalStateException(e);
        }
    }

    /**
     * Returns the text form as go prints it: {@code 1.2.3.4}, {@code 2001:db8::1},
     * {@code ::ffff:1.2.3.4}.
     *
     * @return the text form
     */
    @Override
    public String toString() {
        if (!ipv6) {
            return toInetAddress().getHostAddress();
        }
        StringBuilder full = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            long word = i < 4 ? high >>> (48 - 16 * i) : low >>> (48 - 16 * (i - 4));
            if (i > 0) {
                full.append(':');
            }
            full.append(Integer.toHexString((int) word & 0xffff));
        }
        // The multiaddr component canonicalizes exactly as go prints (RFC 5952, mapped as ::ffff:).
        return new Component(Protocol.IP6, full.toString()).value();
    }

    /** The mask of bits 0..63 for a prefix of {@code prefixLength} bits. */
    static long highMask(int prefixLength) {
        if (prefixLength >= 64) {
            return -1L;
        }
        return prefixLength == 0 ? 0L : -1L << (64 - prefixLength);
    }

    /** The mask of bits 64..127 for a prefix of {@code prefixLength} bits. */
    static long lowMask(int prefixLength) {
        if (prefixLength <= 64) {
            return 0L;
        }
        return prefixLength >= 128 ? -1L : -1L << (128 - prefixLength);
    }

    private static byte[] mapped(byte[] ipv4) {
        byte[] out = new byte[16];
        out[10] = (byte) 0xff;
        out[11] = (byte) 0xff;
        System.arraycopy(ipv4, 0, out, 12, 4);
        return out;
    }

    private static int bigEndianInt(byte[] b, int offset) {
        return (b[offset] & 0xff) << 24 | (b[offset + 1] & 0xff) << 16 | (b[offset + 2] & 0xff) << 8
                | (b[offset + 3] & 0xff);
    }

    private static long bigEndianLong(byte[] b, int offset) {
        return (long) bigEndianInt(b, offset) << 32 | (bigEndianInt(b, offset + 4) & 0xffff_ffffL);
    }
}
