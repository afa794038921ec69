#!/usr/bin/env bash
# benchmarks/throughput_suite.sh on the offline GPU machine (the `device` tool) in ONE call: the random-weight models
# need no GGUF, so the wheels, a tokenizer and the data fit the call's 64 MiB carry together. Built here into the
# git-ignored .gpukit/:
#
#   bash ../shared/tools/offline-gpu-kit.sh .gpukit                      # wheels/ (hydra, bitsandbytes, datasets)
#   mkdir -p .gpukit/throughput && python3 - <<'PY'                      # 2,500 Bitext rows (the whole sample is 3.5 MB)
#   import csv, random; rows = list(csv.DictReader(open("../shared/data/bitext/bitext_sample.csv")))
#   random.Random(0).shuffle(rows); out = csv.DictWriter(open(".gpukit/throughput/rows.csv", "w", newline=""), list(rows[0]))
#   out.writeheader(); out.writerows(rows[:2500])
#   PY
#   # SmolLM2's tokenizer files (tokenizer.json, tokenizer_config.json, chat_template.jinja), from a converted cache
#   # folder (~/.cache/supportbot/models/SmolLM2-135M-Instruct.Q4_1-*/), gzipped: 3.5 MB -> 0.6 MB
#   tar czf .gpukit/throughput/tokenizer.tgz -C <that folder's parent> <folder>  # or any folder holding the three files
#
#   carry [.gpukit/wheels, .gpukit/throughput]:  BUDGET=540 bash benchmarks/device_throughput.sh memory
#
# Arguments: throughput_suite.sh's parts (small and compile need the GGUF: use device_quality.sh's kit); MEMORY_RUNS
# picks some of the memory part's runs. Each run's JSON and log are packed into $OUT/throughput.tgz, because the
# device tool returns at most 8 files; the suite stops at BUDGET seconds (a run cut short leaves its log only).
set -u
site=/tmp/site kit=.gpukit/throughput
if compgen -G ".gpukit/wheels/*.whl" > /dev/null; then
  python3 -m pip install -q --no-index --no-deps --target "$site" .gpukit/wheels/*.whl; fi
tokenizer=$(mktemp -d)
tar xzf "$kit/tokenizer.tgz" -C "$tokenizer"
tokenizer=$(dirname "$(find "$tokenizer" -name tokenizer.json | head -1)")
export PYTHONPATH="$PWD/src:$site${PYTHONPATH:+:$PYTHONPATH}" HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 HF_DATASETS_OFFLINE=1
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv > "$OUT/device.txt" || true
python3 -c "import torch, transformers, peft, accelerate, bitsandbytes
for m in (torch, transformers, peft, accelerate, bitsandbytes): print(m.__name__, m.__version__)" >> "$OUT/device.txt"
results=$(mktemp -d)/throughput
SUITE_EXTRA="model.path=$tokenizer" timeout "${BUDGET:-540}" bash benchmarks/throughput_suite.sh "$PWD/$kit/rows.csv" \
  "$results" "${@:-memory}"
echo "suite exit $? (124: stopped at BUDGET)"
tar czf "$OUT/throughput.tgz" -C "$(dirname "$results")" throughput
