package org.jrcmgr.impl.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.net.InetAddress;

import org.junit.jupiter.api.Test;

class IpNetworkTest {

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal); // literals only: no lookup happens
    }

    @Test
    void parsesAndClearsHostBits() throws Exception {
        IpNetwork network = IpNetwork.parse("10.1.2.3/8");
        assertEquals(ip("10.0.0.0"), network.address());
        assertEquals(8, network.prefixLength());
        assertEquals("10.0.0.0/8", network.toString());
        assertEquals(network, IpNetwork.parse("10.0.0.0/8"));
        assertEquals(IpNetwork.parse("1.2.3.0/28"), IpNetwork.parse("1.2.3.15/28"));
        assertNotEquals(IpNetwork.parse("1.2.3.0/28"), IpNetwork.parse("1.2.3.16/28"));
    }

    @Test
    void printsIpv6LikeGo() {
        assertEquals("::1/128", IpNetwork.parse("::1/128").toString());
        assertEquals("2001:db8::/32", IpNetwork.parse("2001:0db8:ffff::1/32").toString());
        assertEquals("::/0", IpNetwork.parse("::/0").toString());
        assertTrue(IpNetwork.parse("::/0").isIpv6());
        assertFalse(IpNetwork.parse("0.0.0.0/0").isIpv6());
    }

    @Test
    void containsComparesOnlyThePrefixBitsOfTheSameFamily() throws Exception {
        IpNetwork network = IpNetwork.parse("192.168.0.0/17");
        assertTrue(network.contains(ip("192.168.127.255")));
        assertFalse(network.contains(ip("192.168.128.0")));
        assertTrue(IpNetwork.parse("128.0.0.0/1").contains(ip("255.1.1.1")), "high bits are unsigned");
        assertFalse(IpNetwork.parse("0.0.0.0/0").contains(ip("::1")));
        assertTrue(IpNetwork.parse("0.0.0.0/0").contains(ip("::ffff:1.2.3.4")), "Java made it IPv4");
        assertTrue(IpNetwork.parse("2001:db8::/32").contains(ip("2001:db8:ffff::1")));
        assertTrue(IpNetwork.host(ip("1.2.3.4")).contains(ip("1.2.3.4")));
        assertEquals(32, IpNetwork.host(ip("1.2.3.4")).prefixLength());
        assertEquals(128, IpNetwork.host(ip("::2")).prefixLength());
    }

    @Test
    void dropsTheScope() throws Exception {
        Inet6Address scoped = Inet6Address.getByAddress(null, ip("fe80::1").getAddress(), 3);
        assertEquals(IpNetwork.parse("fe80::1/128"), IpNetwork.host(scoped));
    }

    @Test
    void refusesBadInputWithClearMessages() throws Exception {
        assertMessage("invalid network \"10.0.0.0\"", () -> IpNetwork.parse("10.0.0.0"));
        assertMessage("not a number", () -> IpNetwork.parse("10.0.0.0/x"));
        assertMessage("must be within 0..32", () -> IpNetwork.parse("10.0.0.0/33"));
        assertMessage("must be within 0..128", () -> IpNetwork.parse("::/129"));
        assertMessage("is not an IPv4 address", () -> IpNetwork.parse("10.0.0.256/8"));
        assertMessage("invalid network \"example.com/8\"", () -> IpNetwork.parse("example.com/8"));
        assertMessage("IPv4-mapped", () -> IpNetwork.parse("::ffff:1.2.3.0/120"));
        assertMessage("must be within 0..32", () -> new IpNetwork(ip("1.2.3.4"), 40));
        assertMessage("must be within 0..32", () -> new IpNetwork(ip("1.2.3.4"), -1));
        Inet6Address mapped = Inet6Address.getByAddress(null, new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                (byte) 0xff, (byte) 0xff, 1, 2, 3, 4}, -1);
        assertMessage("IPv4-mapped", () -> new IpNetwork(mapped, 120));
        assertThrows(NullPointerException.class, () -> new IpNetwork(null, 1));
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
