/**
 * The machinery behind {@link org.jrcmgr.impl.net}: the connection limiter, the token-bucket rate
 * limiters and source-address verification, and the immutable prefix trie they and the allowlist
 * share. Not exported: the classes are public only so that the manager in
 * {@code org.jrcmgr.impl.scope} can call them.
 */
package org.jrcmgr.impl.net.internal;
