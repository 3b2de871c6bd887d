package org.jrcmgr.micrometer;

import org.jrcmgr.BaseLimit;
import org.jrcmgr.Limit;
import org.jrcmgr.ScopeKind;
import org.jrcmgr.ScopeStat;
import org.jrcmgr.impl.observe.ObservedScope;

/** A scope for driving the observer directly, without a manager. */
final class FakeScope implements ObservedScope {

    private final String name;
    private final ScopeKind kind;
    private final Limit limit;
    volatile ScopeStat stat = new ScopeStat(0, 0, 0, 0, 0, 0);

    FakeScope(String name, ScopeKind kind, Limit limit) {
        this.name = name;
        this.kind = kind;
        this.limit = limit;
    }

    FakeScope(String name, ScopeKind kind) {
        this(name, kind, BaseLimit.UNLIMITED);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String path() {
        return name;
    }

    @Override
    public ScopeKind kind() {
        return kind;
    }

    @Override
    public Limit limit() {
        return limit;
    }

    @Override
    public ScopeStat stat() {
        return stat;
    }
}
