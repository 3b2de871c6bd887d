/**
 * go-libp2p's resource-manager metrics for Micrometer: see {@link org.jrcmgr.micrometer.RcmgrMetrics}.
 */
package org.jrcmgr.micrometer;
