package org.jrcmgr.benchmarks;

import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Threads;

/**
 * Figure 3: reserveMemory + releaseMemory of 4 KiB, as throughput, with one thread and with two
 * threads each on a stream of its own peer. The two streams share the protocol, service and system
 * scopes (three of their six edges), so every operation of either thread changes three counters
 * the other thread changes too.
 */
@BenchmarkMode(Mode.Throughput)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ScalingBenchmark {

    @State(Scope.Benchmark)
    public static class Manager {
        ResourceManager rm;

        boolean observers() {
            return true;
        }

        @Setup(Level.Trial)
        public void setUp() {
            rm = Fixtures.manager(observers());
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            rm.close();
        }
    }

    @State(Scope.Benchmark)
    public static class ManagerNoObservers extends Manager {
        @Override
        boolean observers() {
            return false;
        }
    }

    /** Each thread's own peer and stream. */
    @State(Scope.Thread)
    public static class PeerStream {
        StreamManagementScope stream;

        void open(Manager m) {
            stream = Fixtures.fullStream(m.rm, PeerId.random());
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            stream.done();
        }
    }

    @State(Scope.Thread)
    public static class Observed extends PeerStream {
        @Setup(Level.Trial)
        public void setUp(Manager m) {
            open(m);
        }
    }

    @State(Scope.Thread)
    public static class Bare extends PeerStream {
        @Setup(Level.Trial)
        public void setUp(ManagerNoObservers m) {
            open(m);
        }
    }

    @Benchmark
    @Threads(1)
    public void oneThread(Observed s) {
        s.stream.reserveMemory(Fixtures.SIZE, ReservationPriority.HIGH);
        s.stream.releaseMemory(Fixtures.SIZE);
    }

    @Benchmark
    @Threads(2)
    public void twoThreads(Observed s) {
        s.stream.reserveMemory(Fixtures.SIZE, ReservationPriority.HIGH);
        s.stream.releaseMemory(Fixtures.SIZE);
    }

    @Benchmark
    @Threads(1)
    public void oneThreadNoObservers(Bare s) {
        s.stream.reserveMemory(Fixtures.SIZE, ReservationPriority.HIGH);
        s.stream.releaseMemory(Fixtures.SIZE);
    }

    @Benchmark
    @Threads(2)
    public void twoThreadsNoObservers(Bare s) {
        s.stream.reserveMemory(Fixtures.SIZE, ReservationPriority.HIGH);
        s.stream.releaseMemory(Fixtures.SIZE);
    }
}
