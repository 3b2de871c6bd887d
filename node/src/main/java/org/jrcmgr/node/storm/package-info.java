/**
 * Storm mode: many connections and streams at once against one or more nodes, bounded in count and
 * in time, with a report of what was admitted and refused, by reason.
 */
package org.jrcmgr.node.storm;
