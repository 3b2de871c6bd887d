package org.jrcmgr.node;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.jrcmgr.LimitValue;
import org.jrcmgr.ReservationPriority;
import org.jrcmgr.Resource;
import org.jrcmgr.impl.observe.ObservedScope;
import org.jrcmgr.impl.observe.ScopeObserver;

/**
 * Counts every refusal of the manager by refusing scope kind and resource: exact totals, where
 * the manager's ring of recent refusals keeps only the last ones.
 */
final class RefusalCounter implements ScopeObserver {

    private final ConcurrentHashMap<String, LongAdder> byScopeKind = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LongAdder> byResource = new ConcurrentHashMap<>();
    private final LongAdder total = new LongAdder();

    @Override
    public void refused(ObservedScope requester, ObservedScope refusing, Resource resource, long current,
                        long requested, LimitValue limit, ReservationPriority priority, boolean shadow) {
        total.increment();
        byScopeKind.computeIfAbsent(Reason.scopeKindOf(refusing.name()), k -> new LongAdder()).increment();
        byResource.computeIfAbsent(resource.label(), k -> new LongAdder()).increment();
    }

    long total() {
        return total.sum();
    }

    Map<String, Long> byScopeKind() {
        return snapshot(byScopeKind);
    }

    Map<String, Long> byResource() {
        return snapshot(byResource);
    }

    private static Map<String, Long> snapshot(ConcurrentHashMap<String, LongAdder> map) {
        Map<String, Long> out = new TreeMap<>();
        map.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
