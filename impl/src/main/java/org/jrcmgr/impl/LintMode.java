package org.jrcmgr.impl;

/**
 * What {@link ResourceManagerBuilder#build()} does with the {@linkplain PolicyLint policy lint}.
 */
public enum LintMode {
    /** The configuration is not checked. */
    OFF,
    /**
     * The configuration is checked and every finding is logged, once, at the level of its
     * severity; the manager is built whatever the findings. The default.
     */
    WARN,
    /**
     * As {@link #WARN}, and a finding of severity {@link LintFinding.Severity#ERROR} makes
     * {@code build()} throw an {@link IllegalStateException} that lists the errors, before
     * anything is started.
     */
    FAIL
}
