package org.jrcmgr.impl.scope;

import org.jrcmgr.ResourceException;
import org.jrcmgr.ResourceLimitExceededException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Logs refusals at debug level with go-libp2p's messages and keys, so the two are read the same
 * way. Refusals are normal operation, so nothing is composed unless debug logging is on.
 */
final class RefusalLog {

    private static final Logger LOG = LoggerFactory.getLogger("org.jrcmgr.rcmgr");

    /** A memory reservation was refused by {@code scope} itself, or by its ancestor {@code edge}. */
    void memory(Scope scope, Scope edge, ResourceException refusal) {
        log("blocked memory reservation", scope, edge, refusal);
    }

    /** A stream was refused. */
    void stream(Scope scope, Scope edge, ResourceException refusal) {
        log("blocked stream", scope, edge, refusal);
    }

    /** A connection was refused. */
    void conn(Scope scope, Scope edge, ResourceException refusal) {
        log("blocked connection", scope, edge, refusal);
    }

    private static void log(String what, Scope scope, Scope edge, ResourceException refusal) {
        if (!LOG.isDebugEnabled()) {
            return;
        }
        LoggingEventBuilder event = LOG.atDebug().addKeyValue("scope", scope.name());
        if (edge != null) {
            event = event.addKeyValue("edge", edge.name());
        }
        if (refusal instanceof ResourceLimitExceededException limit) {
            event = event.addKeyValue("resource", limit.resource().label())
                    .addKeyValue("current", limit.current())
                    .addKeyValue("attempted", limit.requested())
                    .addKeyValue("limit", limit.limit())
                    .addKeyValue("priority", limit.priority().value());
        }
        event.addKeyValue("stat", (edge != null ? edge : scope).stat())
                .log(edge != null ? what + " from constraining edge" : what);
    }
}
