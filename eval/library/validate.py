"""Check questions.jsonl against the three documents in this folder.

Every line parses; ids are unique; each answerable question names an existing
document; every evidence string is 30-150 characters and an exact substring of
that document; the first spelling of every answer_facts group is an exact
substring of one of the evidence strings; unanswerable questions carry no doc,
evidence or facts. Files must be NFC. Run: python3 eval/library/validate.py
"""

import json
import pathlib
import sys
import unicodedata
from collections import Counter

HERE = pathlib.Path(__file__).resolve().parent


def main() -> int:
    texts = {}
    for p in sorted(HERE.glob("*.txt")):
        t = p.read_text(encoding="utf-8")
        assert t == unicodedata.normalize("NFC", t), f"{p.name} not NFC"
        texts[p.stem] = t
    raw = (HERE / "questions.jsonl").read_text(encoding="utf-8")
    assert raw == unicodedata.normalize("NFC", raw), "questions.jsonl not NFC"
    rows = [json.loads(line) for line in raw.splitlines() if line.strip()]
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)), "duplicate ids"
    for r in rows:
        assert set(r) == {"id", "doc", "question", "answerable", "evidence", "answer_facts", "tags"}, r["id"]
        assert r["tags"][0] == "library", r["id"]
        if not r["answerable"]:
            assert r["doc"] is None and r["evidence"] == [] and r["answer_facts"] == [], r["id"]
            assert r["tags"] == ["library", "unanswerable"], r["id"]
            continue
        text = texts[r["doc"]]
        assert r["evidence"], r["id"]
        for ev in r["evidence"]:
            assert 30 <= len(ev) <= 150, (r["id"], len(ev))
            assert ev in text, (r["id"], ev)
        assert r["answer_facts"], r["id"]
        for group in r["answer_facts"]:
            assert group and any(group[0] in ev for ev in r["evidence"]), (r["id"], group)
    per = Counter(r["tags"][1] for r in rows)
    print(len(rows), "questions OK;", dict(per))
    for stem, t in texts.items():
        print(f"  {stem}.txt: {len(t.split())} words")
    return 0


if __name__ == "__main__":
    sys.exit(main())
