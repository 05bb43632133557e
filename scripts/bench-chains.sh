#!/usr/bin/env bash
# Chain benchmark (docs/results.md, "Chains"): integrated autocorrelation times of the plaquette and of Q^2
# per unit of compute for HMC alone, independence Metropolis and the hybrid chain, 2D U(1).
# Usage: scripts/bench-chains.sh OUTDIR "hmc|independence|hybrid" "8x8 16x16" "2 4 6" N [MODEL_DIR_PATTERN]
#   MODEL_DIR_PATTERN (for flow chains) may contain {L} and {beta}, e.g. models/u1_{L}_b{beta}.
# Prints one Markdown table row per run: chain, lattice, beta, updates, seconds, s/update, acceptance,
# tau_int(plaquette), tau_int(Q^2), and the cost of one independent sample 2 tau_int s/update for each.
set -euo pipefail
OUT=$1; CHAINS=$2; LATS=$3; BETAS=$4; N=$5; MODELS=${6:-}
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mkdir -p "$OUT"
for chain in $CHAINS; do for L in $LATS; do for beta in $BETAS; do
  dir="$OUT/${chain}_${L}_b${beta}"
  rm -rf "$dir"
  args=(sample --chain "$chain" --n "$N" --save-every 0 --out "$dir" --quiet --seed 1 --therm $((N / 10)))
  if [ "$chain" = hmc ]; then
    args+=(--group u1 --lattice "$L" --beta "$beta" --engine native --start hot)
  else
    m=${MODELS//\{L\}/$L}; m=${m//\{beta\}/$beta}
    args+=(--model "$m" --beta "$beta" --engine native)
  fi
  "$ROOT/gaugeflow" "${args[@]}" > "$dir.log" 2>&1 || { echo "| $chain | $L | $beta | failed: $(tail -1 "$dir.log") |"; continue; }
  python3 - "$dir/summary.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
o = s["observables"]; n = s["n"]; sec = s["seconds"]; spu = sec / n
tp = o["plaquette"]["tau_int"]; tq = o["topological_charge_squared"]["tau_int"]
acc = ", ".join(f"{k} {v:.3f}" for k, v in s["acceptance"].items())
p = s["parameters"]
print(f"| {s['chain']} | {p['lattice']} | {p['beta']:g} | {n} | {sec:.1f} | {spu*1e3:.2f} ms | {acc} | "
      f"{tp:.1f} | {tq:.1f} | {2*tp*spu*1e3:.1f} ms | {2*tq*spu*1e3:.1f} ms | "
      f"{o['plaquette']['mean']:.5f}({o['plaquette']['error']:.5f}) | {o['topological_charge_squared']['mean']:.4f}({o['topological_charge_squared']['error']:.4f}) |")
PY
done; done; done
