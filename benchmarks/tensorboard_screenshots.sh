#!/usr/bin/env bash
# What a sweep looks like in a real browser: a 2-job tiny CPU sweep over lora.r (a high learning rate, so the
# two jobs visibly part in 6 steps), TensorBoard on it, and
# headless Chromium screenshots of the HParams, Time Series and Scalars tabs (Debian: apt-get install chromium).
#
#   bash benchmarks/tensorboard_screenshots.sh            # ~2 min on 2 CPU cores
#
# Writes benchmarks/results/<date>-cpu-tensorboard/{hparams,timeseries,scalars}.png and the sweep's summary.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
OUT=benchmarks/results/$(date -u +%Y-%m-%d)-cpu-tensorboard
WORK=$(mktemp -d)
mkdir -p "$OUT"
CHROMIUM=$(command -v chromium || command -v chromium-browser || command -v google-chrome) || {
  echo "no chromium: apt-get install -y chromium" >&2; exit 1; }

"$PY" train.py -m model=tiny data=sample hardware=cpu data.max_seq_length=256 train.max_steps=6 train.learning_rate=5e-3 \
  train.eval_steps=2 train.save_steps=2 train.logging_steps=1 train.sample_max_new_tokens=4 \
  lora.r=8,16 hydra.sweep.dir="$WORK/sweep" > "$OUT/sweep.log" 2>&1
cp "$WORK/sweep/summary.md" "$WORK/sweep/summary.csv" "$WORK/sweep/summary.png" "$OUT/"

PORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$(dirname "$PY")/tensorboard" --logdir "$WORK/sweep" --host 127.0.0.1 --port "$PORT" > "$WORK/tb.log" 2>&1 &
TB=$!
trap 'kill $TB 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 60); do
  curl -sf "http://127.0.0.1:$PORT/data/runs" | grep -q "lora.r=16" && break
  sleep 1
done
for tab in hparams timeseries scalars; do
  # virtual-time-budget: let the dashboard fetch and render before the shot.
  "$CHROMIUM" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1600,1100 \
    --virtual-time-budget=20000 --screenshot="$OUT/$tab.png" "http://127.0.0.1:$PORT/#$tab" 2>/dev/null
done
ls -l "$OUT"
