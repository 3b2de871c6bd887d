package org.jrcmgr.impl.observe.internal;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import org.jrcmgr.impl.observe.FlightRecorderEvents;

/**
 * A reservation refused by a limit, or one that shadow mode let through. Without a stack trace by
 * default: refusals can come by the thousand under attack, and the scope path says where.
 */
@Name(FlightRecorderEvents.REFUSAL)
@Label("Resource Refusal")
@Category({"jrcmgr", "Resource Manager"})
@Description("A scope refused a reservation because a limit would have been exceeded (or, in shadow mode,"
        + " would have refused it and let it through)")
@StackTrace(false)
final class RefusalEvent extends jdk.jfr.Event {


    @Label("Scope Path")
    @Description("Where the reservation was asked, root first, e.g. system > peer:12D3KooW... > conn-17")
    String path;

    @Label("Refusing Scope")
    @Description("The scope whose limit refused")
    String refusingScope;

    @Label("Resource")
    @Description("memory, inbound stream, outbound stream, stream, inbound connection, outbound connection,"
            + " connection or file descriptor")
    String resource;

    @Label("Current")
    @Description("What the refusing scope held (bytes for memory, a count otherwise)")
    long current;

    @Label("Requested")
    @Description("What was asked")
    long requested;

    @Label("Limit")
    @Description("The refusing scope's limit for the resource")
    long limit;

    @Label("Priority")
    @Description("The reservation priority, 0 to 255 (255 for streams and connections)")
    int priority;

    @Label("Shadow")
    @Description("Whether shadow mode let the reservation through")
    boolean shadow;
}
