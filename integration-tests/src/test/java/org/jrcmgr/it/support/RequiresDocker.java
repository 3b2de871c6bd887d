package org.jrcmgr.it.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class that needs a Docker engine. In CI ({@code CI=true}) a missing engine fails the
 * class, so a broken CI machine can never pass by running nothing; elsewhere the class is skipped
 * with one message that says how to get an engine. See {@link DockerAvailability}.
 */
@Documented
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(DockerAvailability.class)
public @interface RequiresDocker {
}
