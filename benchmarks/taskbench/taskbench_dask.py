#!/usr/bin/python3
"""Task Bench's dependence patterns, kernels and METG(50%) sweep in Dask distributed: the same programs as Weft's
io.weft.benchmarks.taskbench.TaskBench, for a side-by-side run (benchmarks/taskbench.sh).

Each point of each step is one client.submit() whose arguments are the futures of its dependencies' outputs of
the step before, on a LocalCluster of single-threaded worker processes. Graph, kernels, validation, checksum and
METG follow the Java harness line by line (same hash, so both print the same checksum for the same graph).

Usage (Debian's interpreter, which has python3-distributed and python3-numpy):
  /usr/bin/python3 taskbench_dask.py -type stencil_1d -width 2 -steps 100 -kernel compute_bound -sweep -max-us 20000
  /usr/bin/python3 taskbench_dask.py -all -width 8 -steps 12      # one checksum per pattern
Flags: Task Bench's -type -width -steps -radix -period -fraction -kernel -iter -imbalance -scratch -sample -output,
plus -workers N (2), -cores N (granularity's cores; default the workers), -sweep, -max-us US, -reps N, -all.

The compute_bound kernel is numpy (64 doubles, a = a * a + a per iteration): each iteration costs Python's call
overhead, so Dask's FLOP/s are far below Java's; METG is a time (the paper's own-peak efficiency compares each
point with the largest granularity of the same sweep), so it stays comparable.
"""
import logging
import math
import sys
import time

import numpy as np

MASK = (1 << 64) - 1
SEED = 0x5441534B42454E43

PATTERNS = ["trivial", "no_comm", "stencil_1d", "stencil_1d_periodic", "dom", "tree", "fft", "all_to_all",
            "nearest", "spread", "random_nearest"]
KERNELS = ["empty", "compute_bound", "memory_bound", "load_imbalance"]


def mix(z):
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


def combine(h, v):
    v &= MASK
    return mix(h ^ ((v + 0x9E3779B97F4A7C15 + ((h << 6) & MASK) + (h >> 2)) & MASK))


def uniform(*values):
    h = SEED
    for v in values:
        h = combine(h, v)
    return (mix(h) >> 11) * 2.0 ** -53


class Graph:
    def __init__(self, pattern, width, steps, radix=3, period=-1, fraction=0.25):
        has_period = pattern in ("spread", "random_nearest")
        if period < 0:
            period = 3 if has_period else 0
        if not has_period:
            period = 0
        if pattern == "spread" and period > (width + radix - 1) // radix:
            raise ValueError("spread with width %d and radix %d needs a period of at most %d"
                             % (width, radix, (width + radix - 1) // radix))
        self.pattern, self.width, self.steps = pattern, width, steps
        self.radix, self.period, self.fraction = radix, period, fraction
        self._deps = {}

    def offset(self, t):
        if t < 0 or self.pattern != "dom":
            return 0
        return max(0, t + self.width - self.steps)

    def width_at(self, t):
        if t < 0:
            return 0
        if self.pattern == "dom":
            return min(self.width, t + 1, self.steps - t)
        if self.pattern == "tree":
            return self.width if t >= 30 else min(self.width, 1 << t)
        return self.width

    def points(self, t):
        return range(self.offset(t), self.offset(t) + self.width_at(t))

    def sets(self):
        if self.pattern == "fft":
            return max(1, (self.width - 1).bit_length())
        if self.pattern in ("spread", "random_nearest"):
            return self.period
        return 1

    def dependence_set(self, t):
        n = self.sets()
        return (t + n - 1) % n if self.pattern == "fft" else t % n

    def tasks(self):
        return sum(self.width_at(t) for t in range(self.steps))

    def dependencies(self, t, p):
        key = (t, p)
        if key not in self._deps:
            self._deps[key] = self._dependencies(t, p)
        return self._deps[key]

    def _dependencies(self, t, p):
        if t == 0:
            return []
        w, r, s = self.width, self.radix, self.dependence_set(t)
        kind = self.pattern
        dep = set()
        rng = lambda a, b: dep.update(range(max(0, a), min(w - 1, b) + 1))
        if kind == "no_comm":
            dep.add(p)
        elif kind == "stencil_1d":
            rng(p - 1, p + 1)
        elif kind == "stencil_1d_periodic":
            rng(p - 1, p + 1)
            dep.update(((p - 1) % w, (p + 1) % w))
        elif kind == "dom":
            rng(p - 1, p)
        elif kind == "tree":
            dep.add(p // 2)
        elif kind == "fft":
            rng(p - (1 << s), p - (1 << s))
            dep.add(p)
            rng(p + (1 << s), p + (1 << s))
        elif kind == "all_to_all":
            rng(0, w - 1)
        elif kind == "nearest":
            if r > 0:
                rng(p - r // 2, p + (r - 1) // 2)
        elif kind == "spread":
            for i in range(r):
                dep.add((p + i * w // r + (s if i > 0 else 0)) % w)
        elif kind == "random_nearest":
            for i in range(max(0, p - r // 2), min(w - 1, p + (r - 1) // 2) + 1):
                if i == p or uniform(r, s, i, p) < self.fraction:
                    dep.add(i)
        lo = self.offset(t - 1)
        hi = lo + self.width_at(t - 1)
        return sorted(d for d in dep if lo <= d < hi)

    def describe(self):
        s = "-type %s -width %d -steps %d" % (self.pattern, self.width, self.steps)
        if self.pattern in ("nearest", "spread", "random_nearest"):
            s += " -radix %d" % self.radix
        if self.period:
            s += " -period %d" % self.period
        if self.pattern == "random_nearest":
            s += " -fraction %s" % self.fraction
        return s


class Kernel:
    def __init__(self, kind="empty", iterations=0, imbalance=0.0, scratch=0, samples=16):
        self.kind, self.iterations, self.imbalance = kind, iterations, imbalance
        self.scratch, self.samples = scratch, samples

    def with_iterations(self, n):
        return Kernel(self.kind, n, self.imbalance, self.scratch, self.samples)

    def iterations_at(self, t, p):
        if self.kind != "load_imbalance":
            return self.iterations
        return int(math.floor((1 + (uniform(t, p) - 0.5) * self.imbalance) * self.iterations + 0.5))

    def flops(self, t, p):
        if self.kind in ("compute_bound", "load_imbalance"):
            return 2 * 64 * self.iterations_at(t, p) + 64
        return 0

    def bytes(self, t, p):
        return self.scratch * self.iterations // self.samples if self.kind == "memory_bound" else 0

    def execute(self, t, p):
        if self.kind in ("compute_bound", "load_imbalance"):
            return compute(self.iterations_at(t, p))
        if self.kind == "memory_bound":
            return memory(t, self.iterations, self.scratch, self.samples)
        return 0.0


def compute(iterations):
    a = np.full(64, 1.2345)
    b = np.empty(64)
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(iterations):
            np.multiply(a, a, out=b)
            np.add(b, a, out=a)
        return float(np.prod(a))


_SCRATCH = {}


def memory(t, iterations, scratch_bytes, samples):
    words = scratch_bytes // 8
    buf = _SCRATCH.get(words)
    if buf is None:
        buf = _SCRATCH[words] = np.full(words, 0x5C4A7C8B, dtype=np.int64)
    sample_words = words // samples
    half = sample_words // 2
    for n in range(iterations):
        base = ((t * iterations + n) % samples) * sample_words
        buf[base + half:base + 2 * half] = buf[base:base + half]
    return float(buf[t % max(1, words)])


class Config:
    def __init__(self, graph, kernel, output_bytes=16):
        self.graph, self.kernel, self.output_bytes = graph, kernel, output_bytes

    def with_iterations(self, n):
        return Config(self.graph, self.kernel.with_iterations(n), self.output_bytes)

    def spec(self):
        s = self.graph.describe() + " -kernel %s -iter %d" % (self.kernel.kind, self.kernel.iterations)
        if self.kernel.kind == "load_imbalance":
            s += " -imbalance %s" % self.kernel.imbalance
        if self.kernel.kind == "memory_bound":
            s += " -scratch %d -sample %d" % (self.kernel.scratch, self.kernel.samples)
        return s + " -output %d" % self.output_bytes

    def total(self, what):
        g = self.graph
        return sum(what(t, p) for t in range(g.steps) for p in g.points(t))


def parse(argv):
    opts = dict(type="trivial", width=4, steps=4, radix=3, period=-1, fraction=0.25, kernel="empty", iter=0,
                imbalance=0.0, scratch=0, sample=16, output=16, workers=2, cores=0, max_us=0.0, reps=1,
                sweep=False, all=False)
    conv = dict(type=str, kernel=str, fraction=float, imbalance=float, max_us=float)
    i = 0
    while i < len(argv):
        name = argv[i].lstrip("-").replace("-", "_")
        if name not in opts:
            sys.exit("taskbench_dask: unknown flag %s" % argv[i])
        if isinstance(opts[name], bool):
            opts[name] = True
        else:
            i += 1
            opts[name] = conv.get(name, int)(argv[i])
        i += 1
    if opts["type"] not in PATTERNS:
        sys.exit("taskbench_dask: unknown pattern %s; accepted: %s" % (opts["type"], ", ".join(PATTERNS)))
    if opts["kernel"] not in KERNELS:
        sys.exit("taskbench_dask: unknown kernel %s; accepted: %s" % (opts["kernel"], ", ".join(KERNELS)))
    return opts


def make_config(o, pattern=None):
    pattern = pattern or o["type"]
    period = o["period"]
    if pattern == "spread" and (o["all"] or period < 0):
        period = max(1, min(period if period > 0 else 3, (o["width"] + o["radix"] - 1) // max(1, o["radix"])))
    g = Graph(pattern, o["width"], o["steps"], o["radix"], period, o["fraction"])
    k = Kernel(o["kernel"], o["iter"], o["imbalance"], o["scratch"], o["sample"])
    return Config(g, k, o["output"])


# ---- the task ---------------------------------------------------------------------------------------------------

_CONFIGS = {}


def point_task(spec, t, p, *inputs):
    """One point: checks its inputs are the outputs of (t-1, dep), runs the kernel, returns (words, digest)."""
    config = _CONFIGS.get(spec)
    if config is None:
        o = parse(spec.split(" "))
        config = _CONFIGS[spec] = make_config(o)
    deps = config.graph.dependencies(t, p)
    if len(deps) != len(inputs):
        raise RuntimeError("task (%d, %d) got %d inputs, expected %d" % (t, p, len(inputs), len(deps)))
    digest = combine(combine(SEED, t), p)
    for i, (words, d) in enumerate(inputs):
        if not (np.all(words[0::2] == t - 1) and np.all(words[1::2] == deps[i])):
            raise RuntimeError("task (%d, %d), input %d: expected the output of (%d, %d)" % (t, p, i, t - 1, deps[i]))
        digest = combine(digest, d)
    config.kernel.execute(t, p)
    words = np.empty(max(2, (config.output_bytes // 8) & ~1), dtype=np.int64)
    words[0::2] = t
    words[1::2] = p
    return words, digest


def calibrate(micros):
    """compute_bound iterations for a task of about `micros` µs, timed on the worker that runs this: the least
    disturbed of five timings of a call of at least 5 ms."""
    n = 256
    while True:
        start = time.perf_counter()
        compute(n)
        if time.perf_counter() - start >= 0.005:
            break
        n *= 2
    per = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        compute(n)
        per = min(per, (time.perf_counter() - start) / n)
    return max(1, round(micros * 1e-6 / per))


# ---- the driver -------------------------------------------------------------------------------------------------

def run(client, config, tag):
    """Submits the whole graph, waits for every task, returns (seconds, checksum of the last step)."""
    from distributed import wait
    g = config.graph
    spec = config.spec()
    for t in range(g.steps):
        for p in g.points(t):
            g.dependencies(t, p)  # the table, outside the timed part
    futures = []
    previous = {}
    start = time.perf_counter()
    for t in range(g.steps):
        current = {}
        for p in g.points(t):
            args = [previous[d] for d in g.dependencies(t, p)]
            current[p] = client.submit(point_task, spec, t, p, *args, key="point-%s-%d-%d" % (tag, t, p), pure=False)
            futures.append(current[p])
        previous = current
    wait(futures)
    elapsed = time.perf_counter() - start
    errors = [f for f in futures if f.status != "finished"]
    if errors:
        errors[0].result()  # raises the task's exception
    checksum = SEED
    for p in g.points(g.steps - 1):
        checksum = combine(checksum, previous[p].result()[1])
    del futures, previous, current
    return elapsed, checksum


def metg(points, cores, threshold=0.5):
    """METG as chart_metg.py: points are (iterations, seconds, tasks, work); returns (µs, bounded, efficiencies)."""
    pts = sorted(points, key=lambda x: -x[0])
    rate = [w / s for _, s, _, w in pts]
    gran = [s * cores / n * 1e6 for _, s, n, _ in pts]
    eff = [r / rate[0] for r in rate]
    above = [i for i in range(len(pts)) if eff[i] >= threshold]
    if not above:
        return float("nan"), False, eff
    best = min(above, key=lambda i: gran[i])
    g = gran[best]
    if best + 1 < len(pts) and gran[best + 1] < g and eff[best] > eff[best + 1]:
        g = gran[best + 1] + (threshold - eff[best + 1]) * (g - gran[best + 1]) / (eff[best] - eff[best + 1])
    return g, not any(e < threshold for e in eff), eff


def main(argv):
    o = parse(argv)
    from distributed import Client, LocalCluster
    cluster = LocalCluster(n_workers=o["workers"], threads_per_worker=1, processes=True, dashboard_address=None,
                           silence_logs=logging.ERROR)
    client = Client(cluster)
    cores = o["cores"] or o["workers"]
    try:
        if o["all"]:
            for i, pattern in enumerate(PATTERNS):
                _, checksum = run(client, make_config(o, pattern), "all%d" % i)
                print("%s checksum %016x" % (pattern, checksum))
            return
        config = make_config(o)
        if o["max_us"] > 0:
            if config.kernel.kind not in ("compute_bound", "load_imbalance"):
                sys.exit("taskbench_dask: -max-us calibrates compute_bound iterations; give -iter for %s"
                         % config.kernel.kind)
            config = config.with_iterations(client.submit(calibrate, o["max_us"], pure=False).result())
        if not o["sweep"]:
            seconds, checksum = run(client, config, "once")
            print("taskbench " + config.spec())
            print("checksum %016x" % checksum)
            n = config.graph.tasks()
            print("taskbench: elapsed %.6f s, tasks %d, FLOP/s %.4e, B/s %.4e, granularity %.2f us (cores %d)"
                  % (seconds, n, config.total(config.kernel.flops) / seconds,
                     config.total(config.kernel.bytes) / seconds, seconds * cores / n * 1e6, cores),
                  file=sys.stderr)
            return
        by_bytes = config.kernel.kind == "memory_bound"
        if config.kernel.kind == "empty" or config.kernel.iterations < 1:
            sys.exit("taskbench_dask: the sweep needs a kernel that does work and -iter or -max-us")
        unit = "B/s" if by_bytes else "FLOP/s"
        print("sweep %s -cores %d -reps %d (dask %s, %d worker processes x 1 thread)"
              % (config.spec(), cores, o["reps"], __import__("distributed").__version__, o["workers"]))
        seconds, _ = run(client, config.with_iterations(max(1, config.kernel.iterations // 8)), "warm")
        print("warm-up: %.3f s" % seconds)
        points, below, it, checksum = [], 0, config.kernel.iterations, None
        while below < 2:
            ci = config.with_iterations(it)
            best = float("inf")
            for r in range(o["reps"]):
                seconds, checksum = run(client, ci, "%d-%d" % (it, r))
                best = min(best, seconds)
            work = ci.total(ci.kernel.bytes if by_bytes else ci.kernel.flops)
            points.append((it, best, ci.graph.tasks(), work))
            eff = (work / best) / (points[0][3] / points[0][1])
            print("iter %d: elapsed %.6f s, %s %.4e, granularity %.2f us, efficiency %.1f%%"
                  % (it, best, unit, work / best, best * cores / ci.graph.tasks() * 1e6, eff * 100))
            sys.stdout.flush()
            below = below + 1 if eff < 0.5 else 0
            if it <= 1:
                break
            it //= 2
        print("checksum %016x" % checksum)
        m, bounded, _ = metg(points, cores)
        print("METG(50%%) %s width=%d cores=%d: %s" % (config.graph.pattern, config.graph.width, cores,
              "none (no point reached 50%)" if math.isnan(m) else ("<= " if bounded else "") + "%.2f us" % m))
    finally:
        client.close()
        cluster.close()


if __name__ == "__main__":
    main(sys.argv[1:])
