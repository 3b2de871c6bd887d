package org.jrcmgr;

/**
 * A scope with an end: {@link #done()} releases everything it holds, in itself and in every scope
 * above it. Closing a span twice is harmless, and so is closing it after its owner: a span whose
 * owner is done refuses new reservations and releases nothing twice.
 */
public interface ResourceScopeSpan extends ResourceScope, AutoCloseable {

    /** Releases everything the scope holds; the second and later calls do nothing. */
    void done();

    /** Whether {@link #done()} was called (or the scope was closed with its owner). */
    boolean isDone();

    /** The same as {@link #done()}, for try-with-resources. */
    @Override
    default void close() {
        done();
    }
}
