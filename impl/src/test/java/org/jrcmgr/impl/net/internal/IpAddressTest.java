package org.jrcmgr.impl.net.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Optional;

import org.jrcmgr.Multiaddr;
import org.junit.jupiter.api.Test;

class IpAddressTest {

    @Test
    void theFamilyComesFromTheMultiaddrProtocol() {
        IpAddress mapped = IpAddress.fromMultiaddr(Multiaddr.parse("/ip6/::ffff:1.2.3.4/tcp/1")).orElseThrow();
        assertTrue(mapped.ipv6());
        assertTrue(mapped.isIpv4Mapped());
        assertEquals("::ffff:1.2.3.4", mapped.toString());
        assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 1, 2, 3, 4},
                mapped.toBytes());
        assertTrue(mapped.toInetAddress() instanceof Inet4Address, "Java has no other form for it");

        IpAddress v4 = IpAddress.fromMultiaddr(Multiaddr.parse("/ip4/1.2.3.4/tcp/1")).orElseThrow();
        assertFalse(v4.ipv6());
        assertEquals("1.2.3.4", v4.toString());
        assertEquals(v4, IpAddress.of(mapped.toInetAddress()));
        assertEquals(mapped, IpAddress.ofBytes(mapped.toBytes()), "16 bytes stay IPv6, as netip.AddrFromSlice");

        assertEquals(Optional.empty(), IpAddress.fromMultiaddr(Multiaddr.parse("/dns4/example.com/tcp/1")));
        assertEquals(IpAddress.fromMultiaddr(Multiaddr.parse("/ip6/2001:db8::1")),
                IpAddress.fromMultiaddr(Multiaddr.parse("/dns4/example.com/ip6/2001:db8::1/ip4/1.1.1.1")),
                "the first IP component");
    }

    @Test
    void bitsAndMasks() throws Exception {
        IpAddress a = IpAddress.of(InetAddress.getByName("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff"));
        assertEquals("2001:db8::", a.mask(32).toString());
        assertEquals("2001:db8:ffff:ffff:ffff:ffff:ffff:fffe", a.mask(127).toString());
        assertEquals(a, a.mask(128));
        assertEquals("::", a.mask(0).toString());
        assertEquals(0, a.bit(0));
        assertEquals(1, a.bit(2));
        assertEquals(1, a.bit(127));
        IpAddress v4 = IpAddress.of(InetAddress.getByName("192.168.255.1"));
        assertEquals("192.168.240.0", v4.mask(20).toString());
        assertEquals(1, v4.bit(0));
        assertEquals(1, v4.bit(31));
        assertEquals(0, v4.bit(30));
        assertThrows(IllegalArgumentException.class, () -> v4.mask(33));
        assertThrows(IllegalArgumentException.class, () -> IpAddress.ofBytes(new byte[5]));
        assertThrows(IllegalArgumentException.class, () -> new IpAddress(false, 1, 0));
    }

    @Test
    void printsLikeGo() throws Exception {
        assertEquals("::1", IpAddress.of(InetAddress.getByName("::1")).toString());
        assertEquals("2001:db8::1:0:0:1", IpAddress.of(InetAddress.getByName("2001:db8:0:0:1:0:0:1")).toString());
        assertEquals("0.0.0.0", IpAddress.of(InetAddress.getByName("0.0.0.0")).toString());
    }
}
