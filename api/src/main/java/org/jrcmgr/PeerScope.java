package org.jrcmgr;

/** The scope of a remote peer: its connections and streams. */
public interface PeerScope extends ResourceScope {
    /** The peer. */
    PeerId peer();
}
