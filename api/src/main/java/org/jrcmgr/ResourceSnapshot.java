package org.jrcmgr;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Every live scope of a manager, taken in one call. Scopes are read one after the other, so a
 * snapshot taken while the manager is busy is not one consistent cut; at a quiescent moment it is
 * exact.
 *
 * @param takenAt when the snapshot was taken
 * @param scopes  the scopes, system first
 */
public record ResourceSnapshot(Instant takenAt, List<ScopeSnapshot> scopes) {

    /** @throws NullPointerException if an argument is null */
    public ResourceSnapshot {
        Objects.requireNonNull(takenAt, "takenAt");
        scopes = List.copyOf(scopes);
    }

    /** The scope named {@code name}, if it was live. */
    public Optional<ScopeSnapshot> scope(String name) {
        for (ScopeSnapshot scope : scopes) {
            if (scope.name().equals(name)) {
                return Optional.of(scope);
            }
        }
        return Optional.empty();
    }

    /** The scopes of one kind. */
    public List<ScopeSnapshot> scopes(ScopeKind kind) {
        return scopes.stream().filter(s -> s.kind() == kind).toList();
    }
}
