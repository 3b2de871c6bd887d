package org.jrcmgr.impl.observe;

import org.jrcmgr.Limit;
import org.jrcmgr.ScopeKind;
import org.jrcmgr.ScopeStat;

/**
 * A scope as a {@link ScopeObserver} sees it: the DAG's own scope object, passed without copying.
 * Its name, path, kind and limit are read without allocating (a span's path is composed on each
 * call); {@link #stat()} makes a new {@link ScopeStat}, so an observer on the hot path uses the
 * counts it is handed instead. An observer may keep the reference: the name and kind never change.
 */
public interface ObservedScope {

    /** The scope's name ({@code peer:12D3KooW...}, {@code conn-17.span-2}, ...). */
    String name();

    /** Where the scope hangs in the DAG, root first. */
    String path();

    /** The kind of scope. */
    ScopeKind kind();

    /** The scope's limits. */
    Limit limit();

    /** What the scope holds now. */
    ScopeStat stat();
}
