package org.jrcmgr;

import java.util.Objects;

/**
 * One scope as {@link ResourceManager#snapshot()} saw it.
 *
 * @param name  the scope's name ({@code peer:12D3KooW...}, {@code conn-17}, ...)
 * @param path  where it hangs in the DAG, root first ({@code system > peer:12D3KooW... > conn-17})
 * @param kind  the kind of scope
 * @param limit its limits at that moment
 * @param usage what it held
 * @param peak  the most it ever held of each resource, each counted on its own
 */
public record ScopeSnapshot(String name, String path, ScopeKind kind, BaseLimit limit, ScopeStat usage,
                            ScopeStat peak) {

    /** @throws NullPointerException if any component is null */
    public ScopeSnapshot {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(limit, "limit");
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(peak, "peak");
    }

    /**
     * How much more of {@code resource} the limit admits, from this usage (at priority
     * {@link ReservationPriority#ALWAYS} for memory); {@link Long#MAX_VALUE} when unlimited.
     */
    public long headroom(Resource resource) {
        LimitValue value = limit.get(resource);
        if (value.isUnlimited()) {
            return Long.MAX_VALUE;
        }
        return Math.max(0, value.capacity() - usage.get(resource));
    }
}
