"""benchmarks/peers.py on CPU with fake children: the budget ladder, records, resume, the table, the child CLIs."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from helpers import ROOT, load_script

peers = load_script("peers_harness", ROOT / "benchmarks" / "peers.py")


def fake_child(limits: dict[str, int], errors: dict[str, int] | None = None):
    """A runner whose system fits `rows * 1 GiB + 1 GiB` and errors at `errors[system]` rows; tok/s = 1000 x rows."""
    calls = []

    def run(key, gpu):
        calls.append(key)
        if errors and key.system in errors and key.rows >= errors[key.system]:
            return {"error": "RuntimeError: not implemented for 'BFloat16'"}
        if key.rows + 1 > key.budget_gb or key.rows > limits[key.system]:
            return {"oom": True, "error": "OutOfMemoryError: CUDA out of memory"}
        return {"real_tokens_per_second": 1000.0 * key.rows * (2 if key.system == "supportbot" else 1),
                "peak_memory_gb": key.rows + 0.5, "peak_reserved_gb": key.rows + 1.0, "step_seconds": 0.5}

    run.calls = calls
    return run


def _args(tmp_path, **changes):
    args = peers.parser().parse_args(["--data", "d.csv", "--work", str(tmp_path / "work"), "--models", "m",
                                      "--precisions", "bf16", "--budgets", "4,8,15", "--ladder", "1,2,4,8,12"])
    for key, value in changes.items():
        setattr(args, key, value)
    return args


def _harness(tmp_path, runner, **changes):
    return peers.Harness(_args(tmp_path, **changes), tmp_path / "peers.json", runner=runner,
                         preparer=lambda model, gpu: {"parameters": 10**9, "matmul_peak_tflops": {"bf16": 1000.0}})


def _result(rows, budget, **extra):
    return {"rows": rows, "budget_gb": budget, "real_tokens_per_second": 100.0 * rows, **extra}


def test_ladder_stops_at_the_first_oom_and_the_next_budget_goes_on_from_there():
    calls = []

    def run(rows, budget):
        calls.append((rows, budget))
        return {"rows": rows, "budget_gb": budget, "oom": True} if rows + 1 > budget else _result(rows, budget)

    found = peers.search(run, [8, 4, 15], [1, 2, 4, 8, 12, 16])
    assert [found[b]["best"]["rows"] for b in (4, 8, 15)] == [2, 4, 12]
    assert found[4]["stopped_by"]["rows"] == 4 and found[15]["stopped_by"]["rows"] == 16
    # each fitting row count is run once, under the smallest budget; each OOM is retried under the next budget
    assert calls == [(1, 4), (2, 4), (4, 4), (4, 8), (8, 8), (8, 15), (12, 15), (16, 15)]


def test_a_best_found_under_a_smaller_budget_says_so():
    found = peers.search(lambda rows, budget: _result(rows, budget) if rows < 2 else {"rows": rows, "oom": True},
                         [4, 8], [1, 2])
    assert found[8]["best"]["rows"] == 1 and found[8]["best"]["measured_under_budget_gb"] == 4
    assert "measured_under_budget_gb" not in found[4]["best"]


def test_an_error_is_a_result_and_ends_the_systems_ladder_for_every_budget():
    calls = []

    def run(rows, budget):
        calls.append(rows)
        return _result(rows, budget) if rows < 4 else {"rows": rows, "budget_gb": budget, "error": "boom"}

    found = peers.search(run, [4, 8, 15], [1, 2, 4, 8])
    assert calls == [1, 2, 4]
    assert all(found[b]["stopped_by"]["error"] == "boom" and found[b]["best"]["rows"] == 2 for b in (4, 8, 15))


def test_a_budget_where_nothing_fits_has_no_best():
    found = peers.search(lambda rows, budget: {"rows": rows, "oom": True} if budget < 8 else _result(rows, budget),
                         [4, 8], [1, 2])
    assert found[4]["best"] is None and found[4]["stopped_by"]["rows"] == 1
    assert found[8]["best"]["rows"] == 2 and found[8]["stopped_by"] is None  # the ladder ran out
    record = peers.assemble("m", "bf16", 4, {"supportbot": found[4], "trl": found[4]})
    assert record["supportbot_rows"] is None and record["best_peer"] is None and record["ratio"] is None


def test_the_deadline_stops_the_search_without_recording_the_cut_budget():
    def run(rows, budget):
        if budget == 8:
            return None
        return {"rows": rows, "oom": True} if rows == 4 else _result(rows, budget)

    found = peers.search(run, [4, 8, 15], [1, 2, 4])
    assert list(found) == [4] and found[4]["best"]["rows"] == 2


def test_a_record_has_the_best_peer_and_the_ratio():
    entries = {"supportbot": {"best": _result(8, 8, peak_memory_gb=7.9), "stopped_by": {"rows": 12, "oom": True}},
               "unsloth": {"best": _result(24, 8), "stopped_by": None},
               "trl": {"best": None, "stopped_by": {"rows": 1, "error": "RuntimeError: bf16 scaler"}}}
    record = peers.assemble("llama3.2-3b", "fp16", 8, entries)
    best = (record["best_peer"], record["best_peer_rows"], record["best_peer_tokens_per_second"])
    assert best == ("unsloth", 24, 2400)
    assert record["supportbot_tokens_per_second"] == 800 and record["ratio"] == pytest.approx(0.33)
    assert record["systems"]["trl"]["stopped_by"]["error"] == "RuntimeError: bf16 scaler"


def test_the_grid_writes_records_children_and_the_table(tmp_path):
    runner = fake_child({"supportbot": 8, "unsloth": 12, "trl": 12}, errors={"trl": 1})
    report = _harness(tmp_path, runner).run()
    assert report["complete"]
    by_budget = {r["budget_gb"]: r for r in report["records"]}
    assert [by_budget[b]["supportbot_rows"] for b in (4, 8, 15)] == [2, 4, 8]
    assert [by_budget[b]["best_peer_rows"] for b in (4, 8, 15)] == [2, 4, 12]
    assert by_budget[15]["best_peer"] == "unsloth" and by_budget[15]["ratio"] == pytest.approx(16000 / 12000, abs=0.01)
    assert by_budget[4]["ratio"] == 2.0
    mfu = next(c for c in report["children"] if c["system"] == "unsloth" and c["rows"] == 2)["mfu"]
    assert mfu == pytest.approx(6 * 1e9 * 2000 / 1e12 / 1000)
    written = json.loads((tmp_path / "peers.json").read_text())
    assert len(written["children"]) == len(runner.calls) and written["records"] == report["records"]
    table = (tmp_path / "peers.md").read_text()
    assert "| m | bf16 | 15 | 8 | 16,000 | unsloth | 12 | 12,000 | 1.33x |" in table
    assert "error at 1 rows: `RuntimeError: not implemented for 'BFloat16'`" in table
    assert "OOM at 4 rows" in table


def test_resume_runs_nothing_already_recorded(tmp_path):
    first = fake_child({"supportbot": 8, "unsloth": 12, "trl": 12})
    _harness(tmp_path, first).run()
    again = fake_child({"supportbot": 8, "unsloth": 12, "trl": 12})
    report = _harness(tmp_path, again).run()
    assert again.calls == [] and report["complete"] and len(report["records"]) == 3


def test_a_run_cut_by_the_deadline_resumes_where_it_stopped(tmp_path):
    limits = {"supportbot": 8, "unsloth": 12, "trl": 12}
    calls = []
    first = fake_child(limits)

    def cut(key, gpu):  # the deadline arrives at the first 15 GB child
        calls.append(key)
        return None if key.budget_gb == 15 else first(key, gpu)

    report = _harness(tmp_path, cut).run()
    assert not report["complete"] and {r["budget_gb"] for r in report["records"]} == {4.0, 8.0}
    rest = fake_child(limits)
    report = _harness(tmp_path, rest).run()
    assert report["complete"] and rest.calls and all(key.budget_gb == 15 for key in rest.calls)


@pytest.mark.parametrize("system", ["supportbot", "unsloth", "trl"])
def test_each_child_accepts_the_harness_command_line_without_its_peer(system, tmp_path):
    key = peers.Key("llama3.2-3b", "fp16", system, 15.0, 8)
    meta = {"model_dir": "/tmp/peers/cache/random/x", "rows_file": "/tmp/peers/llama3.2-3b/rows.npz"}
    args = _args(tmp_path, override=["model.kernels=liger"])
    command = peers.child_command(key, meta, args, tmp_path / "r.json") + ["--dry-run"]
    # Run as `python script.py` runs it (its folder first on sys.path), then check nothing heavy was imported.
    guard = ("import os, runpy, sys; sys.argv = sys.argv[1:]; sys.path.insert(0, os.path.dirname(sys.argv[0])); "
             "runpy.run_path(sys.argv[0], run_name='__main__'); "
             "heavy = [m for m in ('torch', 'unsloth', 'trl', 'transformers') if m in sys.modules]; "
             "assert not heavy, heavy")
    done = subprocess.run([sys.executable, "-c", guard, *command[1:]], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    parsed = json.loads(done.stdout.strip().splitlines()[-1])
    assert (parsed["system"], parsed["rows"], parsed["budget_gb"], parsed["precision"]) == (system, 8, 15.0, "fp16")
    if system == "supportbot":
        assert parsed["override"] == ["model.kernels=liger"] and parsed["cache_dir"].endswith("cache")


def test_unsloths_child_gets_its_site_first(monkeypatch):
    monkeypatch.setenv("PYTHONPATH", "/tmp/site")
    monkeypatch.delenv("CUDA_VISIBLE_DEVICES", raising=False)
    env = peers.child_env("unsloth", 3, "/tmp/unsloth-site")
    assert env["PYTHONPATH"].split(":") == ["/tmp/unsloth-site", "/tmp/site"] and env["CUDA_VISIBLE_DEVICES"] == "3"
    env = peers.child_env("trl", None, "/tmp/unsloth-site")
    assert env["PYTHONPATH"] == "/tmp/site" and "CUDA_VISIBLE_DEVICES" not in env and env["HF_HUB_OFFLINE"] == "1"


def test_a_child_failure_is_classified():
    child = load_script("peer_child", ROOT / "benchmarks" / "peers" / "child.py")
    assert child.failure(RuntimeError("CUDA error: out of memory\nmore"))["oom"] is True
    error = child.failure(RuntimeError('"_amp_foreach_non_finite_check_and_unscale_cuda" not implemented for '
                                       "'BFloat16'"))
    assert "oom" not in error and error["error"].startswith("RuntimeError: \"_amp_foreach")
