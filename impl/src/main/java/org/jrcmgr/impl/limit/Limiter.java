package org.jrcmgr.impl.limit;

import org.jrcmgr.Limit;
import org.jrcmgr.PeerId;
import org.jrcmgr.ProtocolId;

/**
 * Where scopes get their limits. The manager asks once, when it creates a scope; a {@link Limit}
 * may still change its answers over time.
 */
public interface Limiter {

    /** The system scope's limits. */
    Limit systemLimits();

    /** The transient scope's limits. */
    Limit transientLimits();

    /** The allowlisted system scope's limits. */
    Limit allowlistedSystemLimits();

    /** The allowlisted transient scope's limits. */
    Limit allowlistedTransientLimits();

    /** The limits of service {@code service}. */
    Limit serviceLimits(String service);

    /** The limits of each peer's share of service {@code service}. */
    Limit servicePeerLimits(String service);

    /** The limits of {@code protocol}. */
    Limit protocolLimits(ProtocolId protocol);

    /** The limits of each peer's share of {@code protocol}. */
    Limit protocolPeerLimits(ProtocolId protocol);

    /** The limits of {@code peer}. */
    Limit peerLimits(PeerId peer);

    /** The limits of each stream with {@code peer}. */
    Limit streamLimits(PeerId peer);

    /** The limits of each connection. */
    Limit connLimits();
}
