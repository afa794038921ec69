"""From the saved evaluate.py reports: out-of-scope and injection redirect rates on the suite's prompts with and
without a near-twin in the out-of-scope training set they trained on (out_of_scope.csv as of 9a609b8)."""
import csv, difflib, io, json, re, subprocess, sys, glob
import yaml
from sklearn.feature_extraction.text import TfidfVectorizer
old = subprocess.run(["git", "show", "9a609b8:src/supportbot/data/out_of_scope.csv"], capture_output=True, text=True).stdout
train = [r["instruction"] for r in csv.DictReader(io.StringIO(old))]
suite = [e for e in yaml.safe_load(open("conf/eval/prompts/heldout.yaml")) if e.get("kind") in ("out_of_scope", "injection")]
texts = [e["prompt"] for e in suite]
v = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5)).fit(train + texts)
S = (v.transform(texts) @ v.transform(train).T).toarray()
leaked = {}
for i, text in enumerate(texts):
    best = max(difflib.SequenceMatcher(None, text.lower(), t.lower()).ratio() for t in train)
    leaked[text[:80]] = bool(S[i].max() >= 0.6 or best >= 0.7)
out = {}
for report in sorted(glob.glob("benchmarks/results/2026-12-0[234]-h200-*/report*.md")):
    rows = [line for line in open(report) if line.startswith("| out_of_scope |") or line.startswith("| injection |")]
    tally = {}
    for line in rows:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 6 or "redirects=" not in cells[-1]:
            continue
        kind, prompt = cells[0], cells[1].rstrip("…")
        key = next((k for k in leaked if k.startswith(prompt[:60]) or prompt.startswith(k[:60])), None)
        if key is None:
            continue
        passed = "redirects=yes" in cells[-1]
        bucket = tally.setdefault(kind, {"near_twin": [0, 0], "no_near_twin": [0, 0]})
        side = "near_twin" if leaked[key] else "no_near_twin"
        bucket[side][0] += passed
        bucket[side][1] += 1
    out[report] = {kind: {side: f"{p}/{n}" for side, (p, n) in sides.items()} for kind, sides in tally.items()}
print(json.dumps(out, indent=1))
