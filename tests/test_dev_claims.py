"""Verdict accuracy of tests/data/dev.claims.jsonl against the 31 real dev articles.

The claims are written from the dev gold files (required figures with their
metric, scope and period); the expected verdicts are what a careful reader
would conclude, not what the checker happens to say.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from extractor import claims
from extractor.store import ingest

ROOT = Path(__file__).resolve().parent.parent
DEV = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "dev"
CLAIMS_FILE = ROOT / "tests" / "data" / "dev.claims.jsonl"
#: Minimum verdict accuracy on the dev claims.
DEV_FLOOR = 0.95


@pytest.mark.skipif(not DEV.is_dir(), reason="../shared/corpus/dev is not present")
def test_dev_claims_accuracy(tmp_path):
    db = tmp_path / "dev.db"
    ingest([str(DEV)], db)
    report = claims.evaluate_claims(CLAIMS_FILE, db)
    lines = [f"dev claims accuracy {report['correct']}/{report['claims']} = {report['accuracy']:.3f}"]
    for w in report["wrong"]:
        lines.append(f"  wrong: line {w['line']} expected {w['expected']} got {w['got']}: {w['claim']}"
                     f"  [{w['about']}: {w['note']}]  {w['message']}")
    print("\n" + "\n".join(lines))
    assert report["claims"] == 45
    assert report["accuracy"] >= DEV_FLOOR, "\n".join(lines)
