/**
 * End-to-end benchmark programs. Each is an ordinary Weft program: run it with the agent to measure the
 * runtime, without it for the sequential baseline. {@code benchmarks/run.sh} runs them all and prints the
 * figures recorded in {@code docs/performance.md}.
 */
package io.weft.benchmarks;
