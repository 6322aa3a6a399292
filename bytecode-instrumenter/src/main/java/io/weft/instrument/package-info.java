/**
 * The Weft javaagent.
 *
 * <p>{@link io.weft.instrument.WeftAgent} starts the runtime (found through {@link java.util.ServiceLoader}) and
 * registers {@link io.weft.instrument.WeftTransformer}, which hands each application class to {@link
 * io.weft.instrument.ClassInstrumenter}: a pure {@code byte[] -> byte[]} rewrite that turns task call sites into
 * submissions and makes every use of possibly-pending data wait first. In front of it, {@link
 * io.weft.instrument.RewriteCache} keeps rewritten classes between runs, with what each rewrite depended on, so
 * that a run of unchanged classes does not load the rewriter at all. Generated code calls only
 * {@code io.weft.api.spi}.
 */
package io.weft.instrument;
