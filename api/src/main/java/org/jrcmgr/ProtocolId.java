package org.jrcmgr;

/**
 * A protocol identifier as negotiated on a stream, such as {@code /ipfs/ping/1.0.0}.
 *
 * @param value the identifier; not empty, no whitespace or control characters
 */
public record ProtocolId(String value) implements Comparable<ProtocolId> {

    /**
     * @throws IllegalArgumentException if {@code value} is null, empty, or holds whitespace or control characters
     */
    public ProtocolId {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("a protocol id must not be empty");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c)) {
                throw new IllegalArgumentException("a protocol id must not contain whitespace or control characters: \""
                        + value + "\" has one at index " + i);
            }
        }
    }

    /** The protocol id {@code value}. */
    public static ProtocolId of(String value) {
        return new ProtocolId(value);
    }

    @Override
    public int compareTo(ProtocolId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
