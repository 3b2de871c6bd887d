package org.jrcmgr.benchmarks;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.jrcmgr.LimitValue;
import org.jrcmgr.Multiaddr;
import org.jrcmgr.impl.net.Allowlist;
import org.jrcmgr.impl.net.ConnLimiterConfig;
import org.jrcmgr.impl.net.NetworkPrefixLimit;
import org.jrcmgr.impl.net.internal.ConnLimiter;
import org.jrcmgr.impl.net.internal.IpAddress;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Figure 6: the per-address connection limiter and the allowlist with 1,000 and 10,000 entries.
 * Each call looks up the next of 1,024 probe addresses, so the lookups do not all follow one path.
 *
 * <ul>
 *   <li>connLimiterNetwork: {@code entries} IPv4 network-prefix limits (/24 each); the probe lies
 *       in one of them: addConn then removeConn on its counter.</li>
 *   <li>connLimiterSubnet: go's default per-subnet limits, with {@code entries} addresses holding
 *       a connection each; the probe is one of them: addConn then removeConn.</li>
 *   <li>allowlistHit / allowlistMiss: an allowlist of {@code entries} entries (half /24 networks,
 *       half single addresses), {@code allowed(endpoint)} for endpoints in an entry / in none.</li>
 *   <li>allowlistGoLinearScanMiss: the same lookup as go-libp2p's allowlist does it, a scan of the
 *       list of networks, reimplemented here as the reference (a miss scans them all).</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 4, time = 1)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class LimiterBenchmark {

    private static final int PROBES = 1024;

    @Param({"1000", "10000"})
    public int entries;

    private ConnLimiter networkLimiter;
    private ConnLimiter subnetLimiter;
    private Allowlist allowlist;
    private int[] scanNetworks;
    private int[] scanMasks;
    private final IpAddress[] networkProbes = new IpAddress[PROBES];
    private final IpAddress[] subnetProbes = new IpAddress[PROBES];
    private final Multiaddr[] hitProbes = new Multiaddr[PROBES];
    private final Multiaddr[] missProbes = new Multiaddr[PROBES];
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Random random = new Random(42);

        List<NetworkPrefixLimit> networks = new ArrayList<>();
        for (int i = 0; i < entries; i++) {
            networks.add(NetworkPrefixLimit.of("10." + (i >> 8) + "." + (i & 255) + ".0/24", LimitValue.of(1000)));
        }
        networkLimiter = new ConnLimiter(ConnLimiterConfig.defaults().withNetworkPrefixLimitsV4(networks));
        for (int p = 0; p < PROBES; p++) {
            int i = random.nextInt(entries);
            networkProbes[p] = IpAddress.of(InetAddress.getByName("10." + (i >> 8) + "." + (i & 255) + "."
                    + (1 + random.nextInt(254))));
        }

        subnetLimiter = new ConnLimiter(ConnLimiterConfig.defaults());
        IpAddress[] counted = new IpAddress[entries];
        for (int i = 0; i < entries; i++) {
            counted[i] = IpAddress.of(InetAddress.getByName("100.64." + (i >> 8) + "." + (i & 255)));
            if (!subnetLimiter.addConn(counted[i])) {
                throw new IllegalStateException("refused " + counted[i]);
            }
        }
        for (int p = 0; p < PROBES; p++) {
            subnetProbes[p] = counted[random.nextInt(entries)];
        }

        List<Multiaddr> allowed = new ArrayList<>();
        scanNetworks = new int[entries];
        scanMasks = new int[entries];
        for (int i = 0; i < entries; i++) {
            boolean network = (i & 1) == 0;
            String address = network ? "10." + (i >> 8) + "." + (i & 255) + ".0" : "172.16." + (i >> 8) + "." + (i & 255);
            allowed.add(Multiaddr.parse("/ip4/" + address + (network ? "/ipcidr/24" : "")));
            scanNetworks[i] = toInt(InetAddress.getByName(address));
            scanMasks[i] = network ? 0xFFFF_FF00 : 0xFFFF_FFFF;
        }
        allowlist = Allowlist.of(allowed);
        for (int p = 0; p < PROBES; p++) {
            int i = random.nextInt(entries);
            String address = (i & 1) == 0 ? "10." + (i >> 8) + "." + (i & 255) + "." + (1 + random.nextInt(254))
                    : "172.16." + (i >> 8) + "." + (i & 255);
            hitProbes[p] = Multiaddr.parse("/ip4/" + address + "/tcp/4001");
            missProbes[p] = Multiaddr.parse("/ip4/192.0." + random.nextInt(256) + "." + random.nextInt(256)
                    + "/tcp/4001");
            if (!allowlist.allowed(hitProbes[p]) || allowlist.allowed(missProbes[p])) {
                throw new IllegalStateException("probe " + p + " misplaced");
            }
        }
    }

    private int probe() {
        int p = next;
        next = (p + 1) & (PROBES - 1);
        return p;
    }

    @Benchmark
    public boolean connLimiterNetwork() {
        IpAddress ip = networkProbes[probe()];
        boolean added = networkLimiter.addConn(ip);
        networkLimiter.removeConn(ip);
        return added;
    }

    @Benchmark
    public boolean connLimiterSubnet() {
        IpAddress ip = subnetProbes[probe()];
        boolean added = subnetLimiter.addConn(ip);
        subnetLimiter.removeConn(ip);
        return added;
    }

    @Benchmark
    public boolean allowlistHit() {
        return allowlist.allowed(hitProbes[probe()]);
    }

    @Benchmark
    public boolean allowlistMiss() {
        return allowlist.allowed(missProbes[probe()]);
    }

    @Benchmark
    public boolean allowlistGoLinearScanMiss() {
        InetAddress ip = missProbes[probe()].ip().orElseThrow();
        if (!(ip instanceof Inet4Address)) {
            return false;
        }
        int address = toInt(ip);
        int[] networks = scanNetworks;
        int[] masks = scanMasks;
        for (int i = 0; i < networks.length; i++) {
            if ((address & masks[i]) == networks[i]) {
                return true;
            }
        }
        return false;
    }

    private static int toInt(InetAddress address) {
        byte[] b = address.getAddress();
        return (b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | (b[3] & 0xFF);
    }
}
