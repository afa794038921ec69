#!/usr/bin/env bash
# The throughput table of benchmarks/RESULTS.md: every run of benchmarks/throughput.py behind it.
#   bash benchmarks/throughput_suite.sh DATA.csv OUT_DIR [small|llama-fp16|large|compile|memory]...
# DATA: Bitext rows (the full CSV, or ../shared/data/bitext/bitext_sample.csv). One GPU.
# SUITE_EXTRA: overrides added to every run, e.g. offline, where the random-weight models need a tokenizer folder:
#   SUITE_EXTRA="model.path=/path/to/smollm2-tokenizer" (the SmolLM2 models ignore it: they read their GGUF).
# On the offline GPU machine (the `device` tool): benchmarks/device_throughput.sh, one call.
# Each invocation runs the plain recipe and this project's path one after the other on the same GPU;
# a failed invocation is reported and the suite goes on.
set -u
data=$1 out=$2
shift 2
parts=${*:-small llama-fp16 large}
mkdir -p "$out"
bench() {  # NAME OVERRIDES...
  local name=$1
  shift
  echo "=== $name: $*"
  local started=$SECONDS
  # shellcheck disable=SC2086  # SUITE_EXTRA is a list of overrides: split on purpose
  "${PYTHON:-python3}" benchmarks/throughput.py data.path="$data" data.max_seq_length=1024 benchmark.output="$out/$name.json" "$@" \
    ${SUITE_EXTRA:-} \
    > "$out/$name.log" 2>&1 || echo "FAILED $name (see $name.log)"
  tail -n 6 "$out/$name.log"
  echo "($name: $((SECONDS - started)) s)"
}
for part in $parts; do
  case $part in
  small)  # SmolLM2-135M, real weights: launch-bound at batch 2, so the project packs 32 rows of 1024
    bench smollm2-bf16 model=smollm2-135m hardware=1xH100 hardware.per_device_batch_size=32 \
      hardware.gradient_accumulation_steps=1 train.gradient_checkpointing=false model.kernels=liger \
      benchmark.variants=baseline,project benchmark.steps=6
    ;;
  llama-fp16)  # Llama-3.2-3B as a T4 runs it: fp16; the project must stay under a T4's 15 GB
    bench llama3b-fp16 model=llama3.2-3b model.weights=random hardware=1xT4 hardware.per_device_batch_size=8 \
      hardware.gradient_accumulation_steps=1 model.kernels=liger benchmark.steps=5 benchmark.profile=true
    ;;
  large)  # bf16: Llama-3.2-3B (also at batch 4 x 1024 for the 8 GB target, and without checkpointing
    # at batch 16 for utilisation where memory is no object) and Qwen3-4B
    bench llama3b-bf16 model=llama3.2-3b model.weights=random hardware=1xH100 hardware.per_device_batch_size=8 \
      hardware.gradient_accumulation_steps=1 model.kernels=liger benchmark.variants=baseline,project benchmark.steps=5
    bench llama3b-bf16-b4 model=llama3.2-3b model.weights=random hardware=1xH100 hardware.per_device_batch_size=4 \
      hardware.gradient_accumulation_steps=1 model.kernels=liger benchmark.variants=project benchmark.steps=5 \
      benchmark.label=project-b4
    bench llama3b-bf16-b16-nogc model=llama3.2-3b model.weights=random hardware=1xH100 hardware.per_device_batch_size=16 \
      hardware.gradient_accumulation_steps=1 model.kernels=liger train.gradient_checkpointing=false \
      benchmark.variants=project benchmark.steps=5 benchmark.label=project-b16-no-checkpointing benchmark.profile=true
    bench qwen4b-bf16 model=qwen3-4b model.weights=random hardware=1xH100 hardware.per_device_batch_size=8 \
      hardware.gradient_accumulation_steps=1 model.kernels=liger benchmark.variants=baseline,project benchmark.steps=5
    ;;
  compile)  # train.torch_compile where launches weigh most: SmolLM2 at 32 rows of 1024, lean, without and with it
    # (no Liger: its Triton kernels inside a compiled layer are not tested yet). The first warm-up step compiles.
    for compiled in false true; do
      bench "smollm2-bf16-lean-compile-$compiled" model=smollm2-135m hardware=1xH100 \
        hardware.per_device_batch_size=32 hardware.gradient_accumulation_steps=1 train.gradient_checkpointing=false \
        train.upcast_frozen_weights=false "train.torch_compile=$compiled" benchmark.variants=project \
        benchmark.steps=6 benchmark.label="project-lean-compile-$compiled"
    done
    ;;
  memory)  # issue 17's memory switches, Llama-3.2-3B at 8 packed rows of 1024, bf16 and fp16 (a T4's precision):
    # the project as shipped, then train.upcast_frozen_weights=false, train.offload_checkpoints=true, both, one
    # dropout mask per shared input (lora.share_dropout=true), all three, and the lean rows with the decoder layers
    # compiled (train.torch_compile=true; the first warm-up step compiles, the timed steps come after).
    # MEMORY_RUNS picks some of them ("bf16:upcast fp16:lean-offload ..."), when one call cannot hold all sixteen.
    for precision in bf16 fp16; do
      for switches in "upcast" "lean train.upcast_frozen_weights=false" "offload train.offload_checkpoints=true" \
                      "lean-offload train.upcast_frozen_weights=false train.offload_checkpoints=true" \
                      "shared lora.share_dropout=true" \
                      "lean-offload-shared train.upcast_frozen_weights=false train.offload_checkpoints=true \
                       lora.share_dropout=true" \
                      "lean-compile train.upcast_frozen_weights=false train.torch_compile=true" \
                      "lean-offload-compile train.upcast_frozen_weights=false train.offload_checkpoints=true \
                       train.torch_compile=true"; do
        # shellcheck disable=SC2086  # the label, then its overrides: split on purpose
        set -- $switches
        label=$1; shift
        case " ${MEMORY_RUNS:-$precision:$label} " in *" $precision:$label "*) ;; *) continue ;; esac
        bench "llama3b-$precision-b8-$label" model=llama3.2-3b model.weights=random hardware=1xH100 \
          hardware.precision=$precision hardware.per_device_batch_size=8 hardware.gradient_accumulation_steps=1 \
          "$@" benchmark.variants=project benchmark.steps=5 benchmark.label="project-$label"
      done
    done
    ;;
  *) echo "unknown part $part (small, llama-fp16, large, compile, memory)"; exit 2 ;;
  esac
done
