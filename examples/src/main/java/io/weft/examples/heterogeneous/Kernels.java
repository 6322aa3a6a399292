package io.weft.examples.heterogeneous;

import io.weft.api.Constraint;
import io.weft.api.Implement;
import io.weft.api.Task;
import io.weft.api.Weft;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Kernels that need particular hardware. The arithmetic is the same everywhere, so the program prints the same
 * whatever ran where; the placement record (option {@code placements}) shows where each one ran.
 */
final class Kernels {
    private Kernels() {}

    /** Runs on any node; on a node with a GPU the scheduler may choose {@link #checksumOnGpu} instead. */
    @Task
    static Digest checksum(Signal s) {
        long sum = 0;
        for (long v : s.samples) {
            sum = sum * 31 + v;
        }
        return new Digest(sum);
    }

    /** The same checksum, as a GPU kernel would compute it (a reduction in two halves). */
    @Implement(of = Kernels.class, method = "checksum")
    @Constraint(gpus = 1)
    static Digest checksumOnGpu(Signal s) {
        long sum = 0;
        for (long v : s.samples) {
            sum = sum * 31 + v;
        }
        Digest d = new Digest(sum);
        d.devicesAsAssigned = Weft.assignedGpus().size() == 1 || !Weft.isActive();
        return d;
    }

    /** Code built for IBM Power. */
    @Task
    @Constraint(processorArchitecture = "ppc64le")
    static Digest onPower(Signal s) {
        return new Digest(fold(s, 7));
    }

    /** Code built for ARM. */
    @Task
    @Constraint(processorArchitecture = "aarch64")
    static Digest onArm(Signal s) {
        return new Digest(fold(s, 11));
    }

    /**
     * A kernel that needs two GPUs with 16 GB each and starts a helper process, which must see exactly the
     * devices the task holds.
     */
    @Task
    @Constraint(gpus = 2, gpuMemory = "16GB")
    static Digest onTwoGpus(Signal s) {
        Digest d = new Digest(fold(s, 13));
        d.devicesAsAssigned = helperSeesAssignedDevices();
        return d;
    }

    /** Needs the ROCm software stack, which only AMD GPU nodes have. */
    @Task
    @Constraint(software = "ROCm", gpus = 1)
    static Digest onRocm(Signal s) {
        Digest d = new Digest(fold(s, 17));
        d.devicesAsAssigned = helperSeesAssignedDevices();
        return d;
    }

    /** Wants four cores at once. */
    @Task
    @Constraint(computingUnits = 4)
    static Digest wide(Signal s) {
        Digest d = new Digest(fold(s, 19));
        d.devicesAsAssigned = Weft.assignedCores().size() == 4 || !Weft.isActive();
        return d;
    }

    private static long fold(Signal s, int k) {
        long sum = k;
        for (long v : s.samples) {
            sum = sum * k + v;
        }
        return sum;
    }

    /**
     * Starts {@code sh} and reads the GPU variables it inherited: they must name exactly the task's devices
     * (NVIDIA in {@code CUDA_VISIBLE_DEVICES}, AMD in {@code ROCR_VISIBLE_DEVICES}). Without the agent there is
     * nothing to check.
     */
    private static boolean helperSeesAssignedDevices() {
        if (!Weft.isActive()) {
            return true;
        }
        String assigned = Weft.assignedGpus().stream().map(String::valueOf).collect(Collectors.joining(","));
        try {
            Process p = new ProcessBuilder(List.of("sh", "-c", "echo \"$CUDA_VISIBLE_DEVICES|$ROCR_VISIBLE_DEVICES\""))
                    .start();
            String seen = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor();
            String[] parts = seen.split("\\|", -1);
            return !assigned.isEmpty() && (parts[0].equals(assigned) || parts[1].equals(assigned));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
