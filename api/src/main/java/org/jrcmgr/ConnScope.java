package org.jrcmgr;

/** A connection's scope as its users see it: memory reservations and spans. */
public interface ConnScope extends ResourceScope {
}
