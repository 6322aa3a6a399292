#!/usr/bin/env bash
# Compares the candidate payload serializers, Kryo 5 (plain and with its Unsafe streams) and Apache Fory, with JMH.
# Sources: benchmarks/src/main/java/io/weft/benchmarks/serialization/. About 4 minutes on 2 cores. Warm-up is 8 x 1 s
# per case: Fory generates and JIT-compiles its serializers, and after 5 x 1 s it was still climbing.
#
#   benchmarks/serializers.sh [extra JMH options, e.g. -p serializer=fory]
#
# What it runs, from the repository root (CP = benchmarks/target/classes:<benchmarks' dependency classpath>):
#   mvn -q -B install -Dmaven.test.skip=true -pl benchmarks -am      # only if classes are missing or older than sources
#   mvn -q -B dependency:build-classpath -pl benchmarks -Dmdep.outputFile=$PWD/benchmarks/target/serializers.classpath
#   java -Xmx4g -cp $CP io.weft.benchmarks.serialization.SerializerCheck          # correctness + serialized sizes
#   java -cp $CP org.openjdk.jmh.Main SerializerBenchmark -e largeBlock -f 1 -wi 8 -w 1s -i 5 -r 1s
#   java -cp $CP org.openjdk.jmh.Main SerializerBenchmark.largeBlock   -f 1 -wi 3 -w 2s -i 5 -r 2s
# (each JMH run also writes CSV, from which the 100 MB block's MB/s is printed). The forks get -Xms4g -Xmx4g
# from @Fork in SerializerBenchmark; no --add-opens is needed on Java 17.
set -euo pipefail
cd "$(dirname "$0")/.."

out=benchmarks/target/serializers
mkdir -p "$out"
marker=benchmarks/target/classes/META-INF/BenchmarkList
if [ ! -f "$marker" ] || [ -n "$(find benchmarks/src benchmarks/pom.xml pom.xml -newer "$marker" -print -quit)" ]; then
  echo "== building benchmarks"
  mvn -o -q -B install -Dmaven.test.skip=true -pl benchmarks -am >/dev/null 2>&1 \
    || mvn -q -B install -Dmaven.test.skip=true -pl benchmarks -am
fi
classpath_file=$PWD/benchmarks/target/serializers.classpath  # absolute: with -pl, Maven resolves it per module
if [ ! -s "$classpath_file" ] || [ benchmarks/pom.xml -nt "$classpath_file" ] || [ pom.xml -nt "$classpath_file" ]; then
  mvn -o -q -B dependency:build-classpath -pl benchmarks -Dmdep.outputFile="$classpath_file" >/dev/null 2>&1 \
    || mvn -q -B dependency:build-classpath -pl benchmarks -Dmdep.outputFile="$classpath_file" >/dev/null
fi
cp="benchmarks/target/classes:$(cat "$classpath_file")"

echo "machine: $(nproc) cores, $(java -version 2>&1 | sed -n 1p), load average:$(uptime | sed 's/.*load average://')"
echo
echo "== correctness (round trip, fresh receiver, allow-listed receiver) and serialized sizes"
java -Xmx4g -cp "$cp" io.weft.benchmarks.serialization.SerializerCheck

echo
echo "== round-trip throughput, small payloads"
java -cp "$cp" org.openjdk.jmh.Main 'SerializerBenchmark' -e 'largeBlock' \
  -f 1 -wi 8 -w 1s -i 5 -r 1s -rf csv -rff "$out/small.csv" "$@"

echo
echo "== round-trip throughput, 100 MB block"
java -cp "$cp" org.openjdk.jmh.Main 'SerializerBenchmark.largeBlock' \
  -f 1 -wi 3 -w 2s -i 5 -r 2s -rf csv -rff "$out/large.csv" "$@"

echo
echo "== 100 MB block bandwidth (payload of 100,026,368 bytes moved per round trip = serialize + deserialize)"
awk -F, 'NR > 1 {
  gsub(/"/, "");
  mb = 100.026368;
  printf "  %-12s %8.1f +- %6.1f MB/s  (%s +- %s ops/s)\n", $8, $5 * mb, $6 * mb, $5, $6
}' "$out/large.csv"
