#!/usr/bin/env bash
# ILDG I/O benchmark: write and read throughput (SciDAC checksum included, writes fsynced and renamed,
# reads verified) of Haar-random SU(3) configurations, as a ratio to the sequential bandwidth that dd
# measures on the same folder in the same run. Results go to BENCHMARKS.md ("ILDG I/O") by hand.
#
#   bench/ildg-io.sh [DIR] [REPEAT]      (DIR defaults to a new folder under /tmp; needs ~1.3 GB free for 32^4)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="${1:-$(mktemp -d /tmp/gaugeflow-ildg-bench.XXXXXX)}"
REPEAT="${2:-5}"
echo "# $(date -u +%FT%TZ) $(uname -srm), $(nproc) cores, load: $(cut -d' ' -f1-3 /proc/loadavg), dir: $DIR ($(df -h --output=source,fstype "$DIR" | tail -1))"
for L in 16x16x16x16 32x32x32x32; do
  "$ROOT/bench/run" ildg --lattice "$L" --dir "$DIR" --repeat "$REPEAT" --precision 64
done
