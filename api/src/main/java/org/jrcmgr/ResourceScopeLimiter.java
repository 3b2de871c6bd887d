package org.jrcmgr;

/**
 * A scope whose limit can be changed while it runs (go-libp2p's {@code ResourceScopeLimiter}).
 * Reach it by testing a scope given to a view: {@code if (scope instanceof ResourceScopeLimiter l)}.
 *
 * <p>Usage is not re-checked: a lower limit refuses only what comes after it. Setting the limit of
 * a peer or protocol scope also keeps that scope alive, so the custom limit is not lost when the
 * scope falls idle.
 */
public interface ResourceScopeLimiter extends ResourceScope {

    /** Replaces the scope's limit. */
    void setLimit(Limit limit);

    /**
     * Puts the scope in shadow mode, or takes it out: in shadow mode the scope refuses nothing, but
     * records every reservation it would have refused, with the same detail as a real refusal, so
     * that limits can be sized from real traffic before they are enforced.
     */
    void setShadow(boolean shadow);

    /** Whether the scope lets everything through and only records would-be refusals. */
    boolean isShadow();
}
