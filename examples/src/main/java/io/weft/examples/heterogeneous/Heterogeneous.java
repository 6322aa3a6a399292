package io.weft.examples.heterogeneous;

import java.util.ArrayList;
import java.util.List;

/**
 * Tasks that need particular hardware, for the heterogeneous cluster in {@code examples/resources/heterogeneous}:
 * Power9 and ARM code, GPU kernels with an alternative implementation, a kernel that needs ROCm, and a wide
 * task. Run it with that resources file:
 *
 * <pre>java -javaagent:weft-agent.jar -Dweft.resources=examples/resources/heterogeneous/resources.xml \
 *      -Dweft.placements=placements.jsonl -cp … io.weft.examples.heterogeneous.Heterogeneous 20</pre>
 *
 * <p>Arguments: how many signals (default 20) and their length (default 20000).
 */
public final class Heterogeneous {
    private Heterogeneous() {}

    public static void main(String[] args) {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int length = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        List<Signal> signals = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            signals.add(new Signal(i, length));
        }
        List<Digest> checksums = new ArrayList<>();
        List<Digest> power = new ArrayList<>();
        List<Digest> arm = new ArrayList<>();
        List<Digest> gpus = new ArrayList<>();
        List<Digest> rocm = new ArrayList<>();
        List<Digest> wide = new ArrayList<>();
        // The checksums first: while they run, the GPUs are free for checksum's GPU alternative to be tried.
        for (Signal s : signals) {
            checksums.add(Kernels.checksum(s));
        }
        for (Signal s : signals) {
            power.add(Kernels.onPower(s));
            arm.add(Kernels.onArm(s));
            gpus.add(Kernels.onTwoGpus(s));
            rocm.add(Kernels.onRocm(s));
            wide.add(Kernels.wide(s));
        }
        report("checksum", checksums);
        report("power", power);
        report("arm", arm);
        report("two-gpus", gpus);
        report("rocm", rocm);
        report("wide", wide);
    }

    private static void report(String kind, List<Digest> digests) {
        long combined = 0;
        int asAssigned = 0;
        for (Digest d : digests) {
            combined = combined * 1_000_003 + d.checksum;
            asAssigned += d.devicesAsAssigned ? 1 : 0;
        }
        System.out.println(kind + ": " + digests.size() + " digests, combined " + combined + ", devices as assigned "
                + asAssigned + "/" + digests.size());
    }
}
