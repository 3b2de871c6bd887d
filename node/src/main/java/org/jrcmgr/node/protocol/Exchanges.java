package org.jrcmgr.node.protocol;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import org.jrcmgr.ProtocolId;
import org.jrcmgr.ReservationPriority;
import org.jrcmgr.ResourceLimitExceededException;
import org.jrcmgr.node.ErrorCodes;
import org.jrcmgr.node.PeerConnection;
import org.jrcmgr.node.PeerStream;
import org.jrcmgr.node.Reason;
import org.jrcmgr.node.StreamHandler;
import org.jrcmgr.node.StreamResetException;
import org.jrcmgr.offheap.NativeBuffer;

/**
 * The opener's side of each protocol: one stream, one exchange. Each returned future completes with
 * what was exchanged, or fails with a {@link StreamResetException} (refused before acceptance, or
 * reset after, with the reason the refusing side sent: error code, refusing scope, resource) or
 * with an {@link IllegalStateException} if the reply was wrong.
 */
public final class Exchanges {

    /** What the bulk sender writes per step; the next step waits until this one is on the socket. */
    private static final int BULK_STEP = 256 * 1024;

    /**
     * What one exchange did.
     *
     * @param protocol the protocol
     * @param sent     bytes sent
     * @param received bytes received
     */
    public record Result(ProtocolId protocol, long sent, long received) {
    }

    /**
     * The parameters of exchanges.
     *
     * @param echoBytes    bytes an echo exchange sends
     * @param bulkBytes    bytes a bulk exchange sends
     * @param bulkPriority the priority the bulk receiver reserves its chunks at
     * @param slowHold     how long a slow exchange asks the receiver to hold the stream
     */
    public record Settings(int echoBytes, long bulkBytes, ReservationPriority bulkPriority, Duration slowHold) {

        /** 1 KiB echoes, 1 MiB bulk at {@link ReservationPriority#MEDIUM}, 2 s slow holds. */
        public static final Settings DEFAULT = new Settings(1024, 1L << 20, ReservationPriority.MEDIUM,
                Duration.ofSeconds(2));

        /** @throws IllegalArgumentException if a size is negative */
        public Settings {
            Objects.requireNonNull(bulkPriority, "bulkPriority");
            Objects.requireNonNull(slowHold, "slowHold");
            if (echoBytes < 0 || bulkBytes < 0 || slowHold.isNegative()) {
                throw new IllegalArgumentException("negative exchange size");
            }
        }
    }

    private Exchanges() {
    }

    /** Runs one exchange of {@code protocol} with {@code settings}. */
    public static CompletableFuture<Result> run(PeerConnection conn, ProtocolId protocol, Settings settings) {
        return run(conn, protocol, settings, s -> { });
    }

    /**
     * Runs one exchange of {@code protocol} with {@code settings}, telling {@code onAccepted} when the
     * remote has accepted the stream (a refused stream never gets there).
     */
    public static CompletableFuture<Result> run(PeerConnection conn, ProtocolId protocol, Settings settings,
                                                Consumer<PeerStream> onAccepted) {
        if (protocol.equals(Protocols.ECHO)) {
            return echo(conn, settings.echoBytes(), onAccepted);
        }
        if (protocol.equals(Protocols.BULK)) {
            return bulk(conn, settings.bulkBytes(), settings.bulkPriority(), onAccepted);
        }
        if (protocol.equals(Protocols.SLOW)) {
            return slow(conn, settings.slowHold(), onAccepted);
        }
        // Any other protocol: open it and close it; the remote's answer (most likely a refusal) is the result.
        Collector collector = new Collector(false);
        return conn.openStream(protocol, collector).thenCompose(s -> {
            onAccepted.accept(s);
            s.closeWrite();
            return s.closed().thenApply(reason -> result(protocol, 0, collector, reason));
        });
    }

    /** Sends {@code size} bytes on {@code /echo/1.0.0} and checks that the same bytes come back. */
    public static CompletableFuture<Result> echo(PeerConnection conn, int size) {
        return echo(conn, size, s -> { });
    }

    private static CompletableFuture<Result> echo(PeerConnection conn, int size, Consumer<PeerStream> onAccepted) {
        Collector collector = new Collector(true);
        return conn.openStream(Protocols.ECHO, collector).thenCompose(s -> {
            onAccepted.accept(s);
            byte[] payload = new byte[size];
            for (int i = 0; i < size; i++) {
                payload[i] = pattern(i);
            }
            CompletableFuture<Void> written = s.write(payload);
            if (!failedLocally(s, written)) {
                s.closeWrite();
            }
            return s.closed().thenApply(reason -> {
                Result r = result(Protocols.ECHO, size, collector, reason);
                if (collector.corrupt || collector.received != size) {
                    throw new IllegalStateException("echo returned " + collector.received + " of " + size
                            + " bytes" + (collector.corrupt ? ", corrupted" : ""));
                }
                return r;
            });
        });
    }

    /**
     * Sends {@code size} bytes on {@code /bulk/1.0.0}, asking the receiver to keep them at
     * {@code priority}, and checks the total it reports.
     */
    public static CompletableFuture<Result> bulk(PeerConnection conn, long size, ReservationPriority priority) {
        return bulk(conn, size, priority, s -> { });
    }

    private static CompletableFuture<Result> bulk(PeerConnection conn, long size, ReservationPriority priority,
                                                  Consumer<PeerStream> onAccepted) {
        Collector collector = new Collector(false);
        return conn.openStream(Protocols.BULK, collector).thenCompose(s -> {
            onAccepted.accept(s);
            byte[] step = new byte[(int) Math.min(BULK_STEP, Math.max(1, size))];
            for (int i = 0; i < step.length; i++) {
                step[i] = pattern(i);
            }
            CompletableFuture<Void> sent = s.write(new byte[] {(byte) priority.value()})
                    .thenCompose(v -> sendSteps(s, size, step));
            return sent.handle((v, e) -> e).thenCompose(e -> {
                if (e == null) {
                    s.closeWrite();
                } else {
                    failedLocally(s, CompletableFuture.failedFuture(unwrap(e)));
                }
                return s.closed().thenApply(reason -> {
                    Result r = result(Protocols.BULK, size, collector, reason);
                    long total = collector.received >= 8 ? ByteBuffer.wrap(collector.head).getLong() : -1;
                    if (total != size) {
                        throw new IllegalStateException("bulk receiver counted " + total + " of " + size + " bytes");
                    }
                    return r;
                });
            });
        });
    }

    /** Asks {@code /slow/1.0.0} to hold a stream for {@code hold}, and waits for its one-byte reply. */
    public static CompletableFuture<Result> slow(PeerConnection conn, Duration hold) {
        return slow(conn, hold, s -> { });
    }

    private static CompletableFuture<Result> slow(PeerConnection conn, Duration hold, Consumer<PeerStream> onAccepted) {
        Collector collector = new Collector(false);
        return conn.openStream(Protocols.SLOW, collector).thenCompose(s -> {
            onAccepted.accept(s);
            byte[] request = ByteBuffer.allocate(4).putInt((int) Math.min(hold.toMillis(), 0xFFFF_FFFFL)).array();
            CompletableFuture<Void> written = s.write(request);
            if (!failedLocally(s, written)) {
                s.closeWrite();
            }
            return s.closed().thenApply(reason -> {
                Result r = result(Protocols.SLOW, 4, collector, reason);
                if (collector.received != 1) {
                    throw new IllegalStateException("slow replied " + collector.received + " bytes instead of 1");
                }
                return r;
            });
        });
    }

    private static CompletableFuture<Void> sendSteps(PeerStream s, long remaining, byte[] step) {
        if (remaining <= 0) {
            return CompletableFuture.completedFuture(null);
        }
        int n = (int) Math.min(step.length, remaining);
        return s.write(ByteBuffer.wrap(step, 0, n)).thenCompose(v -> sendSteps(s, remaining - n, step));
    }

    /** A write this node's own scopes refused resets the stream, naming the refusal. */
    private static boolean failedLocally(PeerStream s, CompletableFuture<Void> written) {
        if (!written.isCompletedExceptionally()) {
            return false;
        }
        Throwable e = unwrap(written.handle((v, t) -> t).join());
        if (e instanceof ResourceLimitExceededException refused) {
            s.reset(Reason.refusal(refused, ErrorCodes.STREAM_RESOURCE_LIMIT_EXCEEDED));
        } else if (!(e instanceof StreamResetException)) {
            s.reset(Reason.of(ErrorCodes.STREAM_PROTOCOL_VIOLATION, Reason.INTERNAL, String.valueOf(e)));
        }
        return true;
    }

    private static Result result(ProtocolId protocol, long sent, Collector collector, Reason reason) {
        if (!reason.isNormal()) {
            throw new StreamResetException(reason, false);
        }
        return new Result(protocol, sent, collector.received);
    }

    /** The byte at {@code offset} of every payload the exchanges send. */
    static byte pattern(long offset) {
        return (byte) (offset * 31 + 7);
    }

    /** The cause a future failed with, without the CompletionException around it. */
    public static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** Counts (and for echo checks) what comes back; keeps the first 16 bytes for replies. */
    private static final class Collector implements StreamHandler {
        private final boolean verifyEcho;
        private final byte[] head = new byte[16];
        private volatile long received;
        private volatile boolean corrupt;

        Collector(boolean verifyEcho) {
            this.verifyEcho = verifyEcho;
        }

        @Override
        public void onData(PeerStream stream, NativeBuffer data) {
            try {
                ByteBuffer in = data.byteBuffer();
                long offset = received;
                while (in.hasRemaining()) {
                    byte b = in.get();
                    if (verifyEcho && b != pattern(offset)) {
                        corrupt = true;
                    }
                    if (offset < head.length) {
                        head[(int) offset] = b;
                    }
                    offset++;
                }
                received = offset;
            } finally {
                data.close();
            }
        }
    }
}
