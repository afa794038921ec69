"""Which held-out suite prompts had a near-twin in the out-of-scope training set measured 2026-12-02..04
(out_of_scope.csv as of commit 9a609b8): char 3-5-gram TF-IDF cosine >= 0.6 or difflib ratio >= 0.7."""
import csv, difflib, json, collections, subprocess, io
import yaml
from sklearn.feature_extraction.text import TfidfVectorizer
old = subprocess.run(["git", "show", "9a609b8:src/supportbot/data/out_of_scope.csv"], capture_output=True, text=True).stdout
train = [r["instruction"] for r in csv.DictReader(io.StringIO(old))]
cases = []
for f in ["conf/eval/prompts/heldout.yaml", "conf/eval/tool_prompts/heldout.yaml"]:
    for e in yaml.safe_load(open(f)):
        for t in (e.get("turns") or [e.get("prompt")]):
            if t: cases.append((f, e.get("kind"), t))
v = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5)).fit(train + [c[2] for c in cases])
S = (v.transform([c[2] for c in cases]) @ v.transform(train).T).toarray()
per_kind = collections.defaultdict(lambda: {"prompts": 0, "with_near_twin": 0, "exact_or_near_copy": 0})
for i, (f, kind, text) in enumerate(cases):
    key = f"{f.split('/')[-2]}:{kind}"
    per_kind[key]["prompts"] += 1
    best = max((difflib.SequenceMatcher(None, text.lower(), t.lower()).ratio() for t in train))
    if S[i].max() >= 0.6 or best >= 0.7:
        per_kind[key]["with_near_twin"] += 1
    if best >= 0.9:
        per_kind[key]["exact_or_near_copy"] += 1
print(json.dumps({"criteria": "cosine >= 0.6 (char 3-5-gram TF-IDF) or difflib >= 0.7; copy: difflib >= 0.9",
                  "training_rows": len(train), "per_kind": per_kind}, indent=1))
