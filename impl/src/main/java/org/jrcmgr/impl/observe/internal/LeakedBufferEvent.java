package org.jrcmgr.impl.observe.internal;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import org.jrcmgr.impl.observe.FlightRecorderEvents;

/** A buffer still live when its scope was closed, freed by the scope on its owner's behalf. */
@Name(FlightRecorderEvents.LEAKED_BUFFER)
@Label("Leaked Buffer")
@Category({"jrcmgr", "Resource Manager"})
@Description("A buffer drawn from a scope was still open when the scope closed; the scope freed it")
@StackTrace(false)
final class LeakedBufferEvent extends jdk.jfr.Event {


    @Label("Scope Path")
    @Description("The scope that held the buffer, root first")
    String path;

    @Label("Size")
    @DataAmount
    long size;

    @Label("Allocation Site")
    @Description("Where the buffer was allocated, when leak tracing was on; else empty")
    String allocationSite;
}
