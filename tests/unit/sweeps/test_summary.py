"""sweeps/summary.py: the sweep's table and plot tell apart jobs that differ in the 4th decimal."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from supportbot.sweeps.summary import JobRecord, summary_figure, write_summary

# Two jobs whose losses differ only in the 4th decimal (the 6th significant digit), as a tiny sweep's do.
LOSSES = {0: 10.37121, 1: 10.37139}


def fake_job(sweep_dir: Path, number: int, loss: float, curve: list) -> None:
    job_dir = sweep_dir / str(number)
    job_dir.mkdir(parents=True)
    (job_dir / "metrics.json").write_text(json.dumps({
        "best_eval_loss": loss, "eval_loss": loss, "train_loss": loss + 0.1, "trainable_parameters": 32768,
        "tokens_per_second": 150.25, "peak_memory_gb": 1.0213, "eval_curve": curve}))
    JobRecord(number=number, overrides=[f"lora.r={8 * (number + 1)}"], run_name=f"lora.r={8 * (number + 1)}",
              command="python train.py").finish(job_dir, 0, 12.5)


@pytest.fixture
def sweep_dir(tmp_path):
    fake_job(tmp_path, 0, LOSSES[0], [[2, 10.38], [4, LOSSES[0]]])
    fake_job(tmp_path, 1, LOSSES[1], [[4, LOSSES[1]]])  # a single evaluation: one point
    write_summary(tmp_path)
    return tmp_path


def test_markdown_and_csv_keep_the_digits_that_tell_jobs_apart(sweep_dir):
    markdown = (sweep_dir / "summary.md").read_text()
    assert "10.3712" in markdown and "10.3714" in markdown
    rows = list(csv.DictReader((sweep_dir / "summary.csv").open()))
    assert {float(row["best_eval_loss"]) for row in rows} == set(LOSSES.values())
    assert (sweep_dir / "summary.png").stat().st_size > 10_000


def test_the_plot_has_no_offset_axis_labels_values_and_marks_single_points(sweep_dir):
    from supportbot.sweeps.summary import job_rows

    figure = summary_figure(job_rows(sweep_dir))
    bars, curves = figure.axes[:2]
    figure.canvas.draw()
    for axis in (bars.xaxis, curves.yaxis):
        assert axis.get_major_formatter().get_useOffset() is False
        assert axis.get_offset_text().get_text() == ""
    labels = {text.get_text().strip() for text in bars.texts}
    assert labels == {"10.3712", "10.3714"}
    lines = curves.get_lines()
    assert len(lines) == 2 and all(line.get_marker() not in (None, "", "None") for line in lines)
    single = next(line for line in lines if len(line.get_xdata()) == 1)
    assert single.get_markersize() >= 6  # one point must be seen without a line through it
    assert len({line.get_color() for line in lines}) == 2


def test_the_plot_stays_readable_for_18_jobs(tmp_path):
    for number in range(18):
        fake_job(tmp_path, number, 10.3 + number * 1e-4, [[2, 10.5], [4, 10.3 + number * 1e-4]])
    rows = write_summary(tmp_path)
    figure = summary_figure(rows)
    curves = figure.axes[1]
    legend = curves.get_legend()
    assert [text.get_text() for text in legend.get_texts()][:2] == ["#0", "#1"]  # numbers; the bars name them
    assert len({line.get_color() for line in curves.get_lines()}) == 18
    assert figure.get_size_inches()[1] >= 0.4 * 18
