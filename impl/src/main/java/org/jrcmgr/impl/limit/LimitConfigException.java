package org.jrcmgr.impl.limit;

import java.util.Objects;
import java.util.Optional;

/**
 * A limit file that cannot be read: malformed JSON, an unknown field or keyword, a value of the
 * wrong type, a number out of range, a bad peer id. The message says where and why, for example
 * <pre>
 * limits.json: $.Peer["12D3KooW..."].ConnsInbound: unknown keyword "infinite"; expected "default", "unlimited", "blockAll" or an integer (line 4, column 25)
 * </pre>
 * and the parts are available on their own for programs.
 *
 * <p>It is an {@link IllegalArgumentException} because the input is the argument that is wrong;
 * failures to read the input at all are {@link java.io.IOException}s, not this.
 */
public final class LimitConfigException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** The location field when it is not known. */
    private static final long UNKNOWN = -1;

    /** Where the input came from, or null. */
    private final String source;
    private final String jsonPath;
    private final String reason;
    private final long line;
    private final long column;

    /**
     * @param source   where the input came from, such as a file name; null if not known
     * @param jsonPath the JSON path of the offending element, such as {@code $.System.Memory}
     * @param reason   what is wrong with it
     * @param line     the 1-based line of the offending element, or -1 if not known
     * @param column   the 1-based column of the offending element, or -1 if not known
     * @param cause    the underlying error, or null
     * @throws NullPointerException if {@code jsonPath} or {@code reason} is null
     */
    public LimitConfigException(String source, String jsonPath, String reason, long line, long column,
                                Throwable cause) {
        super(message(source, jsonPath, reason, line, column), cause);
        this.source = source;
        this.jsonPath = jsonPath;
        this.reason = reason;
        this.line = line > 0 ? line : UNKNOWN;
        this.column = column > 0 ? column : UNKNOWN;
    }

    private static String message(String source, String jsonPath, String reason, long line, long column) {
        Objects.requireNonNull(jsonPath, "jsonPath");
        Objects.requireNonNull(reason, "reason");
        StringBuilder sb = new StringBuilder();
        if (source != null) {
            sb.append(source).append(": ");
        }
        sb.append(jsonPath).append(": ").append(reason);
        if (line > 0) {
            sb.append(" (line ").append(line);
            if (column > 0) {
                sb.append(", column ").append(column);
            }
            sb.append(')');
        }
        return sb.toString();
    }

    /** Where the input came from, such as a file name, if known. */
    public Optional<String> source() {
        return Optional.ofNullable(source);
    }

    /**
     * The JSON path of the offending element: {@code $} for the document, {@code .Name} for an
     * object field, {@code ["key"]} for a per-key entry, e.g. {@code $.Protocol["/ipfs/ping/1.0.0"].Memory}.
     */
    public String jsonPath() {
        return jsonPath;
    }

    /** What is wrong, without the path and location. */
    public String reason() {
        return reason;
    }

    /** The 1-based line of the offending element, or -1 if not known. */
    public long line() {
        return line;
    }

    /** The 1-based column of the offending element, or -1 if not known. */
    public long column() {
        return column;
    }
}
