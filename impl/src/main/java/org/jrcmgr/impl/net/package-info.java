/**
 * Limits by network address: the allowlist of trusted endpoints, the limits on concurrent
 * connections per subnet and network prefix, and the connection rate limits (go-libp2p's
 * {@code allowlist.go}, {@code conn_limiter.go} and {@code x/rate}). The types here configure them;
 * the machinery lives in a package that is not exported.
 */
package org.jrcmgr.impl.net;
