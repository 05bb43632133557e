#!/usr/bin/env bash
# volume-transfer.sh OUT [TRAIN_SECONDS] [CONFIG]
#
# The volume-transfer table of docs/results.md: trains CONFIG (default examples/u1-8x8-multiscale.yaml) on its own
# lattice L and on 2L and 4L with the same wall-clock budget (default 300 s each), then evaluates ESS and KL on fresh
# samples of (a) the model trained on L run on 2L and 4L (gaugeflow eval --lattice --transfer TRANSFER) and
# (b) the models trained at 2L and 4L, and measures the acceptance of an independence chain with each. Prints one line
# per (model, lattice). Environment: GAUGEFLOW_THREADS (default 1), SAMPLES (eval samples, default 4096), N (chain
# updates, default 2000), FACTORS (the scale factors, default "1 2 4"; e.g. "1 2" for a 4D model: 4^4 and 8^4),
# TRANSFER (scale, finest or fresh; default scale; docs/multiscale.md, "Volume transfer").
set -euo pipefail
[[ $# -ge 1 ]] || { echo "usage: volume-transfer.sh OUT [TRAIN_SECONDS] [CONFIG]" >&2; exit 2; }
OUT=$1
BUDGET=${2:-300}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CONFIG=${3:-$HERE/examples/u1-8x8-multiscale.yaml}
GF=$HERE/gaugeflow
export GAUGEFLOW_THREADS=${GAUGEFLOW_THREADS:-1}
SAMPLES=${SAMPLES:-4096}
N=${N:-2000}
FACTORS=${FACTORS:-1 2 4}
TRANSFER=${TRANSFER:-scale}
[[ $TRANSFER =~ ^(scale|finest|fresh)$ ]] || { echo "TRANSFER='$TRANSFER': expected scale, finest or fresh" >&2; exit 2; }
suffix=$([[ $TRANSFER == scale ]] && echo "" || echo "-$TRANSFER")
[[ $FACTORS =~ ^1( [0-9]+)*$ ]] || { echo "FACTORS='$FACTORS': expected 1 followed by larger factors, e.g. '1 2 4'" >&2; exit 2; }
mkdir -p "$OUT"
log() { echo "[volume-transfer $(date '+%H:%M:%S')] $*" >&2; }
base=$(sed -n 's/^ *lattice: *//p' "$CONFIG" | head -n 1)
IFS=x read -r -a ext <<<"$base"
scaled() { local f=$1 out=() e; for e in "${ext[@]}"; do out+=($((e * f))); done; (IFS=x; echo "${out[*]}"); }
field() { sed -n "s/^ *\"$2\" : \([^,]*\),*$/\1/p" "$1" | head -n 1; }
flow_acceptance() { sed -n '/"acceptance" : {/,/}/s/^ *"flow" : \([^,]*\),*$/\1/p' "$1" | head -n 1; }

for f in $FACTORS; do
  lat=$(scaled $f)
  dir=$OUT/trained-$lat
  if [[ ! -f $dir/summary.json ]]; then
    log "train on $lat ($BUDGET s)"
    sed "s/^\( *lattice: *\).*/\1$lat/" "$CONFIG" > "$OUT/config-$lat.yaml"
    "$GF" train "$OUT/config-$lat.yaml" --out "$dir" --budget-seconds "$BUDGET" --quiet > "$OUT/train-$lat.log"
  fi
done
printf '%-22s %-8s %6s %10s %10s %10s\n' model lattice steps ESS KL acceptance
for f in $FACTORS; do
  lat=$(scaled $f)
  sources=("$base" "$lat")
  [[ $f == 1 ]] && sources=("$base")                # on its own lattice the model is listed once
  for src in "${sources[@]}"; do
    dir=$OUT/trained-$src
    name=$([[ $src == "$lat" ]] && echo "trained on $src" || echo "$src -> $lat")
    ev=$dir/eval-$lat$suffix.json
    [[ $src == "$lat" ]] && ev=$dir/eval.json
    if [[ ! -f $ev ]]; then
      log "eval $name"
      if [[ $src == "$lat" ]]; then
        "$GF" eval "$dir" --samples "$SAMPLES" > /dev/null
      else
        "$GF" eval "$dir" --samples "$SAMPLES" --lattice "$lat" --transfer "$TRANSFER" > /dev/null
      fi
    fi
    chain=$OUT/chain-$src-on-$lat$([[ $src == "$lat" ]] || echo "$suffix")
    if [[ ! -f $chain/summary.json ]]; then
      log "independence chain $name"
      "$GF" sample --model "$dir" --lattice "$lat" --transfer "$TRANSFER" --n "$N" --save-every 0 --quiet --out "$chain" > "$chain.log"
    fi
    printf '%-22s %-8s %6s %10s %10s %10s\n' "$name" "$lat" "$(field "$dir/summary.json" steps)" \
      "$(field "$ev" ess)" "$(field "$ev" kl)" "$(flow_acceptance "$chain/summary.json")"
  done
done
