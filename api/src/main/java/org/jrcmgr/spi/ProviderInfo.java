package org.jrcmgr.spi;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The name and rank of a {@link ResourceManagerProvider}, read from its class without creating an
 * instance. A provider without this annotation is named by its fully qualified class name and has
 * priority 0.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface ProviderInfo {

    /** The provider's name, unique among the providers present; the value of the selection property. */
    String name();

    /** When several providers are present and none is named explicitly, the highest priority wins. */
    int priority() default 0;
}
