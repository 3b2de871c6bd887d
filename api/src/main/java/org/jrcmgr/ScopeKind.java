package org.jrcmgr;

/** The kinds of scope in the resource DAG. */
public enum ScopeKind {
    /** The root of all limits. */
    SYSTEM,
    /** Connections and streams not yet established. */
    TRANSIENT,
    /** The root for connections admitted through the allowlist. */
    ALLOWLISTED_SYSTEM,
    /** The transient scope for connections admitted through the allowlist. */
    ALLOWLISTED_TRANSIENT,
    /** A service. */
    SERVICE,
    /** One peer's share of a service. */
    SERVICE_PEER,
    /** A protocol. */
    PROTOCOL,
    /** One peer's share of a protocol. */
    PROTOCOL_PEER,
    /** A remote peer. */
    PEER,
    /** A connection. */
    CONNECTION,
    /** A stream. */
    STREAM,
    /** A span under another scope. */
    SPAN
}
