/**
 * The node's protocols: {@code /echo/1.0.0}, {@code /bulk/1.0.0} and {@code /slow/1.0.0}, the
 * handlers that serve them and the client side of each exchange.
 */
package org.jrcmgr.node.protocol;
