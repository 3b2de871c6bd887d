package org.jrcmgr;

import java.util.Objects;

/**
 * A reservation was refused because a scope would have gone over one of its limits. Nothing was
 * reserved anywhere.
 *
 * <p>Creating one costs one object: no stack trace is captured and the message is composed only
 * when asked for.
 */
public final class ResourceLimitExceededException extends ResourceException {

    private static final long serialVersionUID = 1L;

    private final String path;
    private final String refusingScope;
    private final Resource resource;
    private final long current;
    private final long requested;
    private final LimitValue limit;
    private final ReservationPriority priority;

    /**
     * @param path          where the requesting scope hangs, root first ({@code system > peer:... > conn-17})
     * @param refusingScope the name of the scope whose limit refused (the requesting scope or one above it)
     * @param resource      the resource refused
     * @param current       what the refusing scope held of it
     * @param requested     the amount asked for
     * @param limit         the refusing scope's limit for it
     * @param priority      the reservation priority ({@link ReservationPriority#ALWAYS} for counts)
     */
    public ResourceLimitExceededException(String path, String refusingScope, Resource resource, long current,
                                          long requested, LimitValue limit, ReservationPriority priority) {
        this.path = Objects.requireNonNull(path, "path");
        this.refusingScope = Objects.requireNonNull(refusingScope, "refusingScope");
        this.resource = Objects.requireNonNull(resource, "resource");
        this.current = current;
        this.requested = requested;
        this.limit = Objects.requireNonNull(limit, "limit");
        this.priority = Objects.requireNonNull(priority, "priority");
    }

    /** Where the requesting scope hangs in the DAG, root first. */
    public String path() {
        return path;
    }

    /** The name of the scope whose limit refused. */
    public String refusingScope() {
        return refusingScope;
    }

    /** The resource refused. */
    public Resource resource() {
        return resource;
    }

    /** What the refusing scope held of the resource when it refused. */
    public long current() {
        return current;
    }

    /** The amount asked for. */
    public long requested() {
        return requested;
    }

    /** The refusing scope's limit for the resource. */
    public LimitValue limit() {
        return limit;
    }

    /** The priority of the reservation; counts are always reserved at {@link ReservationPriority#ALWAYS}. */
    public ReservationPriority priority() {
        return priority;
    }

    /**
     * Whether trying again later can succeed: the request fits the limit at this priority once the
     * scope holds less. {@code false} when the limit blocks everything or the request alone is
     * larger than the limit allows.
     */
    public boolean retryable() {
        long ceiling = resource == Resource.MEMORY ? priority.threshold(limit.capacity()) : limit.capacity();
        return requested <= ceiling && ceiling > 0;
    }

    @Override
    public String getMessage() {
        StringBuilder b = new StringBuilder(160);
        b.append(path);
        if (!path.equals(refusingScope) && !path.endsWith(" > " + refusingScope)) {
            b.append(": refused by ").append(refusingScope);
        }
        b.append(": cannot reserve ").append(resource.label()).append(": resource limit exceeded (")
                .append(current).append(" held + ").append(requested).append(" requested > limit ").append(limit);
        if (resource == Resource.MEMORY) {
            b.append(" at priority ").append(priority).append(", threshold ").append(priority.threshold(limit.capacity()));
        }
        b.append(retryable() ? "; retry may succeed)" : "; retry cannot succeed)");
        return b.toString();
    }
}
