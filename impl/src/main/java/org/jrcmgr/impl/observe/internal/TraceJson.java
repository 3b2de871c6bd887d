package org.jrcmgr.impl.observe.internal;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.jrcmgr.Limit;
import org.jrcmgr.LimitValue;
import org.jrcmgr.Direction;
import org.jrcmgr.impl.limit.FixedLimiter;
import org.jrcmgr.impl.limit.LimitConfigJson;
import org.jrcmgr.impl.limit.Limiter;
import org.jrcmgr.impl.observe.TraceEvent.TraceScope;
import org.jrcmgr.impl.observe.TraceEvent.Type;

/**
 * Writes trace events as go-libp2p's {@code json.Encoder} writes its {@code TraceEvt}: fields in
 * the struct's order, zero fields left out ({@code omitempty}) but for Time and Type, strings
 * escaped the way go escapes them (HTML-safe), so the files of both are read by the same tools.
 * Runs on the trace writer's thread (or a reporter's), never on the reserving thread's hot path.
 */
public final class TraceJson {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private TraceJson() {
    }

    /**
     * Appends one event. {@code limit} is a {@link Limit} for {@code create_scope}, a
     * {@link Limiter} (or its JSON, already written) for {@code start}, else null.
     */
    public static void appendEvent(StringBuilder out, long epochSecond, int nano, Type type, TraceScope scope,
                                   String name, Object limit, int priority, long delta, long deltaIn,
                                   long deltaOut, long memory, long streamsIn, long streamsOut, long connsIn,
                                   long connsOut, long fd) {
        out.append("{\"Time\":\"");
        appendTime(out, epochSecond, nano);
        out.append("\",\"Type\":");
        appendString(out, type.goName());
        if (scope != null) {
            out.append(",\"Scope\":");
            appendScope(out, scope);
        }
        if (name != null && !name.isEmpty()) {
            out.append(",\"Name\":");
            appendString(out, name);
        }
        if (limit != null) {
            out.append(",\"Limit\":");
            appendLimitObject(out, limit);
        }
        field(out, "Priority", priority);
        field(out, "Delta", delta);
        field(out, "DeltaIn", deltaIn);
        field(out, "DeltaOut", deltaOut);
        field(out, "Memory", memory);
        field(out, "StreamsIn", streamsIn);
        field(out, "StreamsOut", streamsOut);
        field(out, "ConnsIn", connsIn);
        field(out, "ConnsOut", connsOut);
        field(out, "FD", fd);
        out.append('}');
    }

    private static void field(StringBuilder out, String key, long value) {
        if (value != 0) {
            out.append(",\"").append(key).append("\":").append(value);
        }
    }

    /** go's {@code time.RFC3339Nano}: UTC here, so {@code Z}; the fraction without trailing zeros. */
    public static void appendTime(StringBuilder out, long epochSecond, int nano) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC);
        pad(out, t.getYear(), 4).append('-');
        pad(out, t.getMonthValue(), 2).append('-');
        pad(out, t.getDayOfMonth(), 2).append('T');
        pad(out, t.getHour(), 2).append(':');
        pad(out, t.getMinute(), 2).append(':');
        pad(out, t.getSecond(), 2);
        if (nano != 0) {
            int digits = 9;
            int n = nano;
            while (n % 10 == 0) {
                n /= 10;
                digits--;
            }
            out.append('.');
            pad(out, n, digits);
        }
        out.append('Z');
    }

    private static StringBuilder pad(StringBuilder out, long value, int width) {
        String s = Long.toString(value);
        for (int i = s.length(); i < width; i++) {
            out.append('0');
        }
        return out.append(s);
    }

    /** The {@code Scope} object: Class, the class's ids in go's order, then Span. */
    public static void appendScope(StringBuilder out, TraceScope scope) {
        out.append("{\"Class\":");
        appendString(out, scope.scopeClass());
        optional(out, "Conn", scope.conn());
        optional(out, "Stream", scope.stream());
        // go's service-peer and protocol-peer structs put the service or protocol before the peer.
        optional(out, "Service", scope.service());
        optional(out, "Protocol", scope.protocol());
        optional(out, "Peer", scope.peer());
        optional(out, "Span", scope.span());
        out.append('}');
    }

    private static void optional(StringBuilder out, String key, String value) {
        if (value != null) {
            out.append(",\"").append(key).append("\":");
            appendString(out, value);
        }
    }

    private static void appendLimitObject(StringBuilder out, Object limit) {
        if (limit instanceof Limit l) {
            appendLimit(out, l);
        } else if (limit instanceof Limiter l) {
            out.append(limiterJson(l));
        } else if (limit instanceof RawJson raw) {
            out.append(raw.json());
        } else {
            appendString(out, String.valueOf(limit));
        }
    }

    /**
     * The limiter as the {@code start} event carries it. A fixed limiter is written as the limit
     * file go-libp2p would read back to the same limits; any other limiter by the limits of the
     * scopes that do not depend on a key, as go's {@code BaseLimit} (numbers, zero left out).
     */
    public static String limiterJson(Limiter limiter) {
        if (limiter instanceof FixedLimiter fixed) {
            return LimitConfigJson.write(fixed.config().toPartial());
        }
        StringBuilder out = new StringBuilder(512);
        out.append("{\"System\":");
        appendLimit(out, limiter.systemLimits());
        out.append(",\"Transient\":");
        appendLimit(out, limiter.transientLimits());
        out.append(",\"AllowlistedSystem\":");
        appendLimit(out, limiter.allowlistedSystemLimits());
        out.append(",\"AllowlistedTransient\":");
        appendLimit(out, limiter.allowlistedTransientLimits());
        out.append(",\"Conn\":");
        appendLimit(out, limiter.connLimits());
        out.append('}');
        return out.toString();
    }

    /** go's {@code BaseLimit}: numbers, unlimited as {@code MaxInt64}, zero (block-all) left out. */
    public static void appendLimit(StringBuilder out, Limit limit) {
        out.append('{');
        int start = out.length();
        limitField(out, start, "Streams", limit.streamsTotal());
        limitField(out, start, "StreamsInbound", limit.streams(Direction.INBOUND));
        limitField(out, start, "StreamsOutbound", limit.streams(Direction.OUTBOUND));
        limitField(out, start, "Conns", limit.connsTotal());
        limitField(out, start, "ConnsInbound", limit.conns(Direction.INBOUND));
        limitField(out, start, "ConnsOutbound", limit.conns(Direction.OUTBOUND));
        limitField(out, start, "FD", limit.fd());
        limitField(out, start, "Memory", limit.memory());
        out.append('}');
    }

    private static void limitField(StringBuilder out, int start, String key, LimitValue value) {
        long n = value.capacity();
        if (n == 0) {
            return;
        }
        if (out.length() > start) {
            out.append(',');
        }
        out.append('"').append(key).append("\":").append(n);
    }

    /** A JSON string as go's {@code encoding/json} writes it, HTML-safe. */
    public static void appendString(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '<', '>', '&', '\u2028', '\u2029' -> unicode(out, c);
                default -> {
                    if (c < 0x20) {
                        unicode(out, c);
                    } else if (Character.isSurrogate(c)) {
                        // go replaces invalid UTF-8 with U+FFFD; a lone surrogate is the Java analogue.
                        if (Character.isHighSurrogate(c) && i + 1 < s.length()
                                && Character.isLowSurrogate(s.charAt(i + 1))) {
                            out.append(c).append(s.charAt(++i));
                        } else {
                            out.append('\ufffd');
                        }
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static void unicode(StringBuilder out, char c) {
        out.append("\\u").append(HEX[(c >> 12) & 0xF]).append(HEX[(c >> 8) & 0xF]).append(HEX[(c >> 4) & 0xF])
                .append(HEX[c & 0xF]);
    }

    /** JSON already written, carried in place of a limiter (the start event's limiter, written once). */
    public record RawJson(String json) {
    }
}
