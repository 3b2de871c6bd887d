package org.jrcmgr.impl;

import org.jrcmgr.impl.observe.ScopeObserver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.function.LongSupplier;
import org.jrcmgr.Multiaddr;
import org.jrcmgr.ResourceManager;
import org.jrcmgr.impl.limit.ConcreteLimitConfig;
import org.jrcmgr.impl.limit.DefaultLimits;
import org.jrcmgr.impl.limit.FixedLimiter;
import org.jrcmgr.impl.limit.Limiter;
import org.jrcmgr.impl.limit.SystemBudget;
import org.jrcmgr.impl.scope.DefaultResourceManager;
import org.jrcmgr.impl.observe.TraceEvent;
import org.jrcmgr.impl.observe.TraceReporter;
import org.jrcmgr.impl.observe.internal.FileTraceObserver;
import org.jrcmgr.impl.observe.internal.FlightRecorderObserver;
import org.jrcmgr.impl.observe.internal.RefusalSummary;
import org.jrcmgr.impl.observe.internal.ReporterTraceObserver;
import org.jrcmgr.impl.net.Allowlist;
import org.jrcmgr.impl.net.ConnLimiterConfig;
import org.jrcmgr.impl.net.ConnRateLimiterConfig;
import org.jrcmgr.impl.scope.ManagerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the default {@link ResourceManager}.
 *
 * <pre>{@code
 * ConcreteLimitConfig limits = DefaultLimits.defaults().scale(1L << 30, 4096);
 * try (ResourceManager rm = ResourceManagerBuilder.create().limits(limits).build()) {
 *     ...
 * }
 * }</pre>
 *
 * Without limits the manager scales go-libp2p's defaults to this machine
 * ({@link org.jrcmgr.impl.limit.ScalingLimitConfig#autoScale()}).
 */
public final class ResourceManagerBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(ResourceManagerBuilder.class);

    /** go-libp2p collects idle peer and protocol scopes once a minute. */
    public static final Duration DEFAULT_COLLECT_INTERVAL = Duration.ofMinutes(1);

    private Limiter limiter;
    private Duration collectInterval = DEFAULT_COLLECT_INTERVAL;
    private boolean shadowMode;
    private Allowlist allowlist = new Allowlist();
    private ConnLimiterConfig connLimits = ConnLimiterConfig.defaults();
    private ConnRateLimiterConfig connRateLimits = ConnRateLimiterConfig.defaults();
    private final List<ScopeObserver> observers = new ArrayList<>();
    private final List<TraceReporter> traceReporters = new ArrayList<>();
    private Path traceFile;
    private int traceBufferEvents = FileTraceObserver.DEFAULT_CAPACITY;
    private Duration refusalSummary = RefusalSummary.DEFAULT_INTERVAL;
    private boolean flightRecorder = true;
    private LintMode lintMode = LintMode.WARN;
    private List<Multiaddr> staticPeers = List.of();
    /** Where build() reports findings; tests replace it to count what would be logged. */
    private Consumer<LintFinding> lintLog = PolicyLint::log;

    private ResourceManagerBuilder() {
    }

    /** A builder with the defaults. */
    public static ResourceManagerBuilder create() {
        return new ResourceManagerBuilder();
    }

    /** Fixed limits for every scope. */
    public ResourceManagerBuilder limits(ConcreteLimitConfig limits) {
        this.limiter = new FixedLimiter(Objects.requireNonNull(limits, "limits"));
        return this;
    }

    /** A limiter of your own, asked for a scope's limits when the scope is created. */
    public ResourceManagerBuilder limiter(Limiter limiter) {
        this.limiter = Objects.requireNonNull(limiter, "limiter");
        return this;
    }

    /**
     * How often idle peer and protocol scopes are collected; {@code null} turns collection off
     * (their scopes then live as long as the manager).
     */
    public ResourceManagerBuilder collectInterval(Duration interval) {
        if (interval != null && (interval.isNegative() || interval.isZero())) {
            throw new IllegalArgumentException("the collection interval must be positive, got " + interval);
        }
        this.collectInterval = interval;
        return this;
    }

    /**
     * Shadow mode for the whole manager: no scope refuses anything, and every reservation that a
     * scope's limit would have refused is counted and kept in {@link ResourceManager#recentRefusals()}
     * as a shadow refusal, with the same detail as a real one. Run a node like this to size limits
     * from real traffic before enforcing them. A single scope can be put in shadow mode at run time
     * through {@link org.jrcmgr.ResourceScopeLimiter#setShadow}.
     *
     * <p>The address limits are not scope limits and stay enforced: they protect the node before
     * any scope is involved. To observe traffic without them too, lift them with
     * {@link #connLimits} and {@link #connRateLimits}.
     */
    public ResourceManagerBuilder shadowMode(boolean shadow) {
        this.shadowMode = shadow;
        return this;
    }

    // ---- observability -----------------------------------------------------------------------------

    /**
     * Adds an observer told of every event of the scope DAG and of every admission outcome (the
     * per-scope events of go-libp2p's trace and the callbacks of its {@code MetricsReporter}; see
     * {@link ScopeObserver}). Several may be added; each is isolated from the others and from the
     * reservations: one that throws is logged, not propagated. The manager calls
     * {@link ScopeObserver#managerClosed()} when it is closed.
     *
     * @param observer the observer
     * @return this builder
     */
    public ResourceManagerBuilder observer(ScopeObserver observer) {
        observers.add(Objects.requireNonNull(observer, "observer"));
        return this;
    }

    /**
     * Writes go-libp2p's trace to {@code file} ({@code WithTrace}): every event of every scope, as
     * gzip-compressed JSON lines in go's format, so go-libp2p's tools read it. The file is created
     * or truncated by {@link #build()}, which fails if it cannot be opened. A background thread
     * writes it and flushes it every second; {@link ResourceManager#close()} writes what remains
     * and finishes the file, so close the manager. Events are buffered in a ring of
     * 32768 events; should the
     * writer fall behind, events are dropped and counted (and the count logged) rather than
     * buffered without bound. Recording an event allocates nothing.
     *
     * @param file where to write, or null for no trace file
     * @return this builder
     */
    public ResourceManagerBuilder trace(Path file) {
        return trace(file, FileTraceObserver.DEFAULT_CAPACITY);
    }

    /**
     * As {@link #trace(Path)}, with a buffer of {@code bufferEvents} events (rounded up to a power
     * of two).
     *
     * @param file         where to write, or null for no trace file
     * @param bufferEvents how many events the buffer holds before it drops them, 1 to 2^24
     * @return this builder
     * @throws IllegalArgumentException if {@code bufferEvents} is out of range
     */
    public ResourceManagerBuilder trace(Path file, int bufferEvents) {
        FileTraceObserver.ringSize(bufferEvents);
        this.traceFile = file;
        this.traceBufferEvents = bufferEvents;
        return this;
    }

    /**
     * Hands every trace event to {@code reporter} ({@code WithTraceReporter}), synchronously, as a
     * {@link TraceEvent}, starting with the {@code start} event when the manager is built. Several
     * may be added, and a trace file as well.
     *
     * @param reporter the reporter
     * @return this builder
     */
    public ResourceManagerBuilder traceReporter(TraceReporter reporter) {
        traceReporters.add(Objects.requireNonNull(reporter, "reporter"));
        return this;
    }

    /**
     * Logs a summary of refusals at most once per {@code interval} (default one minute) to the
     * SLF4J logger {@code org.jrcmgr.rcmgr}: "refused 12 reservations in the last minute (3 in
     * shadow mode), top scopes: peer:12D3KooW... (7), transient (4), ..." at WARN, or at INFO when
     * shadow mode let every one of them through. Individual refusals stay at debug, as in
     * go-libp2p.
     *
     * @param interval the shortest time between two summaries, or null for no summary
     * @return this builder
     * @throws IllegalArgumentException if {@code interval} is zero or negative
     */
    public ResourceManagerBuilder refusalSummary(Duration interval) {
        if (interval != null && (interval.isNegative() || interval.isZero())) {
            throw new IllegalArgumentException("the summary interval must be positive, got " + interval);
        }
        this.refusalSummary = interval;
        return this;
    }

    /**
     * Whether refusals are reported to JDK Flight Recorder as
     * {@value org.jrcmgr.impl.observe.FlightRecorderEvents#REFUSAL} events (default: yes). Either
     * way, a recording decides whether it takes them; while none does, a refusal costs one check.
     *
     * @param enabled whether to report refusals
     * @return this builder
     */
    public ResourceManagerBuilder flightRecorder(boolean enabled) {
        this.flightRecorder = enabled;
        return this;
    }

    /**
     * Trusted endpoints: when the ordinary system or transient scope has no room for a connection
     * from an address in the allowlist, it is admitted into the allowlisted scopes instead, so a
     * flood cannot lock out the peers you rely on (go-libp2p's {@code WithAllowlistedMultiaddrs}).
     * Keep the reference to add or remove entries while the manager runs. Unconstrained entries
     * present at build time also get the allowlisted system's connection count in the
     * per-address limits, unless {@link #connLimits} names their network already.
     */
    public ResourceManagerBuilder allowlist(Allowlist allowlist) {
        this.allowlist = Objects.requireNonNull(allowlist, "allowlist");
        return this;
    }

    /**
     * Limits on concurrent connections per subnet and network prefix (go-libp2p's
     * {@code WithLimitPerSubnet} and {@code WithNetworkPrefixLimit}); the default is go-libp2p's:
     * 8 per IPv4 address, 8 per IPv6 /56 and 64 per /48, loopback exempt.
     */
    public ResourceManagerBuilder connLimits(ConnLimiterConfig limits) {
        this.connLimits = Objects.requireNonNull(limits, "limits");
        return this;
    }

    /**
     * Limits on the rate of new connections (go-libp2p's {@code WithConnRateLimiters}); the default
     * is go-libp2p's, see {@link ConnRateLimiterConfig#defaults()}.
     */
    public ResourceManagerBuilder connRateLimits(ConnRateLimiterConfig limits) {
        this.connRateLimits = Objects.requireNonNull(limits, "limits");
        return this;
    }

    // ---- policy lint -------------------------------------------------------------------------------

    /**
     * Addresses this node must always be able to reach (bootstrap or relay nodes, say), with
     * {@code /p2p/PEER} where known. They change nothing in how connections are admitted; the
     * {@linkplain PolicyLint policy lint} checks that the per-address connection limits would not
     * refuse some of them, and suggests allowlisting those that are not.
     *
     * @param peers the addresses; replaces any given before
     * @return this builder
     * @throws NullPointerException if {@code peers} or an address is null
     */
    public ResourceManagerBuilder staticPeers(Collection<Multiaddr> peers) {
        this.staticPeers = List.copyOf(Objects.requireNonNull(peers, "peers"));
        return this;
    }

    /**
     * What {@link #build()} does with the {@linkplain PolicyLint policy lint}: {@link LintMode#WARN}
     * (the default) logs every finding once; {@link LintMode#FAIL} logs them too and refuses to
     * build when one is an error; {@link LintMode#OFF} skips the check.
     *
     * @param mode the mode
     * @return this builder
     * @throws NullPointerException if {@code mode} is null
     */
    public ResourceManagerBuilder lintMode(LintMode mode) {
        this.lintMode = Objects.requireNonNull(mode, "mode");
        return this;
    }

    /**
     * Checks this builder's configuration as {@link #build()} would, whatever the
     * {@linkplain #lintMode lint mode}, and logs nothing: the limits (without limits set, go-libp2p's
     * defaults scaled to this machine's {@link SystemBudget#detect() budget}), the allowlist as it is
     * now, the per-address connection limits and the {@linkplain #staticPeers static peers}. See
     * {@link PolicyLint} for what is checked.
     *
     * @return the findings, errors first
     */
    public List<LintFinding> lint() {
        Limiter l = limiter != null ? limiter : new FixedLimiter(DefaultLimits.defaults().scale(SystemBudget.detect()));
        return PolicyLint.check(l, allowlist, connLimits, staticPeers);
    }

    /** For tests: where {@link #build()} reports each finding instead of the log. */
    ResourceManagerBuilder lintLog(Consumer<LintFinding> log) {
        this.lintLog = Objects.requireNonNull(log, "log");
        return this;
    }

    /** Runs the lint as the mode says: before anything is started, so that a refusal leaves nothing behind. */
    private void lintAtBuild(Limiter l) {
        if (lintMode == LintMode.OFF) {
            return;
        }
        List<LintFinding> findings = PolicyLint.check(l, allowlist, connLimits, staticPeers);
        findings.forEach(lintLog);
        List<LintFinding> errors = findings.stream()
                .filter(f -> f.severity() == LintFinding.Severity.ERROR)
                .collect(Collectors.toList());
        if (lintMode == LintMode.FAIL && !errors.isEmpty()) {
            throw new IllegalStateException("the policy lint found " + errors.size() + " error"
                    + (errors.size() == 1 ? "" : "s") + " in the configuration (lintMode FAIL):"
                    + errors.stream().map(f -> "\n  " + f).collect(Collectors.joining()));
        }
    }

    /**
     * The manager. Close it when done: it runs a background collector and, with a trace file, a
     * writer that closing flushes.
     *
     * <p>First the configuration is checked by the {@linkplain PolicyLint policy lint}, as
     * {@link #lintMode} says: each finding is logged once, at error, warn or info level.
     *
     * @throws java.io.UncheckedIOException if the trace file cannot be opened
     * @throws IllegalStateException if the lint mode is {@link LintMode#FAIL} and the lint found
     *     errors; the message lists them
     */
    public ResourceManager build() {
        Limiter l = limiter != null ? limiter : new FixedLimiter(DefaultLimits.defaults().autoScale());
        lintAtBuild(l);
        ScopeObserver observer = observers(l);
        try {
            return new DefaultResourceManager(new ManagerConfig(l, collectInterval, shadowMode, observer, allowlist,
                    connLimits, connRateLimits));
        } catch (RuntimeException | Error e) {
            // The trace writer was started for a manager that never was.
            observer.managerClosed();
            throw e;
        }
    }

    /**
     * Everyone to tell. The traces record their start event here, before the manager creates its
     * first scope; the trace file goes first so that it sees each event before anyone else can
     * take time over it.
     */
    private ScopeObserver observers(Limiter l) {
        List<ScopeObserver> all = new ArrayList<>();
        LongSupplier clock = FileTraceObserver.systemEpochNanos();
        for (TraceReporter reporter : traceReporters) {
            ReporterTraceObserver trace = new ReporterTraceObserver(reporter, clock);
            try {
                trace.start(l);
            } catch (RuntimeException e) {
                LOG.warn("trace reporter {} failed on the start event", reporter, e);
            }
            all.add(trace);
        }
        if (flightRecorder) {
            all.add(FlightRecorderObserver.INSTANCE);
        }
        if (refusalSummary != null) {
            all.add(RefusalSummary.toLog(refusalSummary));
        }
        all.addAll(observers);
        if (traceFile != null) {
            // Opened last: nothing else needs closing should it fail.
            all.add(0, FileTraceObserver.open(traceFile, traceBufferEvents, l, clock,
                    FileTraceObserver.DEFAULT_FLUSH_INTERVAL, FileTraceObserver::writerThread));
        }
        return ScopeObserver.composite(all);
    }
}
