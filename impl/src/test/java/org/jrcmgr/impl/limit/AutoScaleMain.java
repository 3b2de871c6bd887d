package org.jrcmgr.impl.limit;

import java.io.PrintStream;

/**
 * Prints what {@link ScalingLimitConfig#autoScale()} chooses on this machine: the budget with its
 * sources, and the system scope's limits scaled to it. Run with
 * {@code mvn -q -pl impl exec:java -Dexec.classpathScope=test -Dexec.mainClass=org.jrcmgr.impl.limit.AutoScaleMain}.
 */
public final class AutoScaleMain {

    private AutoScaleMain() {
    }

    /**
     * Prints the budget and the scaled system limits.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        PrintStream out = System.out;
        SystemBudget budget = SystemBudget.detect();
        out.println(budget.describe());
        out.println("system scope: " + DefaultLimits.defaults().scale(budget).system());
    }
}
