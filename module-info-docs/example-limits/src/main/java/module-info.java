/**
 * An application that configures the default implementation in code, so it requires it; the API
 * comes with it ({@code org.jrcmgr.impl} requires {@code org.jrcmgr} transitively).
 */
module org.jrcmgr.example.limits {
    requires org.jrcmgr.impl;
}
