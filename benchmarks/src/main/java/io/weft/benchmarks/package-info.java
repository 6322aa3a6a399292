/**
 * End-to-end benchmark programs. Each is an ordinary Weft program: run it with the agent to measure the
 * runtime, without it for the sequential baseline. {@code benchmarks/run.sh} runs them all and prints the
 * figures recorded in {@code docs/performance.md}. Task Bench, with its METG sweep and a Dask counterpart, is in
 * {@link io.weft.benchmarks.taskbench} and runs from {@code benchmarks/taskbench.sh}.
 */
package io.weft.benchmarks;
