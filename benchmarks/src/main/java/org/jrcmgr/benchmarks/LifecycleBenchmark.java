package org.jrcmgr.benchmarks;

import java.util.concurrent.TimeUnit;
import org.jrcmgr.ConnManagementScope;
import org.jrcmgr.Direction;
import org.jrcmgr.Multiaddr;
import org.jrcmgr.PeerId;
import org.jrcmgr.ReservationPriority;
import org.jrcmgr.ResourceManager;
import org.jrcmgr.StreamManagementScope;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Figure 4: whole lifecycles. A stream: openStream, setProtocol, setService, one 4 KiB reservation,
 * done. A connection from a public IPv4 address (so the per-address limiter counts it):
 * openConnection, setPeer, done. The peer, protocol and service scopes already exist, as on a
 * running node. More warm-up than elsewhere: these paths are long and the JIT needs a few
 * seconds on two busy cores to finish compiling them.
 */
@BenchmarkMode(Mode.AverageTime)
@Fork(1)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class LifecycleBenchmark {

    @State(Scope.Thread)
    public static class Node {
        ResourceManager rm;
        PeerId peer;
        final Multiaddr endpoint = Multiaddr.parse("/ip4/198.51.100.7/tcp/4001");

        boolean observers() {
            return true;
        }

        @Setup(Level.Trial)
        public void setUp() {
            rm = Fixtures.manager(observers());
            peer = PeerId.random();
            // Warm the long-lived scopes, as a running node has them.
            Fixtures.fullStream(rm, peer).done();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            rm.close();
        }
    }

    @State(Scope.Thread)
    public static class NodeNoObservers extends Node {
        @Override
        boolean observers() {
            return false;
        }
    }

    @Benchmark
    public StreamManagementScope stream(Node s) {
        return streamLifecycle(s);
    }

    @Benchmark
    public StreamManagementScope streamNoObservers(NodeNoObservers s) {
        return streamLifecycle(s);
    }

    @Benchmark
    public ConnManagementScope connection(Node s) {
        return connLifecycle(s);
    }

    @Benchmark
    public ConnManagementScope connectionNoObservers(NodeNoObservers s) {
        return connLifecycle(s);
    }

    private static StreamManagementScope streamLifecycle(Node s) {
        StreamManagementScope stream = s.rm.openStream(s.peer, Direction.INBOUND);
        stream.setProtocol(Fixtures.PROTOCOL);
        stream.setService(Fixtures.SERVICE);
        stream.reserveMemory(Fixtures.SIZE, ReservationPriority.HIGH);
        stream.done();
        return stream;
    }

    private static ConnManagementScope connLifecycle(Node s) {
        ConnManagementScope conn = s.rm.openConnection(Direction.INBOUND, true, s.endpoint);
        conn.setPeer(s.peer);
        conn.done();
        return conn;
    }
}
