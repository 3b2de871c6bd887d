package org.jrcmgr.impl.observe;

import java.time.Instant;
import java.util.Objects;
import org.jrcmgr.Limit;
import org.jrcmgr.impl.limit.Limiter;
import org.jrcmgr.impl.observe.internal.TraceJson;

/**
 * One event of go-libp2p's resource manager trace ({@code TraceEvt}, reference 6.1), as a
 * {@link TraceReporter} receives it and as the trace file holds it, one {@link #toJson()} a line.
 * Every scope an operation touches gets its own event, so one reservation by a stream with six
 * edges makes seven {@code reserve_memory} events.
 *
 * <p>Which fields an event carries depends on its {@link #type()}; the others are zero or null
 * and are left out of the JSON, as go leaves them out ({@code omitempty}):
 *
 * <table>
 * <caption>fields by event type</caption>
 * <tr><th>type</th><th>fields</th></tr>
 * <tr><td>{@code start}</td><td>{@link #limiter()}</td></tr>
 * <tr><td>{@code create_scope}</td><td>{@link #scope()}, {@link #name()}, {@link #limit()}</td></tr>
 * <tr><td>{@code destroy_scope}</td><td>scope, name</td></tr>
 * <tr><td>{@code reserve_memory}, {@code block_reserve_memory}</td><td>scope, name, {@link #priority()},
 *     {@link #delta()} (the size asked), {@link #memory()} (held now)</td></tr>
 * <tr><td>{@code release_memory}</td><td>scope, name, delta (minus the size), memory</td></tr>
 * <tr><td>{@code add_stream}, {@code block_add_stream}, {@code remove_stream}</td><td>scope, name,
 *     {@link #deltaIn()}, {@link #deltaOut()} (negative on removal), {@link #streamsIn()},
 *     {@link #streamsOut()}</td></tr>
 * <tr><td>{@code add_conn}, {@code block_add_conn}, {@code remove_conn}</td><td>scope, name, deltaIn,
 *     deltaOut, delta (descriptors), {@link #connsIn()}, {@link #connsOut()}, {@link #fd()}</td></tr>
 * </table>
 *
 * <p>The {@code block_*} events are reported by the scope that refused, with what it held then;
 * refusals that shadow mode let through are not blocks and are not traced.
 *
 * @param time      when it happened
 * @param type      what happened
 * @param scope     the scope it happened in, split into go's classes and ids; null for {@code start}
 * @param name      the scope's name ({@code peer:12D3KooW...}, {@code conn-17.span-1}); null for {@code start}
 * @param limit     the scope's limits, for {@code create_scope}; else null
 * @param limiter   the manager's limiter, for {@code start}; else null
 * @param priority  the reservation priority, for memory reservations; else 0
 * @param delta     bytes for memory events, descriptors for connection events; for a
 *                  {@code block_add_stream} refused by a stream's own total limit, whose direction
 *                  the refusal does not tell, the streams asked
 * @param deltaIn   inbound streams or connections added (removed when negative)
 * @param deltaOut  outbound streams or connections added (removed when negative)
 * @param memory    bytes the scope holds after the event
 * @param streamsIn inbound streams the scope holds after the event
 * @param streamsOut outbound streams the scope holds after the event
 * @param connsIn   inbound connections the scope holds after the event
 * @param connsOut  outbound connections the scope holds after the event
 * @param fd        file descriptors the scope holds after the event
 */
public record TraceEvent(Instant time, Type type, TraceScope scope, String name, Limit limit, Limiter limiter,
                         int priority, long delta, long deltaIn, long deltaOut, long memory, long streamsIn,
                         long streamsOut, long connsIn, long connsOut, long fd) {

    /** @throws NullPointerException if the time or the type is null */
    public TraceEvent {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(type, "type");
    }

    /**
     * The event as one line of go-libp2p's trace file (without the line break): go's field names
     * and order, zero fields left out, the time in RFC 3339 with nanoseconds as go's
     * {@code time.RFC3339Nano} prints it, strings escaped as go's {@code encoding/json} escapes them.
     *
     * @return the JSON object
     */
    public String toJson() {
        StringBuilder out = new StringBuilder(160);
        TraceJson.appendEvent(out, time.getEpochSecond(), time.getNano(), type, scope, name,
                limit != null ? limit : limiter,
                priority, delta, deltaIn, deltaOut, memory, streamsIn, streamsOut, connsIn, connsOut, fd);
        return out.toString();
    }

    /** The kinds of trace event, with go-libp2p's names. */
    public enum Type {
        /** The manager started; carries the limiter. */
        START("start"),
        /** A scope or span was created. */
        CREATE_SCOPE("create_scope"),
        /** A scope or span is done. */
        DESTROY_SCOPE("destroy_scope"),
        /** Memory was reserved. */
        RESERVE_MEMORY("reserve_memory"),
        /** A memory reservation was refused. */
        BLOCK_RESERVE_MEMORY("block_reserve_memory"),
        /** Memory was released. */
        RELEASE_MEMORY("release_memory"),
        /** Streams were added. */
        ADD_STREAM("add_stream"),
        /** Streams were refused. */
        BLOCK_ADD_STREAM("block_add_stream"),
        /** Streams were removed. */
        REMOVE_STREAM("remove_stream"),
        /** Connections were added. */
        ADD_CONN("add_conn"),
        /** Connections were refused. */
        BLOCK_ADD_CONN("block_add_conn"),
        /** Connections were removed. */
        REMOVE_CONN("remove_conn");

        private static final Type[] VALUES = values();

        private final String goName;

        Type(String goName) {
            this.goName = goName;
        }

        /**
         * The name go-libp2p writes in the {@code Type} field.
         *
         * @return {@code create_scope}, {@code reserve_memory}, ...
         */
        public String goName() {
            return goName;
        }

        /**
         * The type go-libp2p names {@code goName}.
         *
         * @param goName a name as in the trace file
         * @return the type
         * @throws IllegalArgumentException if there is no such type
         */
        public static Type ofGoName(String goName) {
            for (Type t : VALUES) {
                if (t.goName.equals(goName)) {
                    return t;
                }
            }
            throw new IllegalArgumentException("no trace event type " + goName);
        }
    }

    /**
     * A scope name split as go-libp2p's trace writes its {@code Scope} object: a class and the ids
     * that class has. Unlike go-libp2p, a span is reported under the class of the scope it belongs
     * to, with its number in {@link #span()} ({@code conn-3.span-2} is class {@code conn}, conn
     * {@code 3}, span {@code 2}; a span of a span is {@code 2.1}).
     *
     * @param scopeClass {@code system}, {@code transient}, {@code allowlistedSystem},
     *                   {@code allowlistedTransient}, {@code conn}, {@code stream}, {@code peer},
     *                   {@code service}, {@code service-peer}, {@code protocol} or
     *                   {@code protocol-peer}; for a name that fits none, the name itself
     * @param peer       the peer id, for {@code peer}, {@code service-peer} and {@code protocol-peer}; else null
     * @param protocol   the protocol, for {@code protocol} and {@code protocol-peer}; else null
     * @param service    the service, for {@code service} and {@code service-peer}; else null
     * @param conn       the connection number, for {@code conn}; else null
     * @param stream     the stream number, for {@code stream}; else null
     * @param span       the span number (dotted for nested spans) when the scope is a span; else null
     */
    public record TraceScope(String scopeClass, String peer, String protocol, String service, String conn,
                             String stream, String span) {

        private static final String SPAN = ".span-";

        /** @throws NullPointerException if the class is null */
        public TraceScope {
            Objects.requireNonNull(scopeClass, "scopeClass");
        }

        /**
         * Splits a scope name as the scope DAG makes them: {@code system}, {@code conn-17},
         * {@code stream-4}, {@code peer:<id>}, {@code service:<name>}, {@code service:<name>.peer:<id>},
         * {@code protocol:<id>}, {@code protocol:<id>.peer:<id>}, each possibly followed by
         * {@code .span-<n>} once or more.
         *
         * @param name a scope name
         * @return its class and ids
         * @throws NullPointerException if {@code name} is null
         */
        public static TraceScope of(String name) {
            Objects.requireNonNull(name, "name");
            // Spans are suffixes of their owner's name; peel them off from the end so that a
            // service or protocol that happens to contain ".span-" is not taken for a span.
            int base = name.length();
            for (;;) {
                int at = name.lastIndexOf(SPAN, base - 1);
                if (at < 0 || !digits(name, at + SPAN.length(), base)) {
                    break;
                }
                base = at;
            }
            String span = base == name.length() ? null : name.substring(base + SPAN.length()).replace(SPAN, ".");
            String owner = name.substring(0, base);
            switch (owner) {
                case "system", "transient", "allowlistedSystem", "allowlistedTransient" -> {
                    return new TraceScope(owner, null, null, null, null, null, span);
                }
                default -> {
                    // classified by prefix below
                }
            }
            if (owner.startsWith("conn-")) {
                return new TraceScope("conn", null, null, null, owner.substring(5), null, span);
            }
            if (owner.startsWith("stream-")) {
                return new TraceScope("stream", null, null, null, null, owner.substring(7), span);
            }
            if (owner.startsWith("peer:")) {
                return new TraceScope("peer", owner.substring(5), null, null, null, null, span);
            }
            // Peer ids never contain ".peer:", so the last one separates a share's peer.
            int share = owner.lastIndexOf(".peer:");
            if (owner.startsWith("service:")) {
                return share > 0
                        ? new TraceScope("service-peer", owner.substring(share + 6), null, owner.substring(8, share),
                                null, null, span)
                        : new TraceScope("service", null, null, owner.substring(8), null, null, span);
            }
            if (owner.startsWith("protocol:")) {
                return share > 0
                        ? new TraceScope("protocol-peer", owner.substring(share + 6), owner.substring(9, share),
                                null, null, null, span)
                        : new TraceScope("protocol", null, owner.substring(9), null, null, null, span);
            }
            return new TraceScope(owner, null, null, null, null, null, span);
        }

        private static boolean digits(String s, int from, int to) {
            if (from >= to) {
                return false;
            }
            for (int i = from; i < to; i++) {
                char c = s.charAt(i);
                if (c < '0' || c > '9') {
                    return false;
                }
            }
            return true;
        }

        /**
         * The object as go-libp2p writes it: {@code {"Class":...}} and the ids of the class in go's
         * order, then {@code Span} if any.
         *
         * @return the JSON object
         */
        public String toJson() {
            StringBuilder out = new StringBuilder(64);
            TraceJson.appendScope(out, this);
            return out.toString();
        }
    }
}
