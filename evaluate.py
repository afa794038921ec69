"""Evaluate a run's adapter against its base model: coming next (issue: evaluate.py).

It will rebuild the run's validation split from <run>/config.yaml, check <run>/data_report.json's
split hash, and compare base vs fine-tuned on held-out loss, generation metrics and a prompt suite.
"""

import sys

if __name__ == "__main__":
    sys.exit("evaluate.py is not implemented yet; it is the next piece of work. A run's adapter is in "
             "<run>/adapter and loads with peft.PeftModel.from_pretrained.")
