"""supportbot, Unsloth and TRL side by side: the best packed-row count and its real tok/s at each memory budget.

    python benchmarks/peers.py --data bitext_sample.csv [--models llama3.2-3b,qwen3-4b,smollm2-135m] \
        [--precisions fp16,bf16] [--budgets 4,8,15] [--systems supportbot,unsloth,trl] \
        [--unsloth-site /tmp/unsloth-site] [--gpus 1] [--deadline 540] [--output benchmarks/results/peers-DATE.json]

On one GPU (or --gpus N of one host, one ladder per GPU at a time), for each model, precision and system, every
measurement runs in its own child process (benchmarks/peers/*_child.py: fresh CUDA state; Unsloth's with
--unsloth-site first on PYTHONPATH). Every system loads the same weights (prepare_child.py: random weights of the
conf/model architecture saved once, or SmolLM2's converted GGUF), trains on the same tokenised conversations in
packed rows of --seq tokens, with LoRA r16/alpha 16/dropout 0.05 on the 7 projections, paged 8-bit AdamW,
gradient checkpointing and the same --warmup + --steps optimizer steps, timed by throughput.py's `measure`.

Budgets (GiB): the child caps torch's allocator (torch.cuda.set_per_process_memory_fraction), so a run over the
budget raises OOM. Rows climb --ladder per budget, smallest budget first, and stop at the first OOM; the next
budget goes on from there (a row count that fits a budget fits every larger one, so it is not run again: its
result is reused, marked measured_under_budget_gb). A non-OOM error is a result: it ends that system's ladder.

Output: --output (JSON: one record per (model, precision, budget) with supportbot's best, the best peer's and
the ratio, plus every child's raw result) and the markdown table beside it (.md), printed too. Run again with the
same --output to resume: a child whose result is there is not run again; one cut by --deadline was not recorded.
MFU: 6 x parameters x real tok/s / the dense matmul peak measured once per model and precision (prepare_child.py,
throughput.py's matmul_peak_tflops).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

ROOT = Path(__file__).resolve().parents[1]
CHILDREN = ROOT / "benchmarks" / "peers"
SYSTEMS = ("supportbot", "unsloth", "trl")
PEERS = ("unsloth", "trl")
MODELS = ("llama3.2-3b", "qwen3-4b", "smollm2-135m")
LADDER = (1, 2, 4, 8, 12, 16, 24, 32)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", required=True, help="the Bitext CSV (../shared/data/bitext/bitext_sample.csv)")
    p.add_argument("--models", default=",".join(MODELS))
    p.add_argument("--precisions", default="fp16,bf16")
    p.add_argument("--budgets", default="4,8,15", help="GiB")
    p.add_argument("--systems", default=",".join(SYSTEMS))
    p.add_argument("--ladder", default=",".join(map(str, LADDER)), help="packed-row counts tried, ascending")
    p.add_argument("--seq", type=int, default=1024)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--steps", type=int, default=5)
    p.add_argument("--work", default="/tmp/peers", help="prepared weights, rows, caches and child logs")
    p.add_argument("--tokenizer", default=None, help="a folder with the real tokenizer of the random-weight models")
    p.add_argument("--unsloth-site", default="/tmp/unsloth-site")
    p.add_argument("--override", action="append", default=[], help="a Hydra override for supportbot's child")
    p.add_argument("--gpus", type=int, default=1, help="ladders run at once, one per GPU (CUDA_VISIBLE_DEVICES)")
    p.add_argument("--deadline", type=float, default=0, help="seconds: start no child after it (0: none)")
    p.add_argument("--child-timeout", type=float, default=420, help="seconds one child may take")
    p.add_argument("--output", default=None, help="default benchmarks/results/peers-<date>.json")
    p.add_argument("--dry-run", action="store_true", help="print the first child commands, run nothing")
    return p


@dataclass(frozen=True)
class Key:
    """One measurement."""

    model: str
    precision: str
    system: str
    budget_gb: float
    rows: int

    def name(self) -> str:
        return f"{self.model}-{self.precision}-{self.system}-{self.budget_gb:g}gb-{self.rows}rows"


def key_of(result: dict) -> Key:
    return Key(result["model"], result["precision"], result["system"], float(result["budget_gb"]), int(result["rows"]))


def fits(result: dict) -> bool:
    return "real_tokens_per_second" in result and not result.get("oom") and not result.get("error")


# ---- the search ---------------------------------------------------------------------------------------------

def search(run: Callable[[int, float], Optional[dict]], budgets: list[float], ladder: list[int]) -> dict:
    """Each budget's best fitting row count, smallest budget first. run(rows, budget) -> result, or None when the
    deadline cut it (the search stops there; what it has so far is returned).

    Returns {budget: {"best": result or None, "stopped_by": the OOM/error result or None (ladder ran out)}};
    budgets not reached are absent.
    """
    found: dict[float, dict] = {}
    best, start, error = None, 0, None
    for budget in sorted(budgets):
        if error is not None:  # an error is the system's, not the budget's: it ends the ladder for every budget
            found[budget] = {"best": _under(best, budget), "stopped_by": error}
            continue
        stopped = None
        for index in range(start, len(ladder)):
            result = run(ladder[index], budget)
            if result is None:
                return found
            if not fits(result):
                stopped = result
                if not result.get("oom"):
                    error = result
                break
            best, start = result, index + 1
        found[budget] = {"best": _under(best, budget), "stopped_by": stopped}
    return found


def _under(best: Optional[dict], budget: float) -> Optional[dict]:
    if best is None or float(best["budget_gb"]) == budget:
        return best
    return {**best, "measured_under_budget_gb": best["budget_gb"], "budget_gb": budget}


# ---- records ------------------------------------------------------------------------------------------------

def summary(entry: Optional[dict]) -> Optional[dict]:
    """A system at one budget, for the record: its best rows and numbers, or why nothing fits."""
    if entry is None:
        return None
    best, stopped = entry["best"], entry["stopped_by"]
    out = {"rows": None, "real_tokens_per_second": None}
    if best:
        out.update({key: best.get(key) for key in ("rows", "real_tokens_per_second", "step_seconds",
                                                    "peak_memory_gb", "peak_reserved_gb", "mfu")})
        if "measured_under_budget_gb" in best:
            out["measured_under_budget_gb"] = best["measured_under_budget_gb"]
    if stopped:
        out["stopped_by"] = {"rows": stopped["rows"], "oom": bool(stopped.get("oom")), "error": stopped.get("error")}
    return out


def assemble(model: str, precision: str, budget: float, entries: dict[str, dict]) -> dict:
    """The record of one (model, precision, budget): supportbot's best, the best peer's, supportbot / best peer."""
    systems = {system: summary(entry) for system, entry in entries.items()}
    peers = [(name, s) for name, s in systems.items() if name != "supportbot" and s and s["real_tokens_per_second"]]
    best_peer = max(peers, key=lambda item: item[1]["real_tokens_per_second"], default=None)
    project = systems.get("supportbot") or {}
    record = {"model": model, "precision": precision, "budget_gb": budget,
              "supportbot_rows": project.get("rows"),
              "supportbot_tokens_per_second": project.get("real_tokens_per_second"),
              "best_peer": best_peer[0] if best_peer else None,
              "best_peer_rows": best_peer[1]["rows"] if best_peer else None,
              "best_peer_tokens_per_second": best_peer[1]["real_tokens_per_second"] if best_peer else None,
              "ratio": None, "systems": systems}
    if record["supportbot_tokens_per_second"] and record["best_peer_tokens_per_second"]:
        record["ratio"] = round(record["supportbot_tokens_per_second"] / record["best_peer_tokens_per_second"], 2)
    return record


def with_mfu(result: dict, meta: Optional[dict]) -> dict:
    """MFU on one peak per model and precision, so the systems are compared on the same denominator."""
    if not meta or not fits(result):
        return result
    peak = (meta.get("matmul_peak_tflops") or {}).get(result["precision"])
    if peak:
        result = {**result, "mfu": round(6 * meta["parameters"] * result["real_tokens_per_second"] / 1e12 / peak, 4)}
    return result


def markdown(report: dict) -> str:
    """The tables for RESULTS.md: one line per (model, precision, budget), then every system's best."""
    lines = ["| model | precision | budget GB | supportbot rows | supportbot tok/s | best peer | its rows | its tok/s "
             "| supportbot / best peer |", "|---|---|---|---|---|---|---|---|---|"]
    for r in report["records"]:
        lines.append("| " + " | ".join(_cell(value) for value in (
            r["model"], r["precision"], f"{r['budget_gb']:g}", r["supportbot_rows"], r["supportbot_tokens_per_second"],
            r["best_peer"], r["best_peer_rows"], r["best_peer_tokens_per_second"],
            f"{r['ratio']:.2f}x" if r["ratio"] else None)) + " |")
    lines += ["", "| model | precision | budget GB | system | best rows | real tok/s | step s "
              "| peak GB (alloc / reserved) | MFU | stopped by |", "|---|---|---|---|---|---|---|---|---|---|"]
    for r in report["records"]:
        for system, s in r["systems"].items():
            if s is None:
                continue
            memory = f"{s['peak_memory_gb']} / {s['peak_reserved_gb']}" if s.get("peak_memory_gb") else None
            mfu = f"{100 * s['mfu']:.1f}%" if s.get("mfu") else None
            lines.append("| " + " | ".join(_cell(value) for value in (
                r["model"], r["precision"], f"{r['budget_gb']:g}", system, s["rows"], s["real_tokens_per_second"],
                s.get("step_seconds"), memory, mfu, _stop(s.get("stopped_by")))) + " |")
    return "\n".join(lines) + "\n"


def _stop(stopped: Optional[dict]) -> str:
    if not stopped:
        return "ladder's end"
    if stopped["oom"]:
        return f"OOM at {stopped['rows']} rows"
    return f"error at {stopped['rows']} rows: `{(stopped['error'] or '')[:160].replace('|', '/')}`"


def _cell(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float) and value >= 100:
        return f"{value:,.0f}"
    return str(value)


# ---- running children ---------------------------------------------------------------------------------------

def child_command(key: Key, meta: dict, args, result: Path) -> list[str]:
    """The one command line every child script accepts (benchmarks/peers/child.py parser)."""
    command = [sys.executable, str(CHILDREN / f"{key.system}_child.py"), "--model", key.model,
               "--model-dir", meta["model_dir"], "--rows-file", meta["rows_file"], "--rows", str(key.rows),
               "--precision", key.precision, "--budget-gb", f"{key.budget_gb:g}", "--seq", str(args.seq),
               "--warmup", str(args.warmup), "--steps", str(args.steps), "--result", str(result)]
    if key.system == "supportbot":
        command += ["--data", str(Path(args.data).resolve()), "--cache-dir", str(Path(args.work) / "cache")]
        for override in args.override:
            command += ["--override", override]
    return command


def child_env(system: str, gpu: Optional[int], unsloth_site: str) -> dict:
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", HF_DATASETS_OFFLINE="1",
               TOKENIZERS_PARALLELISM="false")
    if gpu is not None:
        env["CUDA_VISIBLE_DEVICES"] = str(gpu)
    if system == "unsloth":  # Unsloth's own pins (trl 1.15, datasets 4.8.5) before the project's site
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [unsloth_site, env.get("PYTHONPATH")]))
    return env


def run_process(command: list[str], env: dict, log: Path, timeout: float) -> tuple[Optional[int], bool]:
    """(return code, timed out). The child gets its own process group, so a timeout ends it and its workers."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "w") as handle:
        process = subprocess.Popen(command, env=env, stdout=handle, stderr=subprocess.STDOUT, cwd=ROOT,
                                   start_new_session=True)
        try:
            return process.wait(timeout=max(1.0, timeout)), False
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            return None, True


def error_line(log: Path) -> str:
    """The last line of a child's log that names an error (its result file was never written)."""
    try:
        lines = [line.strip() for line in log.read_text(errors="replace").splitlines() if line.strip()]
    except OSError:
        return "no log"
    named = [line for line in lines if "Error" in line or "error" in line or "Killed" in line]
    return (named or lines or ["no output"])[-1][:500]


class Harness:
    """The grid: prepared models, the stored children, the output files; one lock for all of them."""

    def __init__(self, args, output: Path, runner: Optional[Callable[[Key, Optional[int]], Optional[dict]]] = None,
                 preparer: Optional[Callable[[str, Optional[int]], dict]] = None):
        self.args, self.output = args, output
        self.started = time.monotonic()
        self.lock = threading.Lock()
        self.model_locks = {model: threading.Lock() for model in split(args.models)}
        self.report = self._load()
        self.done = {key_of(child): child for child in self.report["children"]}
        self.runner = runner or self._run_child
        self.preparer = preparer or self._prepare
        self.ran = 0

    def _load(self) -> dict:
        if self.output.is_file():
            report = json.loads(self.output.read_text())
            report.setdefault("children", [])
            report.setdefault("prepared", {})
            return report
        return {"date": dt.date.today().isoformat(), "settings": {}, "prepared": {}, "children": [], "records": []}

    def remaining(self) -> float:
        if not self.args.deadline:
            return float("inf")
        return self.args.deadline - (time.monotonic() - self.started)

    # -- one measurement, stored or run
    def measure(self, key: Key, gpu: Optional[int]) -> Optional[dict]:
        with self.lock:
            if key in self.done:
                return self.done[key]
        if self.remaining() < 30:
            return None
        meta = self.meta(key.model, gpu)  # prepared once per model, by the first ladder that needs it
        result = self.runner(key, gpu)
        if result is None:
            return None
        result = with_mfu({**result, "model": key.model, "precision": key.precision, "system": key.system,
                           "budget_gb": key.budget_gb, "rows": key.rows}, meta)
        with self.lock:
            self.done[key] = result
            self.report["children"].append(result)
            self.ran += 1
            self.save()
        print(f"[peers] {key.name()}: " + (f"{result['real_tokens_per_second']} tok/s, "
              f"{result.get('peak_memory_gb')} GB" if fits(result) else
              ("OOM" if result.get("oom") else f"error: {result.get('error')}")), flush=True)
        return result

    def meta(self, model: str, gpu: Optional[int]) -> dict:
        with self.model_locks[model]:
            if model not in self.report["prepared"]:
                meta = self.preparer(model, gpu)
                with self.lock:
                    self.report["prepared"][model] = meta
                    self.save()
            return self.report["prepared"][model]

    def _prepare(self, model: str, gpu: Optional[int]) -> dict:
        meta_file = Path(self.args.work) / model / "meta.json"
        if not meta_file.is_file():
            command = [sys.executable, str(CHILDREN / "prepare_child.py"), "--model", model, "--data",
                       str(Path(self.args.data).resolve()), "--work", self.args.work, "--seq", str(self.args.seq)]
            if self.args.tokenizer:
                command += ["--tokenizer", self.args.tokenizer]
            log = Path(self.args.work) / "logs" / f"prepare-{model}.log"
            code, _ = run_process(command, child_env("supportbot", gpu, ""), log, max(60.0, self.remaining()))
            if code != 0 or not meta_file.is_file():
                raise RuntimeError(f"preparing {model} failed ({error_line(log)}); see {log}")
        return json.loads(meta_file.read_text())

    def _run_child(self, key: Key, gpu: Optional[int]) -> Optional[dict]:
        meta = self.meta(key.model, gpu)
        result_file = Path(self.args.work) / "results" / f"{key.name()}.json"
        result_file.unlink(missing_ok=True)
        log = Path(self.args.work) / "logs" / f"{key.name()}.log"
        limit = min(self.args.child_timeout, self.remaining())
        code, timed_out = run_process(child_command(key, meta, self.args, result_file),
                                      child_env(key.system, gpu, self.args.unsloth_site), log, limit)
        if result_file.is_file():
            return json.loads(result_file.read_text())
        if timed_out and limit < self.args.child_timeout:
            return None  # cut by the deadline: not a result, run again on resume
        if timed_out:
            return {"error": f"timed out after {self.args.child_timeout:g} s", "log": str(log)}
        text = error_line(log)
        result = {"error": f"exit {code}: {text}", "log": str(log)}
        if "out of memory" in text.lower():
            result["oom"] = True
        return result

    # -- the grid
    def ladder(self, model: str, precision: str, system: str, gpu: Optional[int]) -> dict:
        budgets = [float(b) for b in split(self.args.budgets)]
        ladder = [int(r) for r in split(self.args.ladder)]
        return search(lambda rows, budget: self.measure(Key(model, precision, system, budget, rows), gpu),
                      budgets, ladder)

    def run(self) -> dict:
        self.report["settings"] = {key: value for key, value in vars(self.args).items() if key != "dry_run"}
        tasks = [(m, p, s) for m in split(self.args.models) for p in split(self.args.precisions)
                 for s in split(self.args.systems)]
        gpus: "queue.Queue[Optional[int]]" = queue.Queue()
        for gpu in (range(self.args.gpus) if self.args.gpus > 1 else [None]):
            gpus.put(gpu)

        def task(item):
            gpu = gpus.get()
            try:
                return item, self.ladder(*item, gpu)
            except Exception as exc:  # noqa: BLE001 - a failed preparation ends that ladder, not the grid
                print(f"[peers] {'/'.join(item)}: {exc}", flush=True)
                return item, {}
            finally:
                gpus.put(gpu)

        with ThreadPoolExecutor(max_workers=max(1, self.args.gpus)) as pool:
            found = dict(pool.map(task, tasks))
        with self.lock:
            self.report["records"] = records(found, split(self.args.budgets))
            self.report["complete"] = all(len(entry) == len(split(self.args.budgets)) for entry in found.values())
            self.save()
        return self.report

    def save(self) -> None:
        self.output.parent.mkdir(parents=True, exist_ok=True)
        self.output.write_text(json.dumps(self.report, indent=2))
        self.output.with_suffix(".md").write_text(markdown(self.report))


def records(found: dict[tuple[str, str, str], dict], budgets: list[str]) -> list[dict]:
    """One record per (model, precision, budget) that every requested system reached."""
    out = []
    groups: dict[tuple[str, str], dict[str, dict]] = {}
    for (model, precision, system), entry in found.items():
        groups.setdefault((model, precision), {})[system] = entry
    for (model, precision), systems in groups.items():
        for budget in sorted(float(b) for b in budgets):
            if all(budget in entry for entry in systems.values()):
                out.append(assemble(model, precision, budget, {s: e[budget] for s, e in systems.items()}))
    return out


def split(text: str) -> list[str]:
    return [part.strip() for part in str(text).split(",") if part.strip()]


def main(argv: list[str]) -> dict:
    args = parser().parse_args(argv)
    unknown = [s for s in split(args.systems) if s not in SYSTEMS]
    if unknown or args.warmup < 1 or sorted(map(int, split(args.ladder))) != list(map(int, split(args.ladder))):
        raise SystemExit(f"--systems from {SYSTEMS}; --warmup >= 1; --ladder ascending (got {unknown or args.ladder})")
    output = Path(args.output or ROOT / "benchmarks" / "results" / f"peers-{dt.date.today().isoformat()}.json")
    if args.dry_run:
        meta = {"model_dir": f"{args.work}/<prepared>", "rows_file": f"{args.work}/<model>/rows.npz"}
        for system in split(args.systems):
            key = Key(split(args.models)[0], split(args.precisions)[0], system, float(split(args.budgets)[0]), 1)
            print(" ".join(child_command(key, meta, args, Path(args.work) / "results" / f"{key.name()}.json")))
        return {}
    harness = Harness(args, output)
    report = harness.run()
    print(markdown(report))
    state = "complete" if report["complete"] else "incomplete: run again to resume"
    print(f"[peers] {harness.ran} children run; {output} ({state})")
    return report


if __name__ == "__main__":
    main(sys.argv[1:])
