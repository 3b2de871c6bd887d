package org.jrcmgr.impl.observe.internal;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.jrcmgr.impl.limit.Limiter;
import org.jrcmgr.impl.observe.ObservedScope;
import org.jrcmgr.impl.observe.TraceEvent.TraceScope;
import org.jrcmgr.impl.observe.TraceEvent.Type;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * go-libp2p's trace file ({@code WithTrace}): gzip-compressed JSON lines, written by a background
 * thread, flushed every second and when the manager closes.
 *
 * <p>Unlike go-libp2p, the buffer is bounded: a ring of preallocated slots of primitives (and the
 * references the DAG already holds), so that recording an event on the reserving thread allocates
 * nothing. When the writer falls behind and the ring is full, the event is dropped and counted
 * rather than held in memory without end; the count is logged. The JSON is composed on the writer
 * thread, which writes about a million events a second (measured: 1.2 million with gzip's fastest
 * level against 0.5 million with its default); a node that records more than that for longer
 * than the ring lasts loses events, and says so.
 *
 * <p>The ring is Vyukov's bounded queue, specialised to one consumer: a producer claims a position
 * with one compare-and-set, fills the slot and publishes it by setting the slot's sequence; the
 * writer takes published slots in order and hands each back by advancing its sequence a lap.
 */
public final class FileTraceObserver extends TraceObserver {

    private static final Logger LOG = LoggerFactory.getLogger(FileTraceObserver.class);

    /** Slots in the default ring: about 3.5 MiB, a few tens of milliseconds of a busy node's events. */
    public static final int DEFAULT_CAPACITY = 1 << 15;

    /** go-libp2p's writer flushes once a second. */
    public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofSeconds(1);

    private static final long DROP_LOG_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    // The numeric fields of a slot, at slot * FIELDS + offset in values.
    private static final int PRIORITY = 0;
    private static final int DELTA = 1;
    private static final int DELTA_IN = 2;
    private static final int DELTA_OUT = 3;
    private static final int MEMORY = 4;
    private static final int STREAMS_IN = 5;
    private static final int STREAMS_OUT = 6;
    private static final int CONNS_IN = 7;
    private static final int CONNS_OUT = 8;
    private static final int FD = 9;
    private static final int FIELDS = 10;

    private final Path file;
    private final int capacity;
    private final int mask;
    private final long wakeMask;
    private final AtomicLongArray sequences;
    private final long[] times;
    private final Type[] types;
    private final ObservedScope[] scopes;
    private final Object[] limits;
    private final long[] values;

    private final AtomicLong head = new AtomicLong();
    private volatile long tail;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong written = new AtomicLong();

    private static final int SCOPE_CACHE = 256;
    /** Used by the writer thread only. */
    private final String[] cachedNames = new String[SCOPE_CACHE];
    private final TraceScope[] cachedScopes = new TraceScope[SCOPE_CACHE];

    private final LongSupplier epochNanos;
    private final long flushNanos;
    private final Writer out;
    private final Thread writer;
    /** Set by close() or a failed writer: later events are dropped at once, and the writer finishes. */
    private volatile boolean closing;
    private volatile IOException failure;

    private FileTraceObserver(Path file, int capacity, LongSupplier epochNanos, Duration flushInterval,
                              ThreadFactory threads, OutputStream sink) throws IOException {
        this.file = file;
        this.capacity = capacity;
        this.mask = capacity - 1;
        this.wakeMask = Math.max(1, capacity / 4) - 1;
        this.sequences = new AtomicLongArray(capacity);
        for (int i = 0; i < capacity; i++) {
            sequences.set(i, i);
        }
        this.times = new long[capacity];
        this.types = new Type[capacity];
        this.scopes = new ObservedScope[capacity];
        this.limits = new Object[capacity];
        this.values = new long[capacity * FIELDS];
        this.epochNanos = epochNanos;
        this.flushNanos = flushInterval.toNanos();
        this.out = new BufferedWriter(new OutputStreamWriter(new FastGzip(sink), StandardCharsets.UTF_8), 1 << 16);
        this.writer = threads.newThread(this::run);
    }

    /**
     * Opens (creating or truncating) {@code file} and starts the writer, after recording the
     * {@code start} event with {@code limiter}.
     *
     * @throws UncheckedIOException naming the file if it cannot be opened for writing
     */
    public static FileTraceObserver open(Path file, int capacity, Limiter limiter) {
        return open(file, capacity, limiter, systemEpochNanos(), DEFAULT_FLUSH_INTERVAL, FileTraceObserver::writerThread);
    }

    /** As {@link #open(Path, int, Limiter)}, with the clock, flush interval and writer thread chosen. */
    public static FileTraceObserver open(Path file, int capacity, Limiter limiter, LongSupplier epochNanos,
                                         Duration flushInterval, ThreadFactory threads) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(limiter, "limiter");
        Objects.requireNonNull(epochNanos, "epochNanos");
        Objects.requireNonNull(threads, "threads");
        if (flushInterval.isNegative() || flushInterval.isZero()) {
            throw new IllegalArgumentException("the flush interval must be positive, got " + flushInterval);
        }
        int slots = ringSize(capacity);
        OutputStream sink;
        try {
            sink = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE);
        } catch (IOException | RuntimeException e) {
            // go-libp2p swallows this and buffers forever; a trace asked for and not written is an error.
            throw new UncheckedIOException(new IOException("cannot open the resource manager trace file " + file
                    + ": " + e, e));
        }
        FileTraceObserver trace;
        try {
            trace = new FileTraceObserver(file, slots, epochNanos, flushInterval, threads, sink);
        } catch (IOException e) {
            closeQuietly(sink);
            throw new UncheckedIOException(new IOException("cannot write the resource manager trace file " + file
                    + ": " + e, e));
        }
        // The limiter's JSON is composed here, once: a limiter that cannot be written fails the
        // construction instead of the writer, and a limiter that changes later is traced as it started.
        trace.record(Type.START, null, new TraceJson.RawJson(TraceJson.limiterJson(limiter)), 0, 0, 0, 0, 0, 0, 0,
                0, 0, 0);
        trace.writer.start();
        return trace;
    }

    /** The ring's size for a requested capacity: a power of two, at least 2. */
    public static int ringSize(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("the trace buffer needs at least one slot, got " + capacity);
        }
        if (capacity > 1 << 24) {
            throw new IllegalArgumentException("the trace buffer may hold at most " + (1 << 24) + " events, got "
                    + capacity);
        }
        return Math.max(2, Integer.highestOneBit(capacity - 1) << 1);
    }

    /** Wall-clock nanoseconds since the epoch, read without allocating: the start's wall clock plus the monotonic clock since. */
    public static LongSupplier systemEpochNanos() {
        Instant now = Instant.now();
        long base = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        long origin = System.nanoTime();
        return () -> base + (System.nanoTime() - origin);
    }

    /** The writer's thread: a daemon, so that a manager never closed does not keep the JVM alive. */
    public static Thread writerThread(Runnable r) {
        Thread t = new Thread(r, "jrcmgr-trace-writer");
        t.setDaemon(true);
        return t;
    }

    /** The file written. */
    public Path file() {
        return file;
    }

    /** The number of events the ring holds. */
    public int capacity() {
        return capacity;
    }

    /** Events dropped because the ring was full (or the writer had stopped). */
    public long droppedEvents() {
        return dropped.get();
    }

    /** Events written to the file so far. */
    public long writtenEvents() {
        return written.get();
    }

    /** Why the writer stopped, if it failed. */
    public IOException failure() {
        return failure;
    }

    // ---- the reserving thread ------------------------------------------------------------------------

    @Override
    protected void record(Type type, ObservedScope scope, Object limit, int priority, long delta, long deltaIn,
                          long deltaOut, long memory, long streamsIn, long streamsOut, long connsIn, long connsOut,
                          long fd) {
        if (closing) {
            dropped.incrementAndGet();
            return;
        }
        long pos;
        int slot;
        for (;;) {
            pos = head.get();
            slot = (int) pos & mask;
            long lag = sequences.get(slot) - pos;
            if (lag == 0) {
                if (head.compareAndSet(pos, pos + 1)) {
                    break;
                }
            } else if (lag < 0) {
                // The writer has not taken this slot's previous lap yet: the ring is full.
                dropped.incrementAndGet();
                return;
            }
            // else another producer took the position; read head again
        }
        times[slot] = epochNanos.getAsLong();
        types[slot] = type;
        scopes[slot] = scope;
        limits[slot] = limit;
        int v = slot * FIELDS;
        values[v + PRIORITY] = priority;
        values[v + DELTA] = delta;
        values[v + DELTA_IN] = deltaIn;
        values[v + DELTA_OUT] = deltaOut;
        values[v + MEMORY] = memory;
        values[v + STREAMS_IN] = streamsIn;
        values[v + STREAMS_OUT] = streamsOut;
        values[v + CONNS_IN] = connsIn;
        values[v + CONNS_OUT] = connsOut;
        values[v + FD] = fd;
        // The release store publishes the plain writes above to the writer's acquire load.
        sequences.lazySet(slot, pos + 1);
        if ((pos & wakeMask) == wakeMask) {
            // The writer sleeps up to a second between flushes; a quarter of the ring wakes it early.
            LockSupport.unpark(writer);
        }
    }

    // ---- the writer thread -----------------------------------------------------------------------------

    private void run() {
        StringBuilder line = new StringBuilder(256);
        long nextFlush = System.nanoTime() + flushNanos;
        long droppedLogged = 0;
        long dropLoggedAt = System.nanoTime() - DROP_LOG_INTERVAL_NANOS;
        try {
            for (;;) {
                boolean last = closing;
                int n = drain(line);
                long now = System.nanoTime();
                if (now - nextFlush >= 0) {
                    out.flush();
                    nextFlush = now + flushNanos;
                    long d = dropped.get();
                    if (d > droppedLogged && now - dropLoggedAt >= DROP_LOG_INTERVAL_NANOS) {
                        LOG.warn("resource manager trace {}: dropped {} events so far, the writer cannot keep up"
                                + " with a buffer of {} events", file, d, capacity);
                        droppedLogged = d;
                        dropLoggedAt = now;
                    }
                }
                if (last && tail == head.get()) {
                    break;
                }
                if (n == 0) {
                    // Closing, with a producer between its claim and its publication: wait for it briefly.
                    LockSupport.parkNanos(this, last ? 100_000L : Math.max(1, nextFlush - now));
                }
            }
            out.close();
        } catch (IOException | RuntimeException e) {
            failure = e instanceof IOException io ? io : new IOException(e);
            LOG.error("resource manager trace {} failed; tracing stops", file, e);
            closeQuietly(out);
        } finally {
            closing = true;
            releaseReferences();
        }
    }

    /** Writes every published event; returns how many. */
    private int drain(StringBuilder line) throws IOException {
        int n = 0;
        long pos = tail;
        for (;;) {
            int slot = (int) pos & mask;
            if (sequences.get(slot) != pos + 1) {
                break;
            }
            long time = times[slot];
            Type type = types[slot];
            ObservedScope scope = scopes[slot];
            Object limit = limits[slot];
            int v = slot * FIELDS;
            long priority = values[v + PRIORITY];
            long delta = values[v + DELTA];
            long deltaIn = values[v + DELTA_IN];
            long deltaOut = values[v + DELTA_OUT];
            long memory = values[v + MEMORY];
            long streamsIn = values[v + STREAMS_IN];
            long streamsOut = values[v + STREAMS_OUT];
            long connsIn = values[v + CONNS_IN];
            long connsOut = values[v + CONNS_OUT];
            long fd = values[v + FD];
            // Let the scope go (it may be collected) and give the slot back before the slow part.
            scopes[slot] = null;
            limits[slot] = null;
            sequences.lazySet(slot, pos + capacity);
            pos++;
            tail = pos;

            line.setLength(0);
            String name = scope == null ? null : scope.name();
            TraceJson.appendEvent(line, Math.floorDiv(time, 1_000_000_000L), (int) Math.floorMod(time, 1_000_000_000L),
                    type, name == null ? null : scopeOf(name), name, limit, (int) priority, delta, deltaIn,
                    deltaOut, memory, streamsIn, streamsOut, connsIn, connsOut, fd);
            line.append('\n');
            out.append(line);
            written.incrementAndGet();
            n++;
        }
        return n;
    }

    /**
     * The scope object of {@code name}, from a small cache: an operation touches the same few scopes
     * over and over. Keyed by the name's identity, which each scope keeps for life; a name is a
     * few dozen bytes, so the cache holds on to nothing of consequence.
     */
    private TraceScope scopeOf(String name) {
        int i = System.identityHashCode(name) & (SCOPE_CACHE - 1);
        if (cachedNames[i] != name) {
            cachedNames[i] = name;
            cachedScopes[i] = TraceScope.of(name);
        }
        return cachedScopes[i];
    }

    private void releaseReferences() {
        Arrays.fill(scopes, null);
        Arrays.fill(limits, null);
    }

    // ---- closing ---------------------------------------------------------------------------------------

    /** The manager is closed: write what is buffered, finish the gzip stream and close the file. */
    @Override
    public void managerClosed() {
        close();
    }

    /**
     * Writes every event recorded so far, finishes the file and stops the writer. Waits for the
     * writer; idempotent. Events recorded afterwards are dropped.
     */
    public void close() {
        closing = true;
        LockSupport.unpark(writer);
        boolean interrupted = false;
        while (writer.isAlive()) {
            try {
                writer.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        long d = dropped.get();
        if (d > 0) {
            LOG.warn("resource manager trace {}: {} events were dropped in all, because the buffer of {} events was"
                    + " full", file, d, capacity);
        }
    }

    /**
     * gzip at the fastest level, sync-flushing. The writer must keep up with the node or drop
     * events, and trace lines, alike from one to the next, compress well even so; go-libp2p's
     * tools read any level. Sync flushing lets what is flushed each second be read while the node runs.
     */
    private static final class FastGzip extends GZIPOutputStream {
        FastGzip(OutputStream sink) throws IOException {
            super(sink, 1 << 16, true);
            def.setLevel(Deflater.BEST_SPEED);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // Already failing: the first error is the one reported.
        }
    }

    @Override
    public String toString() {
        return "trace file " + file;
    }
}
