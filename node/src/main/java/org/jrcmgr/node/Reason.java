package org.jrcmgr.node;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.jrcmgr.EndpointRefusedException;
import org.jrcmgr.ResourceLimitExceededException;

/**
 * Why a connection was closed or a stream reset: the error code that travels on the wire, and
 * what the refusing node knew, so that the other side can report it (go-libp2p sends the code
 * only; the scope, resource and message are this node's addition, the B2 "refusals that explain
 * themselves" carried across the wire).
 *
 * @param code      the error code ({@link ErrorCodes})
 * @param category  what kind of reason: {@link #SCOPE}, {@link #PER_ADDRESS}, {@link #RATE},
 *                  {@link #PROTOCOL}, {@link #VIOLATION}, {@link #SHUTDOWN}, {@link #CLOSED},
 *                  {@link #IO}, {@link #TIMEOUT}, {@link #NORMAL} or {@link #INTERNAL}
 * @param scopeKind for a scope refusal, the refusing scope's kind ({@code system}, {@code transient},
 *                  {@code peer}, {@code conn}, {@code stream}, {@code protocol}, {@code protocol-peer},
 *                  {@code service}, {@code service-peer}, ...); empty otherwise
 * @param scope     for a scope refusal, the refusing scope's name; empty otherwise
 * @param resource  the resource refused ({@code inbound stream}, {@code memory}, ...); empty if none
 * @param message   a human-readable explanation
 * @param local     whether this node decided it (its own manager refused, or it saw the failure);
 *                  never sent: a reason read from the wire is the remote's
 */
public record Reason(int code, String category, String scopeKind, String scope, String resource, String message,
                     boolean local) {

    /** A resource scope's limit refused. */
    public static final String SCOPE = "scope";
    /** The per-address (per-IP, per-subnet) connection limit refused. */
    public static final String PER_ADDRESS = "per-address";
    /** The connection rate limit refused. */
    public static final String RATE = "rate";
    /** The protocol is not served. */
    public static final String PROTOCOL = "protocol";
    /** The wire protocol was broken. */
    public static final String VIOLATION = "violation";
    /** The node is shutting down. */
    public static final String SHUTDOWN = "shutdown";
    /** The connection under a stream ended. */
    public static final String CLOSED = "closed";
    /** A network error (connection refused, reset by the operating system, ...). */
    public static final String IO = "io";
    /** Something took longer than allowed. */
    public static final String TIMEOUT = "timeout";
    /** A normal close: no error. */
    public static final String NORMAL = "normal";
    /** An unexpected failure in this node. */
    public static final String INTERNAL = "internal";

    /** The most bytes of text a reason carries on the wire, per field. */
    private static final int MAX_FIELD_BYTES = 1024;

    /** A normal close or reset. */
    public static final Reason NORMAL_CLOSE = new Reason(ErrorCodes.NO_ERROR, NORMAL, "", "", "", "closed", true);

    /** @throws NullPointerException if a string is null */
    public Reason {
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(scopeKind, "scopeKind");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(message, "message");
    }

    /** A reason without a scope. */
    public static Reason of(int code, String category, String message) {
        return new Reason(code, category, "", "", "", message, true);
    }

    /** The reason for a refusal by a scope of this node's manager, sent with {@code code}. */
    public static Reason refusal(ResourceLimitExceededException e, int code) {
        return new Reason(code, SCOPE, scopeKindOf(e.refusingScope()), e.refusingScope(), e.resource().label(),
                e.getMessage(), true);
    }

    /** The reason for a refusal by the per-address or rate limit of this node's manager. */
    public static Reason refusal(EndpointRefusedException e) {
        boolean rate = e.reason() == EndpointRefusedException.Reason.RATE_LIMIT;
        return new Reason(rate ? ErrorCodes.CONN_RATE_LIMITED : ErrorCodes.CONN_RESOURCE_LIMIT_EXCEEDED,
                rate ? RATE : PER_ADDRESS, "", "", "connection", e.getMessage(), true);
    }

    /** Whether a limit of a resource manager refused (scope, per-address or rate). */
    public boolean isRefusal() {
        return SCOPE.equals(category) || PER_ADDRESS.equals(category) || RATE.equals(category);
    }

    /** Whether this is a normal close. */
    public boolean isNormal() {
        return NORMAL.equals(category);
    }

    /**
     * The key reports count by: the category, the refusing scope's kind for scope refusals, and a
     * {@code local-} prefix when this node decided it: {@code scope:transient}, {@code per-address},
     * {@code local-scope:system}, {@code protocol}.
     */
    public String key() {
        return (local ? "local-" : "") + category + (scopeKind.isEmpty() ? "" : ":" + scopeKind);
    }

    /** The same reason as seen by the other side. */
    Reason remote() {
        return local ? new Reason(code, category, scopeKind, scope, resource, message, false) : this;
    }

    /**
     * The kind of a scope from its name as the default implementation names scopes
     * ({@code system}, {@code peer:12D3KooW...}, {@code protocol:/echo/1.0.0.peer:12D3KooW...},
     * {@code conn-17}, {@code stream-4.span-1}, ...).
     */
    public static String scopeKindOf(String name) {
        if (name.equals("system")) {
            return "system";
        }
        if (name.equals("transient")) {
            return "transient";
        }
        if (name.equals("allowlistedSystem")) {
            return "allowlisted-system";
        }
        if (name.equals("allowlistedTransient")) {
            return "allowlisted-transient";
        }
        if (name.startsWith("service:")) {
            return name.contains(".peer:") ? "service-peer" : "service";
        }
        if (name.startsWith("protocol:")) {
            return name.contains(".peer:") ? "protocol-peer" : "protocol";
        }
        if (name.startsWith("peer:")) {
            return "peer";
        }
        if (name.contains(".span-")) {
            return "span";
        }
        if (name.startsWith("conn-")) {
            return "conn";
        }
        if (name.startsWith("stream-")) {
            return "stream";
        }
        return "other";
    }

    // ---- wire form: u32 code, then five u16-length-prefixed UTF-8 strings ------------------------

    /** The encoded form, at most {@code 4 + 5 * (2 + 1024)} bytes. */
    byte[] encode() {
        byte[][] fields = {bytes(category), bytes(scopeKind), bytes(scope), bytes(resource), bytes(message)};
        int size = 4;
        for (byte[] f : fields) {
            size += 2 + f.length;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.putInt(code);
        for (byte[] f : fields) {
            out.putShort((short) f.length).put(f);
        }
        return out.array();
    }

    /**
     * Reads a reason sent by the remote.
     *
     * @throws IllegalArgumentException if the bytes are malformed
     */
    static Reason decode(ByteBuffer in) {
        try {
            int code = in.getInt();
            String[] fields = new String[5];
            for (int i = 0; i < fields.length; i++) {
                int len = Short.toUnsignedInt(in.getShort());
                if (len > MAX_FIELD_BYTES || len > in.remaining()) {
                    throw new IllegalArgumentException("reason field of " + len + " bytes");
                }
                byte[] b = new byte[len];
                in.get(b);
                fields[i] = new String(b, StandardCharsets.UTF_8);
            }
            return new Reason(code, fields[0], fields[1], fields[2], fields[3], fields[4], false);
        } catch (java.nio.BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated reason", e);
        }
    }

    private static byte[] bytes(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length <= MAX_FIELD_BYTES) {
            return b;
        }
        // Cut on a character boundary so the remote decodes valid UTF-8.
        int end = MAX_FIELD_BYTES;
        while (end > 0 && (b[end] & 0xC0) == 0x80) {
            end--;
        }
        return java.util.Arrays.copyOf(b, end);
    }

    @Override
    public String toString() {
        return ErrorCodes.hex(code) + " " + key() + (message.isEmpty() ? "" : ": " + message);
    }
}
