package org.jrcmgr.node.storm;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jrcmgr.ProtocolId;
import org.jrcmgr.node.ConnectionRefusedException;
import org.jrcmgr.node.Node;
import org.jrcmgr.node.PeerConnection;
import org.jrcmgr.node.Reason;
import org.jrcmgr.node.StreamResetException;
import org.jrcmgr.node.protocol.Exchanges;

/**
 * Runs a storm from a node: all connections dialled at once, all streams of a connection opened at
 * once as soon as it is established, each stream one exchange of its protocol; bounded by the
 * configured counts and duration, after which everything still open is closed. See
 * {@link StormConfig} and {@link StormReport}.
 */
public final class Storm {

    /** How long closing the storm's connections may take once it is over. */
    private static final long CLOSE_GRACE_MILLIS = 5_000;

    private Storm() {
    }

    /** Runs {@code config} from {@code dialer} and reports what happened. */
    public static StormReport run(Node dialer, StormConfig config) throws InterruptedException {
        return run(dialer, config, new StormReport());
    }

    /**
     * The attempts still running. At the deadline the storm's own thread fails each with a timeout
     * (so it is counted as one) before it closes any connection: a stream is never counted as
     * "closed" because the storm itself closed its connection.
     */
    private static final class Pending {
        private final List<CompletableFuture<?>> futures = new ArrayList<>();
        private boolean expired;

        /** A copy of {@code f} that the deadline fails; {@code f} itself is left alone. */
        synchronized <T> CompletableFuture<T> bounded(CompletableFuture<T> f) {
            CompletableFuture<T> copy = f.copy();
            if (expired) {
                copy.completeExceptionally(new TimeoutException());
            } else {
                futures.add(copy);
            }
            return copy;
        }

        void expire() {
            List<CompletableFuture<?>> all;
            synchronized (this) {
                expired = true;
                all = new ArrayList<>(futures);
                futures.clear();
            }
            for (CompletableFuture<?> f : all) {
                f.completeExceptionally(new TimeoutException());
            }
        }
    }

    /**
     * Runs {@code config} from {@code dialer}, counting into {@code report} as it goes (so another
     * thread can watch the counts), and returns it.
     */
    public static StormReport run(Node dialer, StormConfig config, StormReport report) throws InterruptedException {
        return run(List.of(dialer), config, report);
    }

    /**
     * Runs {@code config} from several dialers, connection {@code i} from {@code dialers[i % size]}:
     * each dialer is a peer of its own, so the target's per-peer limits see many peers.
     */
    public static StormReport run(List<Node> dialers, StormConfig config, StormReport report)
            throws InterruptedException {
        if (dialers.isEmpty()) {
            throw new IllegalArgumentException("a storm needs at least one dialer");
        }
        long start = System.nanoTime();
        long deadline = start + config.duration().toNanos();
        Set<PeerConnection> open = ConcurrentHashMap.newKeySet();
        Pending pending = new Pending();
        List<CompletableFuture<Void>> finished = new ArrayList<>(config.conns());
        for (int i = 0; i < config.conns(); i++) {
            InetSocketAddress target = config.targets().get(i % config.targets().size());
            CompletableFuture<Void> done = new CompletableFuture<>();
            finished.add(done);
            report.connAttempted();
            CompletableFuture<PeerConnection> dial = dialers.get(i % dialers.size()).dial(target);
            int connIndex = i;
            pending.bounded(dial).whenComplete((conn, e) -> {
                if (e != null) {
                    classifyConnection(report, e);
                    // A dial finishing after the deadline must not leave a connection behind.
                    dial.thenAccept(late -> late.close(Reason.NORMAL_CLOSE));
                    done.complete(null);
                    return;
                }
                report.connAdmitted();
                open.add(conn);
                runStreams(conn, connIndex, config, report, pending)
                        .thenCompose(v -> untilHoldEnds(start, config, deadline))
                        .thenCompose(v -> conn.close(Reason.NORMAL_CLOSE))
                        .whenComplete((v, x) -> {
                            open.remove(conn);
                            done.complete(null);
                        });
            });
        }
        boolean deadlineReached = false;
        try {
            CompletableFuture.allOf(finished.toArray(new CompletableFuture<?>[0]))
                    .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            deadlineReached = true;
        } catch (ExecutionException e) {
            throw new IllegalStateException("storm bookkeeping failed", e.getCause());
        }
        // Past the deadline: unfinished attempts are counted as timeouts first, then what is still
        // open is closed.
        pending.expire();
        List<CompletableFuture<Reason>> closing = new ArrayList<>();
        for (PeerConnection conn : open) {
            closing.add(conn.close(Reason.NORMAL_CLOSE));
        }
        try {
            CompletableFuture.allOf(closing.toArray(new CompletableFuture<?>[0]))
                    .get(CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
            CompletableFuture.allOf(finished.toArray(new CompletableFuture<?>[0]))
                    .get(CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // Counted already; the node's own close ends whatever is left.
        }
        report.finished(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), deadlineReached);
        return report;
    }

    private static CompletableFuture<Void> runStreams(PeerConnection conn, int connIndex, StormConfig config,
                                                      StormReport report, Pending pending) {
        List<CompletableFuture<?>> exchanges = new ArrayList<>(config.streams());
        for (int k = 0; k < config.streams(); k++) {
            report.streamAttempted();
            ProtocolId protocol = config.protocols().get((connIndex * config.streams() + k) % config.protocols().size());
            CompletableFuture<Exchanges.Result> exchange = Exchanges.run(conn, protocol, config.settings(),
                    s -> report.streamAdmitted());
            exchanges.add(pending.bounded(exchange).handle((r, e) -> {
                classifyStream(report, e);
                return null;
            }));
        }
        return CompletableFuture.allOf(exchanges.toArray(new CompletableFuture<?>[0]));
    }

    private static CompletableFuture<Void> untilHoldEnds(long start, StormConfig config, long deadline) {
        long until = Math.min(start + config.hold().toNanos(), deadline);
        long wait = until - System.nanoTime();
        if (wait <= 0) {
            return CompletableFuture.completedFuture(null);
        }
        return CompletableFuture.runAsync(() -> { },
                CompletableFuture.delayedExecutor(wait, TimeUnit.NANOSECONDS));
    }

    private static void classifyConnection(StormReport report, Throwable e) {
        Throwable t = Exchanges.unwrap(e);
        if (t instanceof ConnectionRefusedException refused) {
            Reason r = refused.reason();
            if (r.isRefusal()) {
                report.connRefused(r.key(), r.message());
            } else {
                report.connFailed(r.key(), r.message());
            }
        } else if (t instanceof TimeoutException) {
            report.connFailed(Reason.TIMEOUT, "not established before the storm's deadline");
        } else {
            report.connFailed("error", String.valueOf(t));
        }
    }

    private static void classifyStream(StormReport report, Throwable e) {
        if (e == null) {
            report.streamCompleted();
            return;
        }
        Throwable t = Exchanges.unwrap(e);
        if (t instanceof StreamResetException reset) {
            Reason r = reset.reason();
            if (reset.beforeAccept() && (r.isRefusal() || Reason.PROTOCOL.equals(r.category()))) {
                report.streamRefused(r.key(), r.message());
            } else if (Reason.CLOSED.equals(r.category()) || Reason.SHUTDOWN.equals(r.category())) {
                report.streamFailed(r.key(), r.message());
            } else if (reset.beforeAccept()) {
                report.streamFailed(r.key(), r.message());
            } else {
                report.streamReset(r.key(), r.message());
            }
        } else if (t instanceof TimeoutException) {
            report.streamFailed(Reason.TIMEOUT, "not finished before the storm's deadline");
        } else if (t instanceof IllegalStateException) {
            report.streamFailed("bad-reply", String.valueOf(t.getMessage()));
        } else {
            report.streamFailed("error", String.valueOf(t));
        }
    }
}
