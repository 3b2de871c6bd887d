package org.jrcmgr.offheap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.Objects;
import net.openhft.chronicle.bytes.Bytes;
import org.jrcmgr.Reservation;
import org.jrcmgr.ReservationPriority;
import org.jrcmgr.ResourceScope;
import org.jrcmgr.ResourceScopeClosedException;
import org.jrcmgr.offheap.internal.ChronicleView;
import org.jrcmgr.offheap.internal.DirectViews;

/**
 * A block of native memory whose bytes are reserved in a {@link ResourceScope}: the reservation is
 * the accounting of the buffer, made before the memory exists and given back when it is freed.
 * Allocate one with {@link OffHeap#allocate}.
 *
 * <p><b>Lifecycle.</b> {@link #close()} frees the memory and releases the reservation in one call,
 * exactly once, from any thread. If the scope holding the buffer is done first (and the scope can
 * say so, as every scope and span of the default implementation does), the buffer is
 * <em>reclaimed</em>: its memory is freed, the leak is reported, and a later {@code close()} does
 * nothing. {@link #transferTo} moves the reservation to another scope without copying.
 *
 * <p><b>Views and their safety.</b> {@link #byteBuffer()} and {@link #bytes()} give access to the
 * memory. Both accessors refuse once the buffer is closed or reclaimed, and chronicle's
 * {@code Bytes} refuses every operation after the buffer is freed, because it is released first.
 * A {@code ByteBuffer} cannot be revoked, though (not before the FFM API): a view kept past
 * {@code close()} points at freed memory, and using it may read or corrupt other allocations or
 * crash the JVM, exactly like a Netty {@code nioBuffer()} or a direct buffer after
 * {@code Unsafe.invokeCleaner}. So:
 * <ul>
 *   <li>use a view only while you own the buffer, and drop it before closing the buffer;</li>
 *   <li>when another thread (or the scope's {@code done()}) may close or reclaim the buffer while
 *       you read or write it, take a {@link #pin()} first: while a pin is open the memory stays
 *       allocated even if the buffer is closed or reclaimed meanwhile, and it is freed when the
 *       last pin is closed. Views obtained through the pin are safe for as long as the pin is open.</li>
 * </ul>
 * A buffer closed while pinned keeps its reservation until the memory is actually freed, so the
 * scope's limit still bounds it. A buffer reclaimed while pinned has no reservation any more (its
 * scope is gone); {@link OffHeapStats#deferredBytes()} shows it until the last pin is closed.
 *
 * <p><b>Contents.</b> A fresh buffer's contents are unspecified (left over from earlier use of
 * that memory in this process) unless the allocator zeroes on allocation, see
 * {@link OffHeap.Builder#zeroOnAllocate(boolean)}.
 *
 * <p>The buffer's state is thread-safe; reading and writing its memory is not synchronised, like
 * any {@code ByteBuffer}: order concurrent access yourself.
 */
public final class NativeBuffer implements AutoCloseable {

    /** Where a buffer stands. */
    public enum State {
        /** Usable. */
        OPEN,
        /** Closed by {@link #close()}. */
        CLOSED,
        /** Reclaimed because the scope holding it was done first. */
        RECLAIMED
    }

    /*
     * The whole lifecycle is one word, changed by compare-and-set, so that close, reclaim, pins and
     * the end of the allocation race safely. The low 32 bits count references: one for the owner
     * (dropped by close or reclaim), one for each pin or accessor in progress, and one for the
     * allocation while it is under way. Whoever drops the count to zero frees the memory: exactly
     * one thread, and never while someone holds a reference.
     */
    private static final long REFS = 0xFFFF_FFFFL;
    /** The allocation finished and the buffer was given to its user. */
    private static final long HANDED_OUT = 1L << 32;
    private static final long CLOSED = 1L << 33;
    private static final long RECLAIMED = 1L << 34;
    /** Ended while references were held: the free is deferred and counted as such. */
    private static final long DEFERRED = 1L << 35;
    /** The allocator's count of reserved bytes no longer includes this buffer's reservation. */
    private static final long SETTLED = 1L << 36;
    private static final long ENDED = CLOSED | RECLAIMED;

    private static final VarHandle STATE;
    private static final VarHandle CHRONICLE;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            STATE = lookup.findVarHandle(NativeBuffer.class, "state", long.class);
            CHRONICLE = lookup.findVarHandle(NativeBuffer.class, "chronicle", ChronicleView.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final OffHeap allocator;
    private final long size;
    private final Throwable allocationSite;
    /** Changed only through STATE. Starts with the owner's reference and the allocation's. */
    private volatile long state = 2;
    /** Written before the buffer is handed out; read only by holders of a reference or after. */
    private long address;
    private Reservation reservation;
    /** chronicle's view, made on first use of {@link #bytes()}; through CHRONICLE. */
    private volatile ChronicleView chronicle;
    /** The path of the scope that reclaimed the buffer, for messages. */
    private volatile String reclaimedBy;

    private NativeBuffer(OffHeap allocator, long size, Throwable allocationSite) {
        this.allocator = allocator;
        this.size = size;
        this.allocationSite = allocationSite;
    }

    /**
     * Reserves first, then allocates: a refused reservation allocates nothing, and a failed
     * allocation gives the reservation back.
     */
    static NativeBuffer allocate(OffHeap allocator, ResourceScope scope, long size, ReservationPriority priority,
                                 Throwable allocationSite) {
        NativeBuffer buffer = new NativeBuffer(allocator, size, allocationSite);
        Reservation reservation = scope.reserve(size, priority, buffer::reclaim);
        allocator.reserved(size);
        buffer.reservation = reservation;
        long address;
        try {
            address = allocator.allocateNative(size);
        } catch (RuntimeException | Error e) {
            buffer.abandon(e);
            throw e;
        }
        buffer.address = address;
        long s;
        long n;
        do {
            s = buffer.state;
            n = (s | HANDED_OUT) - 1;
        } while (!STATE.compareAndSet(buffer, s, n));
        if ((n & RECLAIMED) != 0) {
            // The scope was done while the memory was being allocated and took the bytes back;
            // the reclaim dropped the owner's reference and this drops the last one.
            buffer.free(n);
            throw new ResourceScopeClosedException(scope.name());
        }
        allocator.opened(size);
        return buffer;
    }

    /** The allocation failed after the reservation was made: nothing native exists; give the bytes back. */
    private void abandon(Throwable cause) {
        long s;
        do {
            s = state;
        } while (!STATE.compareAndSet(this, s, ((s & RECLAIMED) != 0 ? s : s | CLOSED) & ~REFS));
        try {
            reservation.close(); // does nothing if the scope was done meanwhile and reclaimed it
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        } finally {
            settle();
        }
    }

    /** The buffer's size in bytes; answers in every state. */
    public long size() {
        return size;
    }

    /** Where the buffer stands; answers in every state. */
    public State state() {
        long s = state;
        return (s & RECLAIMED) != 0 ? State.RECLAIMED : (s & CLOSED) != 0 ? State.CLOSED : State.OPEN;
    }

    /**
     * The scope that holds the buffer's bytes now.
     *
     * @throws IllegalStateException if the buffer is closed or reclaimed
     */
    public ResourceScope scope() {
        checkOpen("ask for the scope of");
        return reservation.scope();
    }

    /**
     * A new {@code ByteBuffer} over the whole buffer: direct, position 0, limit and capacity
     * {@link #size()}, big-endian as every new {@code ByteBuffer} ({@code order(ByteOrder.nativeOrder())}
     * to match chronicle's {@link #bytes()}). Views share the memory, not their positions.
     *
     * <p>The view must not be used once the buffer is closed or reclaimed (see the class comment),
     * unless it was obtained from a {@link Pin} that is still open.
     *
     * @throws IllegalStateException if the buffer is closed or reclaimed
     */
    public ByteBuffer byteBuffer() {
        checkOpen("get a ByteBuffer view of");
        return DirectViews.view(address, (int) size);
    }

    /**
     * chronicle's {@code Bytes} over the whole buffer: the same instance on every call (its read
     * and write positions are shared), fixed capacity {@link #size()}, native byte order, initially
     * write position 0. It belongs to the buffer: do not release it. Once the buffer is freed it is
     * released, and every operation on it fails instead of touching freed memory.
     *
     * @throws IllegalStateException if the buffer is closed or reclaimed
     */
    public Bytes<Void> bytes() {
        acquire("get the chronicle Bytes view of");
        try {
            return chronicleView().bytes();
        } finally {
            release();
        }
    }

    /** Called with a reference held, so the memory cannot be freed while the view is made. */
    private ChronicleView chronicleView() {
        ChronicleView view = chronicle;
        if (view != null) {
            return view;
        }
        ChronicleView made = new ChronicleView(address, size);
        ChronicleView witness = (ChronicleView) CHRONICLE.compareAndExchange(this, null, made);
        if (witness != null) {
            made.release();
            return witness;
        }
        return made;
    }

    /**
     * Keeps the memory allocated until the pin is closed, even if the buffer is closed or
     * reclaimed meanwhile; for code that reads or writes a buffer another thread may close.
     *
     * @throws IllegalStateException if the buffer is already closed or reclaimed
     */
    public Pin pin() {
        acquire("pin");
        return new Pin(this);
    }

    /**
     * Moves the buffer's bytes to {@code target} without copying: they are reserved there first, at
     * {@code priority}, and only then given back to the current scope.
     *
     * @throws org.jrcmgr.ResourceLimitExceededException if {@code target} has no room; nothing changes
     * @throws org.jrcmgr.ResourceScopeClosedException   if {@code target} is done
     * @throws IllegalArgumentException                  if {@code target} belongs to another manager
     * @throws IllegalStateException                     if the buffer is closed or reclaimed
     */
    public void transferTo(ResourceScope target, ReservationPriority priority) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(priority, "priority");
        checkOpen("transfer");
        reservation.transferTo(target, priority);
    }

    /**
     * Frees the memory and gives the bytes back to the scope that holds them; if pins are open, both
     * happen when the last one is closed. Closing a reclaimed buffer does nothing: its scope was
     * done first and it is already freed.
     *
     * @throws IllegalStateException if the buffer was already closed
     */
    @Override
    public void close() {
        for (;;) {
            long s = state;
            if ((s & RECLAIMED) != 0) {
                return;
            }
            if ((s & CLOSED) != 0) {
                throw new IllegalStateException(describe() + " was already closed");
            }
            long n = (s | CLOSED) - 1;
            if ((n & REFS) != 0) {
                n |= DEFERRED;
            }
            if (STATE.compareAndSet(this, s, n)) {
                allocator.ended(size, (n & DEFERRED) != 0);
                if ((n & REFS) == 0) {
                    free(n);
                }
                return;
            }
        }
    }

    /** The scope was done while the reservation was open; it already took the bytes back. */
    private void reclaim(Reservation reclaimed, String scopePath) {
        for (;;) {
            long s = state;
            if ((s & CLOSED) != 0) {
                // Closed by its user (and pinned, or freeing right now) while the scope was done.
                settle();
                return;
            }
            if ((s & RECLAIMED) != 0) {
                return;
            }
            boolean handedOut = (s & HANDED_OUT) != 0;
            long n = (s | RECLAIMED) - 1;
            if (handedOut && (n & REFS) != 0) {
                n |= DEFERRED;
            }
            reclaimedBy = scopePath;
            if (STATE.compareAndSet(this, s, n)) {
                settle();
                if (!handedOut) {
                    return; // the allocation, still under way, frees it and reports the closed scope
                }
                allocator.ended(size, (n & DEFERRED) != 0);
                if ((n & REFS) == 0) {
                    free(n);
                }
                allocator.leaked(new LeakReport(size, scopePath, (n & DEFERRED) != 0, allocationSite));
                return;
            }
        }
    }

    /** Runs once, in the thread that dropped the last reference. */
    private void free(long s) {
        try {
            ChronicleView view = chronicle;
            if (view != null) {
                // First, so that chronicle fails any later use instead of touching the freed block.
                view.release();
            }
        } finally {
            allocator.freeNative(address, size, (s & DEFERRED) != 0);
            if ((s & CLOSED) != 0) {
                try {
                    reservation.close(); // does nothing if the scope was done meanwhile and reclaimed it
                } finally {
                    settle();
                }
            }
        }
    }

    /** Takes the reservation out of the allocator's reserved count, exactly once. */
    private void settle() {
        for (;;) {
            long s = state;
            if ((s & SETTLED) != 0) {
                return;
            }
            if (STATE.compareAndSet(this, s, s | SETTLED)) {
                allocator.unreserved(size);
                return;
            }
        }
    }

    private void acquire(String action) {
        for (;;) {
            long s = state;
            if ((s & ENDED) != 0) {
                throw ended(action);
            }
            if ((s & REFS) == REFS) {
                throw new IllegalStateException("cannot " + action + " " + describe() + ": too many pins");
            }
            if (STATE.compareAndSet(this, s, s + 1)) {
                return;
            }
        }
    }

    private void release() {
        long n = (long) STATE.getAndAdd(this, -1L) - 1;
        if ((n & REFS) == 0) {
            free(n);
        }
    }

    private void checkOpen(String action) {
        if ((state & ENDED) != 0) {
            throw ended(action);
        }
    }

    private IllegalStateException ended(String action) {
        long s = state;
        String why = (s & RECLAIMED) != 0
                ? "it was reclaimed when " + reclaimedBy + " was done"
                : "it was closed";
        return new IllegalStateException("cannot " + action + " " + describe() + ": " + why);
    }

    private String describe() {
        Reservation r = reservation;
        return "the off-heap buffer of " + size + " bytes" + (r == null ? "" : " in " + r.scope().name());
    }

    @Override
    public String toString() {
        return "NativeBuffer[" + size + " bytes in " + (reservation == null ? "?" : reservation.scope().name()) + ", "
                + state() + "]";
    }

    /**
     * Keeps a buffer's memory allocated while open: the buffer may be closed or reclaimed meanwhile
     * (its accessors then refuse), but the memory is freed only when the last pin is closed, so the
     * views obtained here stay valid until this pin is closed. Close every pin exactly once.
     */
    public static final class Pin implements AutoCloseable {

        private static final VarHandle RELEASED;

        static {
            try {
                RELEASED = MethodHandles.lookup().findVarHandle(Pin.class, "released", boolean.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final NativeBuffer buffer;
        /** Set once, through RELEASED. */
        private volatile boolean released;

        private Pin(NativeBuffer buffer) {
            this.buffer = buffer;
        }

        /** The pinned buffer. */
        public NativeBuffer buffer() {
            return buffer;
        }

        /**
         * A new {@code ByteBuffer} over the whole buffer (see {@link NativeBuffer#byteBuffer()}), valid
         * until this pin is closed, whatever happens to the buffer meanwhile.
         *
         * @throws IllegalStateException if this pin is closed
         */
        public ByteBuffer byteBuffer() {
            checkHeld();
            return DirectViews.view(buffer.address, (int) buffer.size);
        }

        /**
         * The buffer's chronicle {@code Bytes} (see {@link NativeBuffer#bytes()}), usable until this
         * pin is closed, whatever happens to the buffer meanwhile.
         *
         * @throws IllegalStateException if this pin is closed
         */
        public Bytes<Void> bytes() {
            checkHeld();
            return buffer.chronicleView().bytes();
        }

        /**
         * Lets the memory go; if the buffer was closed or reclaimed meanwhile and this was its last
         * pin, the memory is freed now (and, after a close, the reservation released).
         *
         * @throws IllegalStateException if this pin was already closed
         */
        @Override
        public void close() {
            if (!RELEASED.compareAndSet(this, false, true)) {
                throw new IllegalStateException("the pin on " + buffer.describe() + " was already closed");
            }
            buffer.release();
        }

        private void checkHeld() {
            if (released) {
                throw new IllegalStateException("the pin on " + buffer.describe() + " is closed");
            }
        }

        @Override
        public String toString() {
            return "Pin[" + buffer + (released ? ", closed]" : "]");
        }
    }
}
