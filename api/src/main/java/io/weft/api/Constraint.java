package io.weft.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What a task (or one {@link Implement} alternative) needs from the node that runs it.
 *
 * <p>Empty strings mean "no requirement". String values may refer to environment variables as {@code ${NAME}}.
 * Sizes are a number and a unit: {@code "512MB"}, {@code "6GB"}, {@code "1.5TB"}.
 *
 * <p>Declared in this release: the local runtime does not read it yet; the resources-aware scheduler will honour
 * every field.
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

    /** Processor type of the main processor: {@code CPU}, {@code GPU}, {@code FPGA} or {@code OTHER}. */
    String processorType() default "";

    /** Processor name as declared in resources.xml, e.g. {@code Power9}, {@code EPYC}. */
    String processorName() default "";

    /** Number of GPUs the task needs; each gets a specific device id of its node. */
    int gpus() default 0;

    /** Device memory each GPU must have, e.g. {@code "16GB"}. */
    String gpuMemory() default "";

    /** Comma-separated names of software that must be installed on the node. */
    String software() default "";

    /** Operating system type, e.g. {@code Linux}. */
    String operatingSystem() default "";

    /** Local storage the task needs, e.g. {@code "100GB"}. */
    String storage() default "";
}
