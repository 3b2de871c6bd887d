package org.jrcmgr.impl.scope;

import org.jrcmgr.impl.observe.ScopeObserver;
/**
 * What scopes need from the manager that made them: the registry of live short-lived scopes and
 * the refusal log.
 */
interface ScopeContext {

    /** A connection, stream or span has started. */
    void registerLive(Scope scope);

    /** A connection, stream or span is done. */
    void unregisterLive(Scope scope);

    /** Where refusals are logged. */
    RefusalLog refusals();

    /** Where refusals are counted and kept. */
    RefusalRecorder recorder();

    /** Whether the whole manager only records would-be refusals instead of refusing. */
    boolean shadowMode();

    /** Who is told of every event; {@link ScopeObserver#NONE} when nobody is. */
    ScopeObserver observer();

    /**
     * Who is told of memory reservations and releases: {@link #observer()}, or
     * {@link ScopeObserver#NONE} when no observer does anything on them (the builder's default
     * observers listen to refusals only), so that the hot path skips those calls altogether.
     */
    default ScopeObserver memoryObserver() {
        return observer();
    }
}
