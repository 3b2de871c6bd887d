package org.jrcmgr;

/** The scope of a service: everything its streams hold, plus what it reserves itself. */
public interface ServiceScope extends ResourceScope {
    /** The service's name. */
    String serviceName();
}
