package io.weft.runtime.worker.executor;

import io.weft.runtime.worker.WorkerResources;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * What the task running on the current executor thread holds: its core and GPU ids, and the environment a process
 * it starts should get so that it uses only those. Set by the worker on its executor thread around each attempt;
 * made only when a task asks. Immutable.
 */
public final class TaskContext {
    private final Assignment assignment;
    private final WorkerResources resources;

    private TaskContext(Assignment assignment, WorkerResources resources) {
        this.assignment = assignment;
        this.resources = resources;
    }

    /** The GPU ids the calling thread's task holds; empty outside a task. */
    public static List<Integer> currentGpus() {
        TaskContext context = current();
        return context == null ? List.of() : context.gpus();
    }

    /** The core ids the calling thread's task holds; empty outside a task. */
    public static List<Integer> currentCores() {
        TaskContext context = current();
        return context == null ? List.of() : context.cores();
    }

    /** The environment the calling thread's task gives processes it starts; empty outside a task. */
    public static Map<String, String> currentEnvironment() {
        TaskContext context = current();
        return context == null ? Map.of() : context.environment();
    }

    /** The id of the task running on this thread, or -1 outside a task. */
    public static long currentTaskId() {
        return Thread.currentThread() instanceof ExecutorThread t ? t.taskId : -1;
    }

    /**
     * The task running on this thread started a process: should the attempt be stopped (time limit, cancel), the
     * process is ended with its descendants. Nothing outside a task.
     */
    public static void processStarted(Process process) {
        if (Thread.currentThread() instanceof ExecutorThread t && t.processStarted(process)) {
            t.pool.endProcesses(List.of(process)); // started while being stopped: ended at once
        }
    }

    /** The context of the task running on this thread, or {@code null} outside a task. */
    public static TaskContext current() {
        if (Thread.currentThread() instanceof ExecutorThread t && t.held != null) {
            if (t.context == null) {
                t.context = new TaskContext(t.held, t.resources);
            }
            return t.context;
        }
        return null;
    }

    /**
     * Whether a worker's GPUs fit in the allocation this process inherited: a list in {@code CUDA_VISIBLE_DEVICES}
     * or {@code ROCR_VISIBLE_DEVICES} (a batch system's, say) must name at least as many devices as the node
     * declares of that vendor, or tasks would be given devices outside it.
     *
     * @return what is wrong, or {@code null}
     */
    public static String allocationProblem(String node, WorkerResources resources,
            java.util.function.Function<String, String> inherited) {
        String problem = allocationProblem(node, resources, inherited, "CUDA_VISIBLE_DEVICES", "NVIDIA", true);
        return problem != null ? problem : allocationProblem(node, resources, inherited, "ROCR_VISIBLE_DEVICES",
                "AMD", false);
    }

    private static String allocationProblem(String node, WorkerResources resources,
            java.util.function.Function<String, String> inherited, String variable, String vendor, boolean nvidia) {
        String list = inherited.apply(variable);
        if (list == null) {
            return null;
        }
        // A loop, not a stream: this runs in the runtime's start, while the JVM interprets.
        long declared = 0;
        for (WorkerResources.Gpu g : resources.gpus()) {
            if (nvidia ? g.isNvidia() : g.isAmd()) {
                declared++;
            }
        }
        if (declared == 0) {
            return null;
        }
        int allowed = list.isBlank() ? 0 : list.split(",").length;
        if (allowed >= declared) {
            return null;
        }
        return "node '" + node + "' declares " + declared + " " + vendor + " GPUs, but this process may use only "
                + allowed + " (" + variable + "=" + list + "): tasks would get devices outside that allocation."
                + " Declare at most " + allowed + " on the node, or run without " + variable + " set";
    }

    /** A context for an assignment on a worker with these resources (tests build it directly). */
    static TaskContext of(Assignment assignment, WorkerResources resources) {
        return new TaskContext(assignment, resources);
    }

    /** The core ids the task holds. */
    public List<Integer> cores() {
        return Arrays.stream(assignment.coresUnsafe()).boxed().toList();
    }

    /** The GPU device ids the task holds. */
    public List<Integer> gpus() {
        return Arrays.stream(assignment.gpusUnsafe()).boxed().toList();
    }

    /**
     * Variables for a process the task starts, so it uses only the task's devices and cores.
     *
     * <ul>
     *   <li>{@code CUDA_VISIBLE_DEVICES}, on a node with NVIDIA GPUs: the task's NVIDIA devices, numbered as CUDA
     *       numbers them (among the NVIDIA devices only); empty when it holds none, so it cannot use devices other
     *       tasks hold.
     *   <li>{@code ROCR_VISIBLE_DEVICES}, on a node with AMD GPUs: its AMD devices, numbered among the AMD ones;
     *       and {@code HIP_VISIBLE_DEVICES} numbering the visible ones from 0 (HIP indexes the devices ROCr leaves
     *       visible).
     *   <li>If this process was itself confined by such a variable (a batch system's GPU allocation, say), device
     *       {@code i} is the {@code i}-th entry of that list, so the task stays inside the allocation.
     *   <li>{@code OMP_NUM_THREADS} with its core count; {@code WEFT_CORES} and {@code WEFT_GPUS} with the ids.
     * </ul>
     */
    public Map<String, String> environment() {
        return environment(io.weft.runtime.worker.ProcessEnvironment.VARIABLES);
    }

    Map<String, String> environment(java.util.function.Function<String, String> inherited) {
        Map<String, String> env = new LinkedHashMap<>();
        int[] gpus = assignment.gpusUnsafe();
        if (resources.gpus().stream().anyMatch(WorkerResources.Gpu::isNvidia)) {
            env.put("CUDA_VISIBLE_DEVICES", visible(gpus, WorkerResources.Gpu::isNvidia,
                    inherited.apply("CUDA_VISIBLE_DEVICES")));
        }
        if (resources.gpus().stream().anyMatch(WorkerResources.Gpu::isAmd)) {
            String amd = visible(gpus, WorkerResources.Gpu::isAmd, inherited.apply("ROCR_VISIBLE_DEVICES"));
            env.put("ROCR_VISIBLE_DEVICES", amd);
            env.put("HIP_VISIBLE_DEVICES", amd.isEmpty() ? ""
                    : IntStream.range(0, amd.split(",").length).mapToObj(String::valueOf)
                            .collect(Collectors.joining(",")));
        }
        env.put("OMP_NUM_THREADS", String.valueOf(assignment.coresUnsafe().length));
        env.put("WEFT_CORES", join(assignment.coresUnsafe()));
        env.put("WEFT_GPUS", join(gpus));
        return env;
    }

    /**
     * The task's devices of one vendor, numbered among that vendor's devices of the node, and mapped through the
     * list this process inherited, if any.
     */
    private String visible(int[] gpus, Predicate<WorkerResources.Gpu> vendor, String inherited) {
        String[] allocation = inherited == null || inherited.isBlank() ? null : inherited.split(",");
        StringBuilder out = new StringBuilder();
        for (int g : gpus) {
            if (!vendor.test(resources.gpus().get(g))) {
                continue;
            }
            int index = 0;
            for (int other = 0; other < g; other++) {
                if (vendor.test(resources.gpus().get(other))) {
                    index++;
                }
            }
            String id = allocation != null && index < allocation.length ? allocation[index].trim()
                    : String.valueOf(index);
            out.append(out.length() == 0 ? "" : ",").append(id);
        }
        return out.toString();
    }

    private static String join(int[] ids) {
        return Arrays.stream(ids).mapToObj(String::valueOf).collect(Collectors.joining(","));
    }
}
