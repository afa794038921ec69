"""The export of a finished run, measured: wall time, peak disk, file sizes and (with --loss) the held-out loss of
the merged model and of every GGUF on the run's own validation split, through transformers (issue 14's GPU proof).

    python benchmarks/export_gpu.py --run outputs/<date>/<time> --types f16,q8_0,q4_k_m --loss --out result.json
    python benchmarks/export_gpu.py --run <3B random-weight run> --types q4_k_m --no-check --out result.json

The export runs as a user runs it (`python -m supportbot.export run=... format=all`), in a subprocess; a thread
samples the disk every 0.5 s meanwhile: the bytes under <run>/export and the file system's used bytes (which also
count the temporaries the export writes elsewhere), both as the rise over what was there before it started.
The held-out loss is evaluate.py's (the answers' tokens, the labels training used), each model loaded on its own.
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path


def tree_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) if folder.exists() else 0


class DiskPeak(threading.Thread):
    """The peak rise of <folder>'s bytes and of the file system's used bytes while the export runs."""

    def __init__(self, folder: Path):
        super().__init__(daemon=True)
        self.folder, self.stop = folder, threading.Event()
        self.folder_start, self.used_start = tree_bytes(folder), shutil.disk_usage(folder.parent).used
        self.folder_peak = self.used_peak = 0

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                self.folder_peak = max(self.folder_peak, tree_bytes(self.folder) - self.folder_start)
            except FileNotFoundError:  # a file renamed or removed between the listing and its stat
                pass
            self.used_peak = max(self.used_peak, shutil.disk_usage(self.folder.parent).used - self.used_start)
            self.stop.wait(0.5)


def export(run: Path, types: list[str], check: bool) -> dict:
    command = [sys.executable, "-m", "supportbot.export", f"run={run}", "format=all", f"gguf.types=[{','.join(types)}]",
               f"gguf.check={str(check).lower()}"]
    peak = DiskPeak(run / "export")
    peak.start()
    started = time.time()
    result = subprocess.run(command, capture_output=True, text=True)
    seconds = time.time() - started
    peak.stop.set()
    peak.join()
    folder = run / "export"
    files = {p.relative_to(folder).as_posix(): p.stat().st_size for p in sorted(folder.rglob("*"))
             if p.is_file() and (p.suffix in (".gguf", ".safetensors") or p.name == "Modelfile")}
    return {"command": " ".join(command[1:]), "exit": result.returncode, "seconds": round(seconds, 1),
            "peak_export_dir_gb": round(peak.folder_peak / 1e9, 3), "peak_disk_used_gb": round(peak.used_peak / 1e9, 3),
            "final_export_dir_gb": round(tree_bytes(folder) / 1e9, 3), "files_bytes": files,
            "log_tail": (result.stdout + result.stderr)[-4000:]}


def heldout_losses(run: Path, types: list[str]) -> dict:
    """Loss on the run's validation answers of the merged model and each GGUF (float32 on the GPU)."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from supportbot.data.tokenize import tokenize_rows
    from supportbot.evaluation.inference import answer_loss
    from supportbot.evaluation.runs import open_run
    from supportbot.export.gguf import file_name

    trained = open_run(run)
    merged = run / "export" / "merged"
    tokenizer = AutoTokenizer.from_pretrained(merged)
    columns, _, _ = tokenize_rows(trained.split.validation, tokenizer, trained.cfg.data.system_prompt,
                                  trained.cfg.data.max_seq_length)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    sources = {"merged": (merged, None)} | {t: (run / "export" / "gguf", file_name(t)) for t in types}
    losses = {}
    for name, (folder, gguf_file) in sources.items():
        started = time.time()
        model = AutoModelForCausalLM.from_pretrained(folder, gguf_file=gguf_file, dtype=torch.float32).to(device).eval()
        loaded = time.time() - started
        loss, count = answer_loss(model, columns, tokenizer.pad_token_id, 16, device)  # evaluate.py's held-out loss
        losses[name] = {"loss": round(loss, 4), "perplexity": round(math.exp(loss), 4),
                        "load_seconds": round(loaded, 1)}
        del model
        torch.cuda.empty_cache()
    return {"validation_rows": len(trained.split.validation), "answer_tokens": count, "by_format": losses}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--run", type=Path, required=True)
    parser.add_argument("--types", default="f16,q8_0,q4_k_m")
    parser.add_argument("--no-check", dest="check", action="store_false", help="gguf.check=false")
    parser.add_argument("--loss", action="store_true", help="held-out loss of merged and every GGUF")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    types = args.types.split(",")
    result = {"run": str(args.run), "types": types, "export": export(args.run, types, args.check)}
    check_file = args.run / "export" / "gguf" / "check.json"
    if check_file.is_file():
        result["check"] = json.loads(check_file.read_text())
    if args.loss and result["export"]["exit"] == 0:
        result["heldout"] = heldout_losses(args.run, types)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps({k: v for k, v in result["export"].items() if k != "log_tail"}, indent=2))
    print(json.dumps(result.get("heldout", {}), indent=2))
    if result["export"]["exit"]:
        print(result["export"]["log_tail"])
        sys.exit(result["export"]["exit"])


if __name__ == "__main__":
    main()
