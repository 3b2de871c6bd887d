package org.jrcmgr.benchmarks;

import io.netty.buffer.AdaptiveByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import net.openhft.chronicle.bytes.BytesStore;
import net.openhft.chronicle.core.Memory;
import net.openhft.chronicle.core.OS;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.memory.unsafe.UnsafeAllocationManager;
import org.jrcmgr.PeerId;
import org.jrcmgr.ReservationPriority;
import org.jrcmgr.ResourceManager;
import org.jrcmgr.StreamManagementScope;
import org.jrcmgr.offheap.NativeBuffer;
import org.jrcmgr.offheap.OffHeap;
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
 * Figure 1: allocate and free 4 KiB off-heap, one thread. jrcmgr reserves through a stream scope
 * with its six edges; Arrow's child allocator keeps books in a tree of two budgets; Netty's pooled
 * and adaptive allocators keep none; a direct ByteBuffer freed by its cleaner counts against
 * {@code MaxDirectMemorySize}; chronicle is the raw allocator jrcmgr's offheap module uses. Nothing
 * is zeroed except by {@code ByteBuffer.allocateDirect}, which always zeroes.
 */
@BenchmarkMode(Mode.AverageTime)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AllocFreeBenchmark {

    /** jrcmgr with the builder's default observers (JFR refusal events, refusal summary). */
    @State(Scope.Thread)
    public static class JrcmgrDefault {
        ResourceManager rm;
        StreamManagementScope stream;
        OffHeap offHeap;

        boolean observers() {
            return true;
        }

        @Setup(Level.Trial)
        public void setUp() {
            rm = Fixtures.manager(observers());
            stream = Fixtures.fullStream(rm, PeerId.random());
            offHeap = OffHeap.create();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            if (!offHeap.stats().balanced() || offHeap.stats().liveBuffers() != 0) {
                throw new IllegalStateException("books out of balance: " + offHeap.stats());
            }
            stream.done();
            rm.close();
        }
    }

    /** jrcmgr with no observer: {@code flightRecorder(false).refusalSummary(null)}. */
    @State(Scope.Thread)
    public static class JrcmgrBare extends JrcmgrDefault {
        @Override
        boolean observers() {
            return false;
        }
    }

    @State(Scope.Thread)
    public static class Arrow {
        RootAllocator root;
        BufferAllocator child;

        @Setup(Level.Trial)
        public void setUp() {
            root = new RootAllocator(RootAllocator.configBuilder()
                    .allocationManagerFactory(UnsafeAllocationManager.FACTORY)
                    .maxAllocation(Long.MAX_VALUE)
                    .build());
            child = root.newChildAllocator("stream", 0, 16L << 20);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            child.close();
            root.close();
        }
    }

    @State(Scope.Benchmark)
    public static class Netty {
        final PooledByteBufAllocator pooled = PooledByteBufAllocator.DEFAULT;
        final AdaptiveByteBufAllocator adaptive = new AdaptiveByteBufAllocator();
    }

    /** {@code sun.misc.Unsafe.invokeCleaner}, found by reflection so that javac does not warn. */
    private static final MethodHandle INVOKE_CLEANER;
    private static final Memory MEMORY = OS.memory();

    static {
        try {
            Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
            Field theUnsafe = unsafeClass.getDeclaredField("theUnsafe");
            theUnsafe.setAccessible(true);
            INVOKE_CLEANER = MethodHandles.lookup()
                    .findVirtual(unsafeClass, "invokeCleaner", MethodType.methodType(void.class, ByteBuffer.class))
                    .bindTo(theUnsafe.get(null));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Benchmark
    public NativeBuffer jrcmgrOffHeap(JrcmgrDefault s) {
        NativeBuffer buffer = s.offHeap.allocate(s.stream, Fixtures.SIZE, ReservationPriority.HIGH);
        buffer.close();
        return buffer;
    }

    @Benchmark
    public NativeBuffer jrcmgrOffHeapNoObservers(JrcmgrBare s) {
        NativeBuffer buffer = s.offHeap.allocate(s.stream, Fixtures.SIZE, ReservationPriority.HIGH);
        buffer.close();
        return buffer;
    }

    @Benchmark
    public ArrowBuf arrowChildAllocator(Arrow s) {
        ArrowBuf buffer = s.child.buffer(Fixtures.SIZE);
        buffer.close();
        return buffer;
    }

    @Benchmark
    public ByteBuf nettyPooledDirect(Netty s) {
        ByteBuf buffer = s.pooled.directBuffer(Fixtures.SIZE);
        buffer.release();
        return buffer;
    }

    @Benchmark
    public ByteBuf nettyAdaptiveDirect(Netty s) {
        ByteBuf buffer = s.adaptive.directBuffer(Fixtures.SIZE);
        buffer.release();
        return buffer;
    }

    @Benchmark
    public ByteBuffer directByteBufferCleaner() throws Throwable {
        ByteBuffer buffer = ByteBuffer.allocateDirect(Fixtures.SIZE);
        INVOKE_CLEANER.invokeExact(buffer);
        return buffer;
    }

    /** chronicle's raw allocator, {@code OS.memory()}: what jrcmgr's offheap module calls. */
    @Benchmark
    public long chronicleMemory() {
        long address = MEMORY.allocate(Fixtures.SIZE);
        MEMORY.freeMemory(address, Fixtures.SIZE);
        return address;
    }

    /** chronicle's {@code NativeBytesStore}, released as chronicle does by default (background releaser). */
    @Benchmark
    public BytesStore<?, Void> chronicleNativeBytesStore() {
        BytesStore<?, Void> store = BytesStore.nativeStoreWithFixedCapacity(Fixtures.SIZE);
        store.releaseLast();
        return store;
    }
}
