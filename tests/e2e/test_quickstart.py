"""`make quickstart` as a new user meets it: the real SmolLM2-135M-Instruct on the bundled sample, then evaluate.py on
that run. The quickstart has to show the point of the project: the fine-tuned model beats its base."""

from __future__ import annotations

import json
import sys

from helpers import run_entrypoint, train_command

# Every validation row of the sample (27: one per intent) and the first 16 suite prompts, with answers long enough
# to be judged (most of the sample's answers are 40-80 tokens) but short enough for two CPU cores.
EVAL_QUICK = ("eval.max_samples=27", "eval.prompts=default", "eval.max_new_tokens=96")


def test_the_quickstart_beats_the_base_model_on_held_out_loss_rouge_and_intent(tmp_path):
    run_dir = tmp_path / "quickstart"
    trained = run_entrypoint(train_command(run_dir, "experiment=quickstart"), timeout=1200)
    assert trained.returncode == 0, trained.log[-3000:]
    # The run ends by saying what to do with it, in the README's order.
    next_steps = trained.log[trained.log.index("next:"):]
    for command in (f"python evaluate.py run={run_dir}", f"python evaluate.py run={run_dir} mode=chat",
                    f"tensorboard --logdir {run_dir}/tensorboard", f"python -m supportbot.export run={run_dir}"):
        assert command in next_steps, next_steps

    evaluated = run_entrypoint([sys.executable, "evaluate.py", f"run={run_dir}", *EVAL_QUICK], timeout=1200)
    assert evaluated.returncode == 0, evaluated.log[-3000:]
    metrics = json.loads(next((run_dir / "eval").glob("*/metrics.json")).read_text())
    base, tuned = metrics["base"], metrics["finetuned"]
    assert metrics["samples"] == 27
    assert tuned["heldout_loss"] < base["heldout_loss"]
    assert tuned["rouge_l"] > base["rouge_l"]
    assert tuned["intent_consistency"] > base["intent_consistency"]
