package org.jrcmgr;

import java.time.Instant;
import java.util.Objects;

/**
 * One reservation a scope refused, or would have refused in shadow mode, as kept in a manager's
 * ring of recent refusals ({@link ResourceManager#recentRefusals()}).
 *
 * @param at            when it happened
 * @param path          where the requesting scope hangs, root first
 * @param refusingScope the scope whose limit refused
 * @param resource      the resource
 * @param current       what the refusing scope held of it
 * @param requested     the amount asked for
 * @param limit         the refusing scope's limit
 * @param priority      the reservation's priority ({@link ReservationPriority#ALWAYS} for counts)
 * @param shadow        whether the scope was in shadow mode, so the reservation went through anyway
 */
public record Refusal(Instant at, String path, String refusingScope, Resource resource, long current,
                      long requested, LimitValue limit, ReservationPriority priority, boolean shadow) {

    /** @throws NullPointerException if a reference component is null */
    public Refusal {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(refusingScope, "refusingScope");
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(limit, "limit");
        Objects.requireNonNull(priority, "priority");
    }
}
