#!/usr/bin/env bash
# validate-4d-chains.sh OUT [TRAIN_SECONDS]
#
# The 4D chain validation of docs/results.md ("Chains in 4D"): trains the 4D U(1) and SU(3) example models
# (examples/*-4x4x4x4-multiscale.yaml) for TRAIN_SECONDS each (default 300), then runs with each model an independence
# chain and a hybrid chain (flow proposal + native HMC trajectory per cycle), and a long native-HMC chain at the same
# beta, and prints the plaquette (and for U(1) the clover <Q^2>) of every chain with its Gamma-method error.
# Environment: GAUGEFLOW_THREADS (default 1), N_U1 (independence/hybrid updates for U(1), default 4000),
# N_SU3 (default 2000), N_HMC (HMC trajectories, default 8000), GRID=1 (also an SU(3) hybrid chain whose trajectories
# run in Grid, --engine grid; needs the Grid bridge, docs/grid.md), BETA_U1 / BETA_SU3 (train and run at this beta
# instead of the example's), STEPS_U1 / STEPS_SU3 (training steps of the cosine schedule instead of the example's).
set -euo pipefail
[[ $# -ge 1 ]] || { echo "usage: validate-4d-chains.sh OUT [TRAIN_SECONDS]" >&2; exit 2; }
OUT=$1
SECONDS_TRAIN=${2:-300}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
GF=$HERE/gaugeflow
export GAUGEFLOW_THREADS=${GAUGEFLOW_THREADS:-1}
N_U1=${N_U1:-4000}
N_SU3=${N_SU3:-2000}
N_HMC=${N_HMC:-8000}
mkdir -p "$OUT"
log() { echo "[validate-4d $(date '+%H:%M:%S')] $*"; }

for g in u1 su3; do
  cfg=$HERE/examples/$g-4x4x4x4-multiscale.yaml
  override=BETA_${g^^}
  if [[ -n ${!override:-} ]]; then
    sed "s/^\( *beta:\) .*/\1 ${!override}/" "$cfg" > "$OUT/$g-config.yaml"
    cfg=$OUT/$g-config.yaml
  fi
  beta=$(sed -n 's/^ *beta: *//p' "$cfg" | head -n 1)
  steps=STEPS_${g^^}
  steps_flag=()
  [[ -n ${!steps:-} ]] && steps_flag=(--steps "${!steps}")
  n=$([[ $g == u1 ]] && echo "$N_U1" || echo "$N_SU3")
  if [[ -f $OUT/$g-model/config.yaml ]]; then
    trained=$(sed -n 's/^ *beta: *//p' "$OUT/$g-model/config.yaml" | head -n 1)
    if [[ $(awk -v a="$trained" -v b="$beta" 'BEGIN { print (a + 0 == b + 0) }') != 1 ]]; then
      echo "validate-4d-chains.sh: $OUT/$g-model was trained at beta $trained: expected beta $beta (another OUT, or BETA_${g^^}=$trained)" >&2
      exit 2
    fi
  fi
  if [[ ! -f $OUT/$g-model/summary.json ]]; then
    log "train $g (beta $beta, $SECONDS_TRAIN s)"
    "$GF" train "$cfg" --out "$OUT/$g-model" --budget-seconds "$SECONDS_TRAIN" "${steps_flag[@]}" --quiet \
      > "$OUT/$g-train.log"
  fi
  for chain in independence hybrid; do
    if [[ ! -f $OUT/$g-$chain/summary.json ]]; then
      log "$g $chain chain, $n updates"
      "$GF" sample --model "$OUT/$g-model" --chain "$chain" --n "$n" --save-every 0 --quiet --out "$OUT/$g-$chain" \
        > "$OUT/$g-$chain.log"
    fi
  done
  if [[ ! -f $OUT/$g-hmc/summary.json ]]; then
    log "$g native HMC, $N_HMC trajectories"
    "$GF" sample --model haar --group "$g" --lattice 4x4x4x4 --beta "$beta" --chain hmc --n "$N_HMC" --save-every 0 \
      --quiet --out "$OUT/$g-hmc" > "$OUT/$g-hmc.log"
  fi
  chains=(independence hybrid hmc)
  if [[ $g == su3 && ${GRID:-0} == 1 ]]; then
    if [[ ! -f $OUT/$g-hybrid-grid/summary.json ]]; then
      log "$g hybrid chain with --engine grid, $n updates"
      "$GF" sample --model "$OUT/$g-model" --chain hybrid --engine grid --n "$n" --save-every 0 --quiet \
        --out "$OUT/$g-hybrid-grid" > "$OUT/$g-hybrid-grid.log"
    fi
    chains+=(hybrid-grid)
  fi
  for chain in "${chains[@]}"; do
    echo "== $g $chain (beta $beta)"
    grep -E "acceptance|plaquette|Q\^2|reliable" "$OUT/$g-$chain.log" || cat "$OUT/$g-$chain.log"
  done
done
