/**
 * The observers behind the builder's observability options: the composite, the trace file and
 * reporter, the refusal summary and the flight recorder events. Not exported: the builder is the
 * way in.
 */
package org.jrcmgr.impl.observe.internal;
