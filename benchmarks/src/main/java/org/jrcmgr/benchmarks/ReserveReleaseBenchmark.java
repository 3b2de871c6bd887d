package org.jrcmgr.benchmarks;

import java.util.concurrent.TimeUnit;
import org.jrcmgr.PeerId;
import org.jrcmgr.ReservationPriority;
import org.jrcmgr.ResourceException;
import org.jrcmgr.ResourceManager;
import org.jrcmgr.StreamManagementScope;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Figures 2 and 5: reserveMemory + releaseMemory of 4 KiB on a stream with six edges, one thread,
 * and a refused reservation: refused by the stream itself (the first check) and by the system scope
 * (the last of the six edges, after five admitted and rolled back), through tryReserveMemory
 * (returns false) and reserveMemory (throws ResourceLimitExceededException).
 */
@BenchmarkMode(Mode.AverageTime)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ReserveReleaseBenchmark {

    static final int BATCH = 64;

    /** A stream with six edges in a manager with the builder's default observers. */
    @State(Scope.Thread)
    public static class Stream {
        ResourceManager rm;
        StreamManagementScope stream;

        boolean observers() {
            return true;
        }

        @Setup(Level.Trial)
        public void setUp() {
            rm = Fixtures.manager(observers());
            stream = Fixtures.fullStream(rm, PeerId.random());
            fill();
        }

        void fill() {
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            stream.done();
            rm.close();
        }
    }

    @State(Scope.Thread)
    public static class StreamNoObservers extends Stream {
        @Override
        boolean observers() {
            return false;
        }
    }

    /** The stream holds its whole memory limit: a HIGH reservation is refused by the stream itself. */
    @State(Scope.Thread)
    public static class FullStream extends Stream {
        @Override
        void fill() {
            stream.reserveMemory(stream.limit().memory().capacity(), ReservationPriority.ALWAYS);
        }
    }

    @State(Scope.Thread)
    public static class FullStreamNoObservers extends FullStream {
        @Override
        boolean observers() {
            return false;
        }
    }

    /**
     * The system scope holds all it admits at HIGH but a little: a HIGH reservation passes the
     * stream and its first five edges and is refused by the system, the last edge.
     */
    @State(Scope.Thread)
    public static class FullSystem extends Stream {
        @Override
        void fill() {
            long capacity = rm.viewSystem(s -> s.limit().memory().capacity());
            long fill = ReservationPriority.HIGH.threshold(capacity) - Fixtures.SIZE / 2;
            rm.viewSystem(s -> {
                s.reserveMemory(fill, ReservationPriority.ALWAYS);
                return null;
            });
        }
    }

    @State(Scope.Thread)
    public static class FullSystemNoObservers extends FullSystem {
        @Override
        boolean observers() {
            return false;
        }
    }

    // ---- figure 2: the success path ---------------------------------------------------------------

    @Benchmark
    public void reserveRelease(Stream s) {
        s.stream.reserveMemory(Fixtures.SIZE, ReservationPriority.HIGH);
        s.stream.releaseMemory(Fixtures.SIZE);
    }

    @Benchmark
    public void reserveReleaseNoObservers(StreamNoObservers s) {
        s.stream.reserveMemory(Fixtures.SIZE, ReservationPriority.HIGH);
        s.stream.releaseMemory(Fixtures.SIZE);
    }

    @Benchmark
    public boolean tryReserveReleaseNoObservers(StreamNoObservers s) {
        boolean ok = s.stream.tryReserveMemory(Fixtures.SIZE, ReservationPriority.HIGH);
        s.stream.releaseMemory(Fixtures.SIZE);
        return ok;
    }

    /**
     * A successful reservation alone, for comparison with a refusal: 64 reservations, then one
     * release of all of them, so the release costs 1/64 of an operation.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void reserveOnly(Stream s) {
        for (int i = 0; i < BATCH; i++) {
            s.stream.reserveMemory(Fixtures.SIZE, ReservationPriority.HIGH);
        }
        s.stream.releaseMemory(BATCH * Fixtures.SIZE);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void reserveOnlyNoObservers(StreamNoObservers s) {
        for (int i = 0; i < BATCH; i++) {
            s.stream.reserveMemory(Fixtures.SIZE, ReservationPriority.HIGH);
        }
        s.stream.releaseMemory(BATCH * Fixtures.SIZE);
    }

    // ---- figure 5: refusals ----------------------------------------------------------------------

    @Benchmark
    public boolean refusedTryByStream(FullStream s) {
        return check(!s.stream.tryReserveMemory(Fixtures.SIZE, ReservationPriority.HIGH));
    }

    @Benchmark
    public boolean refusedTryByStreamNoObservers(FullStreamNoObservers s) {
        return check(!s.stream.tryReserveMemory(Fixtures.SIZE, ReservationPriority.HIGH));
    }

    @Benchmark
    public boolean refusedTryBySystem(FullSystem s) {
        return check(!s.stream.tryReserveMemory(Fixtures.SIZE, ReservationPriority.HIGH));
    }

    @Benchmark
    public boolean refusedTryBySystemNoObservers(FullSystemNoObservers s) {
        return check(!s.stream.tryReserveMemory(Fixtures.SIZE, ReservationPriority.HIGH));
    }

    @Benchmark
    public ResourceException refusedThrowByStream(FullStream s) {
        return reserveExpectingRefusal(s.stream);
    }

    @Benchmark
    public ResourceException refusedThrowBySystem(FullSystem s) {
        return reserveExpectingRefusal(s.stream);
    }

    @Benchmark
    public ResourceException refusedThrowBySystemNoObservers(FullSystemNoObservers s) {
        return reserveExpectingRefusal(s.stream);
    }

    private static ResourceException reserveExpectingRefusal(StreamManagementScope stream) {
        try {
            stream.reserveMemory(Fixtures.SIZE, ReservationPriority.HIGH);
        } catch (ResourceException refused) {
            return refused;
        }
        throw new IllegalStateException("the reservation was admitted");
    }

    private static boolean check(boolean refused) {
        if (!refused) {
            throw new IllegalStateException("the reservation was admitted");
        }
        return true;
    }
}
