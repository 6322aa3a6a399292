package io.weft.runtime.worker;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

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

    /** The core ids the task holds. */
    public List<Integer> cores() {
        return Arrays.stream(assignment.coresUnsafe()).boxed().toList();
    }

    /** The GPU device ids the task holds. */
    public List<Integer> gpus() {
        return Arrays.stream(assignment.gpusUnsafe()).boxed().toList();
    }

    /**
     * Variables for a process the task starts: {@code CUDA_VISIBLE_DEVICES} with its NVIDIA devices (empty when it
     * holds none on a node that has some, so it cannot use devices other tasks hold); for AMD devices
     * {@code ROCR_VISIBLE_DEVICES} with its device ids and {@code HIP_VISIBLE_DEVICES} numbering the visible ones
     * from 0 (HIP indexes the devices ROCr leaves visible); {@code OMP_NUM_THREADS} with its core count; and
     * {@code WEFT_CORES}, {@code WEFT_GPUS} with the ids.
     */
    public Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        int[] gpus = assignment.gpusUnsafe();
        boolean anyNvidia = resources.gpus().stream().anyMatch(g -> !"AMD".equals(g.vendor()));
        boolean anyAmd = resources.gpus().stream().anyMatch(g -> "AMD".equals(g.vendor()));
        if (anyNvidia) {
            env.put("CUDA_VISIBLE_DEVICES", join(gpus, false));
        }
        if (anyAmd) {
            String amd = join(gpus, true);
            env.put("ROCR_VISIBLE_DEVICES", amd);
            env.put("HIP_VISIBLE_DEVICES", amd.isEmpty() ? ""
                    : java.util.stream.IntStream.range(0, amd.split(",").length).mapToObj(String::valueOf)
                            .collect(Collectors.joining(",")));
        }
        env.put("OMP_NUM_THREADS", String.valueOf(assignment.coresUnsafe().length));
        env.put("WEFT_CORES", join(assignment.coresUnsafe()));
        env.put("WEFT_GPUS", join(gpus));
        return env;
    }

    private String join(int[] gpus, boolean amd) {
        return Arrays.stream(gpus).filter(g -> "AMD".equals(resources.gpus().get(g).vendor()) == amd)
                .mapToObj(String::valueOf).collect(Collectors.joining(","));
    }

    private static String join(int[] ids) {
        return Arrays.stream(ids).mapToObj(String::valueOf).collect(Collectors.joining(","));
    }
}
