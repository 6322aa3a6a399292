package io.weft.runtime.worker.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.weft.runtime.worker.WorkerResources;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkerOptionsTest {
    private static final String[] REQUIRED = {"--node", "n1", "--master", "m:7000", "--work-dir", "/tmp"};

    private static WorkerOptions parse(Map<String, String> environment, String... args) {
        return WorkerOptions.parse(args, environment::get);
    }

    private static String[] with(String... more) {
        String[] all = new String[REQUIRED.length + more.length];
        System.arraycopy(REQUIRED, 0, all, 0, REQUIRED.length);
        System.arraycopy(more, 0, all, REQUIRED.length, more.length);
        return all;
    }

    private static StartFailure failure(Runnable r) {
        return catchThrowableOfType(r::run, StartFailure.class);
    }

    @Test
    void aMissingOrUnknownOption_isABadArgument_withTheUsage() {
        StartFailure missing = failure(() -> parse(Map.of(), "--node", "n1", "--work-dir", "/tmp"));
        assertThat(missing.status).isEqualTo(2);
        assertThat(missing.node).isEqualTo("n1");
        assertThat(missing.getMessage()).startsWith("missing --master; usage: --node NAME");

        StartFailure unknown = failure(() -> parse(Map.of(), "--colour", "red"));
        assertThat(unknown.status).isEqualTo(2);
        assertThat(unknown.node).as("not known yet").isEqualTo("?");
        assertThat(unknown.getMessage()).startsWith("unknown option --colour");

        assertThat(failure(() -> parse(Map.of(), "--node")).getMessage()).startsWith("bad argument '--node'");
    }

    @Test
    void withoutNode_theNodeComesFromTheEnvironment_andTheOptionWins() {
        String[] noNode = {"--master", "m:7000", "--work-dir", "/tmp"};
        assertThat(parse(Map.of("SLURMD_NODENAME", " s1 "), noNode).node()).isEqualTo("s1");
        assertThat(parse(Map.of("WEFT_NODE", "w1", "SLURMD_NODENAME", "s1"), noNode).node()).isEqualTo("w1");
        assertThat(parse(Map.of("WEFT_NODE", "w1"), REQUIRED).node()).isEqualTo("n1");
    }

    @Test
    void counts_defaultWhenAbsent_areCapped_andMustBePositive() {
        WorkerOptions defaults = parse(Map.of(), REQUIRED);
        assertThat(defaults.cores(8)).isEqualTo(8);
        assertThat(defaults.slots(3)).isEqualTo(3);
        assertThat(defaults.connectTimeoutMillis()).isEqualTo(60_000);
        assertThat(defaults.masterTimeoutMillis()).isEqualTo(30_000);
        assertThat(defaults.storeBudget(99)).isEqualTo(99);

        WorkerOptions given = parse(Map.of(), with("--cores", "100000", "--store-budget", "5"));
        assertThat(given.cores(8)).isEqualTo(4096);
        assertThat(given.storeBudget(99)).isEqualTo(5);

        StartFailure zero = failure(() -> parse(Map.of(), with("--slots", "0")).slots(4));
        assertThat(zero.status).isEqualTo(2);
        assertThat(zero.getMessage()).isEqualTo("--slots 0 is not a positive whole number");
    }

    @Test
    void ports_areAPortOrARange() {
        assertThat(parse(Map.of(), REQUIRED).ports()).isEqualTo(new WorkerOptions.Ports(0, 0, "0"));
        assertThat(parse(Map.of(), with("--port", "7000-7002")).ports())
                .isEqualTo(new WorkerOptions.Ports(7000, 7002, "7000-7002"));
        for (String bad : new String[] {"9-1", "70000", "x", "-1"}) {
            assertThat(failure(() -> parse(Map.of(), with("--port", bad)).ports()).getMessage())
                    .isEqualTo("--port " + bad + " is not a port number or a range MIN-MAX");
        }
    }

    @Test
    void theMaster_isHostAndPort() {
        InetSocketAddress master = parse(Map.of(), "--node", "n1", "--master", "127.0.0.1:7000", "--work-dir", "/tmp")
                .master();
        assertThat(master.getHostString()).isEqualTo("127.0.0.1");
        assertThat(master.getPort()).isEqualTo(7000);
        StartFailure bad = failure(() -> parse(Map.of(), "--node", "n1", "--master", "m", "--work-dir", "/tmp")
                .master());
        assertThat(bad.status).isEqualTo(2);
        assertThat(bad.getMessage()).isEqualTo("--master m is not HOST:PORT");
    }

    @Test
    void gpusOutsideTheInheritedAllocation_areRefusedWithTheirOwnStatus() {
        String gpus = new WorkerResources(1, List.of(new WorkerResources.Gpu("V100", 1L << 30, "NVIDIA"),
                new WorkerResources.Gpu("V100", 1L << 30, "NVIDIA")), -1).gpusArgument();
        WorkerOptions options = parse(Map.of(), with("--gpus", gpus, "--memory", "1000"));

        WorkerResources resources = options.resources(4, Map.of("CUDA_VISIBLE_DEVICES", "0,1")::get);
        assertThat(resources.gpus()).hasSize(2);
        assertThat(resources.memoryBytes()).isEqualTo(1000);

        StartFailure outside = failure(() -> options.resources(4, Map.of("CUDA_VISIBLE_DEVICES", "0")::get));
        assertThat(outside.status).isEqualTo(7);
        assertThat(outside.getMessage()).contains("declares 2 NVIDIA GPUs, but this process may use only 1");

        WorkerOptions badGpus = parse(Map.of(), with("--gpus", "::"));
        assertThat(failure(() -> badGpus.resources(4, Map.<String, String>of()::get)).status).isEqualTo(2);
    }
}
