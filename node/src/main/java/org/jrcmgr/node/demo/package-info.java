/**
 * The demo: three nodes on loopback, two storming the third with limits small enough to matter,
 * a live table of the target's scopes, and a report proving that no limit was exceeded and that
 * everything went back to zero.
 */
package org.jrcmgr.node.demo;
