package org.jrcmgr.offheap;

import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import net.openhft.chronicle.core.Memory;
import net.openhft.chronicle.core.OS;
import net.openhft.chronicle.core.io.BackgroundResourceReleaser;
import org.jrcmgr.ReservationPriority;
import org.jrcmgr.ResourceScope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Allocates {@link NativeBuffer}s through resource scopes and keeps their books.
 *
 * <p>{@link #allocate} reserves the bytes in the scope first (at the given priority, through
 * {@link ResourceScope#reserve}) and only then allocates native memory with chronicle's allocator,
 * so a refused reservation allocates nothing. It works with any provider's scopes; scopes of the
 * default implementation also reclaim a buffer still open when they are done, and this allocator
 * then frees it, counts it and reports it (an SLF4J warning on the {@code org.jrcmgr.offheap.OffHeap}
 * logger naming the scope path and size, the allocation site when leak tracing is on, and the
 * {@link LeakListener} if one is set).
 *
 * <p>Allocators are independent: each keeps its own {@link #stats()}. All methods are thread-safe.
 */
public final class OffHeap {

    /**
     * The system property that turns leak tracing on for allocators that do not say otherwise: with
     * {@code -Dorg.jrcmgr.offheap.leakTracing=true}, every allocation records its stack trace (a few
     * microseconds) so that a leak report can say where the buffer was allocated.
     */
    public static final String LEAK_TRACING_PROPERTY = "org.jrcmgr.offheap.leakTracing";

    /**
     * The largest buffer, {@value} bytes: every buffer has a {@code ByteBuffer} view, whose capacity
     * is an {@code int}.
     */
    public static final long MAX_BUFFER_SIZE = Integer.MAX_VALUE;

    private static final Logger LOG = LoggerFactory.getLogger(OffHeap.class);
    private static final Memory MEMORY = OS.memory();

    private final boolean leakTracing;
    private final boolean zeroOnAllocate;
    private final LeakListener leakListener;
    private final NativeMemory nativeMemory;

    private final LongAdder liveBuffers = new LongAdder();
    private final LongAdder liveBytes = new LongAdder();
    private final LongAdder reservedBytes = new LongAdder();
    private final LongAdder nativeBytes = new LongAdder();
    private final LongAdder deferredBytes = new LongAdder();
    private final LongAdder leakedBuffers = new LongAdder();

    private OffHeap(Builder builder) {
        this.leakTracing = builder.leakTracing;
        this.zeroOnAllocate = builder.zeroOnAllocate;
        this.leakListener = builder.leakListener;
        this.nativeMemory = builder.nativeMemory;
    }

    /** An allocator with the default options (see {@link Builder}). */
    public static OffHeap create() {
        return builder().build();
    }

    /** A builder of allocators. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reserves {@code size} bytes in {@code scope} at {@code priority}, then allocates them natively.
     *
     * @return an open buffer; the caller must close it (or let its scope be done, which reclaims it
     *         and reports a leak)
     * @throws IllegalArgumentException                  if {@code size} is negative or over
     *                                                   {@link #MAX_BUFFER_SIZE}; nothing is reserved
     * @throws org.jrcmgr.ResourceLimitExceededException if the scope, or one above it, refuses; nothing
     *                                                   is allocated (a size over the scope's whole
     *                                                   limit is refused as not retryable)
     * @throws org.jrcmgr.ResourceScopeClosedException   if the scope is done (also when it is done
     *                                                   while the memory is being allocated: then the
     *                                                   memory is freed again before this throws)
     * @throws OutOfMemoryError                          if the native allocation fails; the reservation
     *                                                   is given back first
     */
    public NativeBuffer allocate(ResourceScope scope, long size, ReservationPriority priority) {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(priority, "priority");
        if (size < 0) {
            throw new IllegalArgumentException("an off-heap buffer's size must not be negative, got " + size);
        }
        if (size > MAX_BUFFER_SIZE) {
            throw new IllegalArgumentException("an off-heap buffer's size must be at most " + MAX_BUFFER_SIZE
                    + " bytes (every buffer has a ByteBuffer view), got " + size);
        }
        Throwable site = leakTracing
                ? new Throwable("off-heap buffer of " + size + " bytes allocated in " + scope.name() + " on thread "
                        + Thread.currentThread().getName())
                : null;
        return NativeBuffer.allocate(this, scope, size, priority, site);
    }

    /** The allocator's books, read counter by counter: exact whenever nothing is in flight. */
    public OffHeapStats stats() {
        return new OffHeapStats(liveBuffers.sum(), liveBytes.sum(), reservedBytes.sum(), nativeBytes.sum(),
                deferredBytes.sum(), leakedBuffers.sum());
    }

    /**
     * chronicle's own count of the native memory it has allocated in this process (for every user
     * of chronicle, not only this allocator), after draining chronicle's background releaser so that
     * frees it still had queued are counted. This allocator never queues anything there (it frees in
     * the calling thread), so the difference between two calls moves exactly as the
     * {@link OffHeapStats#nativeBytes()} of the allocators in use. It is a check, not the books: it
     * may block for a millisecond while the queue is drained.
     */
    public static long chronicleNativeMemoryUsed() {
        BackgroundResourceReleaser.releasePendingResources();
        return MEMORY.nativeMemoryUsed();
    }

    /** Whether allocations record their stack trace for leak reports. */
    public boolean leakTracing() {
        return leakTracing;
    }

    /** Whether new buffers are filled with zeros. */
    public boolean zeroOnAllocate() {
        return zeroOnAllocate;
    }

    // ---- the books, kept by the buffers --------------------------------------------------------

    void reserved(long size) {
        reservedBytes.add(size);
    }

    void unreserved(long size) {
        reservedBytes.add(-size);
    }

    long allocateNative(long size) {
        if (size == 0) {
            return 0; // chronicle refuses zero-byte allocations; an empty buffer needs no memory
        }
        long address = nativeMemory.allocate(size);
        if (zeroOnAllocate) {
            MEMORY.setMemory(address, size, (byte) 0);
        }
        nativeBytes.add(size);
        return address;
    }

    void freeNative(long address, long size, boolean deferred) {
        if (size > 0) {
            nativeMemory.free(address, size);
            nativeBytes.add(-size);
        }
        if (deferred) {
            deferredBytes.add(-size);
        }
    }

    void opened(long size) {
        liveBuffers.increment();
        liveBytes.add(size);
    }

    void ended(long size, boolean deferred) {
        liveBuffers.decrement();
        liveBytes.add(-size);
        if (deferred) {
            deferredBytes.add(size);
        }
    }

    void leaked(LeakReport report) {
        leakedBuffers.increment();
        String freed = report.freeDeferred() ? "will be freed when its last pin is closed" : "is freed";
        if (report.allocationSite() != null) {
            LOG.warn("leak: an off-heap buffer of {} bytes was still open when {} was done; its native memory {}."
                    + " It was allocated here:", report.size(), report.scopePath(), freed, report.allocationSite());
        } else {
            LOG.warn("leak: an off-heap buffer of {} bytes was still open when {} was done; its native memory {}."
                    + " Run with -D{}=true to record where it was allocated.", report.size(), report.scopePath(), freed,
                    LEAK_TRACING_PROPERTY);
        }
        if (leakListener != null) {
            try {
                leakListener.leaked(report);
            } catch (RuntimeException e) {
                LOG.error("the leak listener failed on a leak of {} bytes in {}", report.size(), report.scopePath(), e);
            }
        }
    }

    @Override
    public String toString() {
        return "OffHeap[" + stats() + "]";
    }

    /**
     * Where native memory comes from: chronicle's allocator, or in tests one that fails or that
     * does something in the middle of an allocation.
     */
    interface NativeMemory {

        /** chronicle's allocator ({@code Unsafe.allocateMemory}, counted in its gauge). */
        NativeMemory CHRONICLE = new NativeMemory() {
            @Override
            public long allocate(long size) {
                return MEMORY.allocate(size);
            }

            @Override
            public void free(long address, long size) {
                MEMORY.freeMemory(address, size);
            }
        };

        /** A block of {@code size > 0} bytes; throws {@link OutOfMemoryError} if there is none. */
        long allocate(long size);

        void free(long address, long size);
    }

    /** Options of an {@link OffHeap} allocator. */
    public static final class Builder {

        private boolean leakTracing = Boolean.getBoolean(LEAK_TRACING_PROPERTY);
        private boolean zeroOnAllocate;
        private LeakListener leakListener;
        private NativeMemory nativeMemory = NativeMemory.CHRONICLE;

        private Builder() {
        }

        /**
         * Whether each allocation records its stack trace for leak reports; by default, the system
         * property {@value OffHeap#LEAK_TRACING_PROPERTY}. Costs a few microseconds per allocation.
         */
        public Builder leakTracing(boolean on) {
            this.leakTracing = on;
            return this;
        }

        /**
         * Whether new buffers are filled with zeros (default: no). Without it a buffer's contents are
         * whatever that memory held before in this process (never another process's data), as with
         * Netty's and Arrow's allocators; turn it on when a buffer may be sent or exposed before it is
         * completely written. Zeroing 4 KiB costs about 75 ns.
         */
        public Builder zeroOnAllocate(boolean on) {
            this.zeroOnAllocate = on;
            return this;
        }

        /** Also tell {@code listener} of every leak (the warning is logged either way); null for none. */
        public Builder leakListener(LeakListener listener) {
            this.leakListener = listener;
            return this;
        }

        /** For tests: another source of native memory. */
        Builder nativeMemory(NativeMemory memory) {
            this.nativeMemory = Objects.requireNonNull(memory, "memory");
            return this;
        }

        /** The allocator. */
        public OffHeap build() {
            return new OffHeap(this);
        }
    }
}
