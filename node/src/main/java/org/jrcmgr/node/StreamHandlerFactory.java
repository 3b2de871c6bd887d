package org.jrcmgr.node;

/** Makes the handler of each stream the remote opens for one protocol. */
@FunctionalInterface
public interface StreamHandlerFactory {

    /** A handler for one new inbound stream of {@code node}. */
    StreamHandler create(Node node);
}
