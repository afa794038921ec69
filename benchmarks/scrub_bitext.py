"""Withhold Bitext's own questions from benchmark output before it is committed (the data's rows never enter the
repository; ../shared/data/bitext/README).

evaluate.py's outputs quote the validation questions it scored: metrics.json and quality.py's quality.json under
`per_intent.<intent>.failed_examples[].instruction`, report.md in its weak-intents list (`  - "question" → judged
...`). On a run trained on Bitext those are Bitext's rows. The model's answers, the scores and the held-out suite's
prompts (written by this project) stay.

    python benchmarks/scrub_bitext.py benchmarks/results/<entry>/     # every .json and .md in the folder, in place
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

WITHHELD = "[Bitext text withheld]"
_QUOTED_QUESTION = re.compile(r'^(\s*- )"(?!\[Bitext text withheld\]).*?"( → judged )', re.MULTILINE)


def scrub_json(data):
    """A copy of `data` with every failed example's question withheld; returns (copy, how many)."""
    count = 0

    def walk(node):
        nonlocal count
        if isinstance(node, dict):
            out = {}
            for key, value in node.items():
                if key == "failed_examples" and isinstance(value, list):
                    examples = []
                    for example in value:
                        if isinstance(example, dict) and example.get("instruction") not in (None, WITHHELD):
                            example, count = {**example, "instruction": WITHHELD}, count + 1
                        examples.append(example)
                    out[key] = examples
                else:
                    out[key] = walk(value)
            return out
        if isinstance(node, list):
            return [walk(item) for item in node]
        return node

    return walk(data), count


def scrub_report(text: str) -> tuple[str, int]:
    """report.md with the quoted questions of its weak-intents list withheld; returns (text, how many)."""
    return _QUOTED_QUESTION.subn(rf'\1"{WITHHELD}"\2', text)


def scrub_folder(folder: Path) -> int:
    total = 0
    for path in sorted(folder.rglob("*.json")):
        data, count = scrub_json(json.loads(path.read_text()))
        if count:
            path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n")
            total += count
    for path in sorted(folder.rglob("*.md")):
        text, count = scrub_report(path.read_text())
        if count:
            path.write_text(text)
            total += count
    return total


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", type=Path)
    for folder in parser.parse_args(argv).folders:
        print(f"{folder}: {scrub_folder(folder)} Bitext questions withheld")


if __name__ == "__main__":
    main()
