package org.jrcmgr;

/** The scope of a protocol: every stream negotiated to it. */
public interface ProtocolScope extends ResourceScope {
    /** The protocol. */
    ProtocolId protocol();
}
