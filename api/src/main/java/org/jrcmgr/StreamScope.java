package org.jrcmgr;

/** A stream's scope as its users see it; a service claims its streams with {@link #setService}. */
public interface StreamScope extends ResourceScope {

    /**
     * Attaches the stream to a service: what the stream holds counts in the service's scope and in
     * the service's per-peer scope as well.
     *
     * @throws ResourceLimitExceededException if the service or its per-peer scope has no room;
     *                                        the stream is then left as it was
     * @throws IllegalStateException          if a service is already set or no protocol is set yet
     * @throws ResourceScopeClosedException   if the scope is done
     */
    void setService(String service);
}
