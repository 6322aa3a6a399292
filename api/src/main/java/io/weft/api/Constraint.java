package io.weft.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What a task (or one {@link Implement} alternative) needs from the node that runs it.
 *
 * <p>Empty strings mean "no requirement". String values may refer to environment variables as {@code ${NAME}}
 * or {@code ${NAME:-default}}. Sizes are a number and a unit: {@code "512MB"}, {@code "6GB"}, {@code "1.5TB"}.
 *
 * <p>A node can run the task only if it satisfies every field (a node that does not declare what a field asks
 * about does not). Cores, GPUs and memory are also reserved on the node while the task runs: it starts only when
 * they are free, gets specific core and GPU ids ({@link Weft#assignedCores()}, {@link Weft#assignedGpus()}), and
 * no other running task shares them. A task that no node of the run can ever satisfy fails at the call with an
 * {@link UnschedulableTaskException}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Constraint {
    /** Cores the task occupies while it runs. */
    int computingUnits() default 1;

    /** Main memory the task needs, e.g. {@code "6GB"}. */
    String memory() default "";

    /** Processor architecture: {@code amd64}, {@code aarch64} or {@code ppc64le}. */
    String processorArchitecture() default "";

    /** A processor of this type must be present: {@code CPU}, {@code GPU}, {@code FPGA} or {@code OTHER}. */
    String processorType() default "";

    /** Processor name as declared in resources.xml, e.g. {@code Power9}, {@code EPYC}. */
    String processorName() default "";

    /** Number of GPUs the task needs; each gets a specific device id of its node. */
    int gpus() default 0;

    /** Device memory each GPU must have, e.g. {@code "16GB"}; given without {@link #gpus()}, asks for one GPU. */
    String gpuMemory() default "";

    /** Comma-separated names of software that must be installed on the node. */
    String software() default "";

    /** Operating system type, e.g. {@code Linux}. */
    String operatingSystem() default "";

    /** Local storage the task needs, e.g. {@code "100GB"}. */
    String storage() default "";
}
