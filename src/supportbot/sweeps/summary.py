"""What each sweep job left (job.json), the sweep's summary (csv, md, png), and the callback that writes it.

`SweepSummary` (a Hydra callback, conf/hydra/default.yaml) rewrites the summary after every job, so
the table is current even if the sweep is stopped half-way, and once more when the sweep ends.
"""

from __future__ import annotations

import csv
import json
import logging
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Optional

from hydra.experimental.callback import Callback
from hydra.types import RunMode
from omegaconf import DictConfig, OmegaConf

log = logging.getLogger(__name__)

JOB_FILE = "job.json"
COLUMNS = ("job", "run", "status", "best_eval_loss", "eval_loss", "train_loss", "trainable_parameters",
           "tokens_per_second", "peak_memory_gb", "wall_seconds", "error")


@dataclass
class JobRecord:
    """What the launcher knows of one job; saved as <job>/job.json."""

    number: int
    overrides: list[str]
    run_name: str
    command: str
    status: str = "running"  # running | completed | failed
    returncode: Optional[int] = None
    seconds: Optional[float] = None
    error: Optional[str] = None
    objective: Optional[float] = None  # the job's eval loss: what a sweeper minimises

    def finish(self, job_dir: Path, returncode: int, seconds: float) -> None:
        metrics = job_dir / "metrics.json"
        self.returncode, self.seconds = returncode, round(seconds, 1)
        if returncode == 0 and metrics.is_file():
            self.status = "completed"
            self.objective = json.loads(metrics.read_text())["eval_loss"]
        else:
            self.status = "failed"
            self.error = _error_line(job_dir / "launcher.log") or f"exit status {returncode}"
        # A run its checks stop removes its own folder (train/preflight.py); the record still has to be kept.
        job_dir.mkdir(parents=True, exist_ok=True)
        (job_dir / JOB_FILE).write_text(json.dumps(asdict(self), indent=2) + "\n")

    @classmethod
    def load(cls, job_dir: Path) -> Optional["JobRecord"]:
        path = job_dir / JOB_FILE
        return cls(**json.loads(path.read_text())) if path.is_file() else None

    def finished_with(self, overrides: list[str]) -> bool:
        return self.status == "completed" and list(self.overrides) == list(overrides)


class SweepFailed(RuntimeError):
    """Raised once every job of a batch has run, listing the jobs that failed."""

    def __init__(self, failures: list[JobRecord], total: int):
        lines = [f"{len(failures)} of {total} sweep job(s) failed; the others ran to the end:"]
        lines += [f"  #{r.number} ({' '.join(r.overrides)}): {r.error}" for r in failures]
        lines.append("Each failed job's folder keeps its launcher.log; summary.md in the sweep folder has the table.")
        super().__init__("\n".join(lines))


def _error_line(log_path: Path) -> Optional[str]:
    """The line that says why a job failed: our one-paragraph error, else the exception's last line."""
    if not log_path.is_file():
        return None
    lines = [line.strip() for line in log_path.read_text(errors="replace").splitlines() if line.strip()]
    for pattern in (r"\]\[ERROR\] - (.+)", r"^(\w+(?:Error|Exception)\b.*)"):
        found = [m.group(1) for m in map(lambda line: re.search(pattern, line), lines) if m]
        if found:
            return found[-1][:500]
    return lines[-1][:500] if lines else None


def run_name_from_overrides(overrides: list[str]) -> str:
    """'lora.r=8,data.max_seq_length=512': the TensorBoard run and summary row of one job."""
    name = ",".join(overrides)
    return re.sub(r"['\"/\\]", "_", name)[:150]


def job_rows(sweep_dir: Path) -> list[dict[str, Any]]:
    """One row per job folder of the sweep, best eval loss first, failed jobs last."""
    rows = []
    for job_file in sweep_dir.glob(f"*/{JOB_FILE}"):
        record = JobRecord.load(job_file.parent)
        assert record is not None
        metrics_file = job_file.parent / "metrics.json"
        metrics = (json.loads(metrics_file.read_text())
                   if record.status == "completed" and metrics_file.is_file() else {})
        rows.append({
            "job": record.number,
            "run": record.run_name,
            "status": record.status,
            **{key: metrics.get(key) for key in ("best_eval_loss", "eval_loss", "train_loss", "trainable_parameters",
                                                  "tokens_per_second", "peak_memory_gb")},
            "wall_seconds": record.seconds,
            "error": record.error,
            "eval_curve": metrics.get("eval_curve", []),
        })
    return sorted(rows, key=lambda row: (row["status"] != "completed", row["best_eval_loss"] or 0.0, row["job"]))


def write_summary(sweep_dir: Path) -> list[dict[str, Any]]:
    rows = job_rows(sweep_dir)
    if not rows:
        return rows
    with (sweep_dir / "summary.csv").open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    (sweep_dir / "summary.md").write_text(_markdown(sweep_dir, rows))
    _plot(rows, sweep_dir / "summary.png")
    return rows


def number(value: float) -> str:
    """6 significant digits: jobs of one sweep differ in the 4th decimal of a loss near 10 (10.3712 vs 10.3714)."""
    return f"{value:,.6g}" if abs(value) < 1e6 else f"{value:,.0f}"


def _markdown(sweep_dir: Path, rows: list[dict[str, Any]]) -> str:
    def cell(value: Any) -> str:
        if isinstance(value, float):
            return number(value)
        if isinstance(value, int):
            return f"{value:,}"
        return "" if value is None else str(value).replace("|", "\\|")

    done = sum(row["status"] == "completed" for row in rows)
    header = [f"# Sweep {sweep_dir}", "",
              f"{done} of {len(rows)} jobs completed, best eval loss first. Curves: `tensorboard --logdir {sweep_dir}` "
              "(the HParams tab compares every job in one table); plot: summary.png.", ""]
    columns = [c for c in COLUMNS if c != "error"]
    table = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    table += ["| " + " | ".join(cell(row[c]) for c in columns) + " |" for row in rows]
    failed = [f"- job {row['job']} ({row['run']}): {row['error']}" for row in rows if row["status"] == "failed"]
    return "\n".join(header + table + (["", "## Failed", ""] + failed if failed else [])) + "\n"


def summary_figure(rows: list[dict[str, Any]]):
    """Best eval loss per job (bars) and each job's eval-loss curve, one colour per job in both panels.

    Readable for 2 jobs and for 18: the axes show plain values (no "+1.037e1" offset that hides which
    job is which), a job with a single evaluation gets a visible marker, and the curves' legend names
    jobs by number only (the bars' labels carry the overrides) beside the plot rather than over it.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    done = [row for row in rows if row["status"] == "completed" and row["best_eval_loss"] is not None]
    figure, (bars, curves) = plt.subplots(1, 2, figsize=(15, max(4.0, 0.4 * len(rows) + 2.0)),
                                          gridspec_kw={"width_ratios": [1, 1.2]})
    colours = plt.get_cmap("tab10" if len(done) <= 10 else "tab20")
    labels = [f"#{row['job']} {row['run']}" for row in done]
    losses = [row["best_eval_loss"] for row in done]
    bars.barh(range(len(done)), losses, color=[colours(i % colours.N) for i in range(len(done))])
    if losses:  # zoom in: jobs of one sweep differ in the second decimal, not from zero
        spread = max(losses) - min(losses)
        bars.set_xlim(min(losses) - max(spread * 0.5, 0.01 * min(losses)), max(losses) + max(spread * 0.35, 1e-3))
        for y, loss in enumerate(losses):
            bars.text(loss, y, f" {number(loss)}", va="center", fontsize=8)
    bars.set_yticks(range(len(done)), labels, fontsize=8)
    bars.invert_yaxis()  # best at the top
    bars.set_xlabel("best eval loss (lower is better)")
    failed = len(rows) - len(done)
    bars.set_title(f"{len(done)} completed" + (f", {failed} failed" if failed else ""))
    for index, row in enumerate(done):
        if row["eval_curve"]:
            steps, values = zip(*row["eval_curve"], strict=True)
            curves.plot(steps, values, marker="o", markersize=4 if len(steps) > 1 else 7,
                        color=colours(index % colours.N), label=f"#{row['job']}")
    for axis in (bars.xaxis, curves.yaxis):
        axis.get_major_formatter().set_useOffset(False)
    curves.set_xlabel("step")
    curves.set_ylabel("eval loss")
    curves.set_title("eval loss over steps")
    if done:
        curves.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0), ncol=1 if len(done) <= 12 else 2)
    figure.tight_layout()
    return figure


def _plot(rows: list[dict[str, Any]], path: Path) -> None:
    import matplotlib.pyplot as plt

    figure = summary_figure(rows)
    figure.savefig(path, dpi=110)
    plt.close(figure)


def swept_keys(config: DictConfig) -> list[str]:
    """The keys a sweep varies, as the HParams table names them: `lora.r=8,16` on the command line, the
    sweeper's own search space (hparams_search=optuna: hydra.sweeper.params), a group (`model=a,b`) by
    its `<group>.name`."""
    from hydra.core.override_parser.overrides_parser import OverridesParser

    command_line = [str(o) for o in config.hydra.overrides.task]
    parsed = OverridesParser.create().parse_overrides(command_line)
    keys = [o.key_or_group for o in parsed if o.is_sweep_override()]
    keys += [str(key) for key in (OmegaConf.select(config, "hydra.sweeper.params") or {})]
    named = [key if "." in key else f"{key}.name" for key in keys if not key.startswith("hydra.")]
    return list(dict.fromkeys(named))


def write_sweep_experiment(config: DictConfig) -> None:
    """The sweep's HParams experiment (the table's columns, swept keys first) in the sweep folder's own run."""
    from supportbot.run.metrics import HPARAM_KEYS
    from supportbot.run.tensorboard import write_experiment

    swept = swept_keys(config)
    examples = {key: OmegaConf.select(config, key, default=None) for key in (*swept, *HPARAM_KEYS)}
    write_experiment(Path(str(config.hydra.sweep.dir)), examples, swept)


class SweepSummary(Callback):
    """Writes the sweep's HParams experiment at the start; rewrites summary.csv / summary.md / summary.png in
    the sweep folder after each job and at the end."""

    def on_multirun_start(self, config: DictConfig, **kwargs: Any) -> None:
        write_sweep_experiment(config)

    def on_job_end(self, config: DictConfig, job_return: Any, **kwargs: Any) -> None:
        if config.hydra.mode == RunMode.MULTIRUN:
            write_summary(Path(str(config.hydra.sweep.dir)))

    def on_multirun_end(self, config: DictConfig, **kwargs: Any) -> None:
        sweep_dir = Path(str(config.hydra.sweep.dir))
        if write_summary(sweep_dir):
            log.info("Sweep summary: %s (also summary.csv, summary.png)", sweep_dir / "summary.md")
