/**
 * Task Bench (Slaughter et al., SC20) as a Weft program: the dependence patterns ({@link
 * io.weft.benchmarks.taskbench.TaskGraph}), the kernels ({@link io.weft.benchmarks.taskbench.Kernel}), the tasks
 * that run one point each, and the METG(50%) sweep ({@link io.weft.benchmarks.taskbench.Metg}). Written from the
 * paper and the public description of Task Bench's core; no Task Bench code. {@code benchmarks/taskbench.sh} runs
 * it next to the same patterns in Dask.
 */
package io.weft.benchmarks.taskbench;
