"""Run every example of every rule file in patterns/ (Duckling-style: the corpus is the test).

A failure names the file, the example and which way it failed: nothing found,
a wrong value, or something found that must not be.
"""
from __future__ import annotations

import math

import pytest

from extractor import patterns
from extractor.numbers import find_numbers
from extractor.pipeline import extract

KIND_FILES = {}
for path in patterns.all_pattern_files():
    rel = path.relative_to(patterns.patterns_dir()).with_suffix("").as_posix()
    data = patterns.load(rel)
    if data.get("examples") and data.get("kind") in ("number", "figure", "official", "date", "legal_ref", "period", "scope",
                                                     "tokens"):
        KIND_FILES[rel] = data


def _cases():
    for rel, data in KIND_FILES.items():
        for i, ex in enumerate(data["examples"]):
            yield pytest.param(rel, data["kind"], ex, id=f"{rel}#{i}")


def _matches(fact: dict, want: dict) -> bool:
    for k, v in want.items():
        got = fact.get(k)
        if isinstance(v, (int, float)) and not isinstance(v, bool) and isinstance(got, (int, float)):
            if not math.isclose(got, v, rel_tol=1e-9, abs_tol=1e-6):
                return False
        elif got != v:
            return False
    return True


def _found(kind: str, ex: dict) -> list[dict]:
    if kind == "number":
        return [dict(value=n.value, percent=n.percent, approx=n.approx, total=n.total)
                for n in find_numbers(ex["text"])]
    if kind == "tokens":
        from extractor.tokens import match

        return [dict(label=label, text=t.text) for label, t in match(ex["text"])]
    facts = extract(ex["text"], published=ex.get("published"), title=ex.get("title", ""),
                    source=ex.get("source"))
    if kind == "scope" or kind == "period":
        return facts
    return [f for f in facts if f["kind"] == kind]


@pytest.mark.parametrize("rel,kind,ex", list(_cases()))
def test_pattern_example(rel, kind, ex):
    found = _found(kind, ex)
    expect = ex.get("expect", [])
    for want in expect:
        assert any(_matches(f, want) for f in found), (
            f"{rel}: nothing found matching {want} in {ex['text']!r}; found {found}")
    if expect == [] and kind not in ("scope", "period"):
        assert not found, f"{rel}: found {found} in {ex['text']!r} where nothing must be"
    for bad in ex.get("reject", []):
        assert not any(_matches(f, bad) for f in found), f"{rel}: found forbidden {bad} in {ex['text']!r}"


def test_every_rule_file_has_examples():
    missing = [rel for rel, data in KIND_FILES.items() if not data.get("examples")]
    assert not missing
    assert {"number", "figure", "official", "date", "legal_ref", "period", "scope"} <= {
        d["kind"] for d in KIND_FILES.values()}


def test_sentence_examples():
    from extractor.pipeline import sentences

    data = patterns.load("sentences")
    for ex in data["examples"]:
        assert len(sentences(ex["text"])) == ex["sentences"], f"sentences: {ex['text']!r}"
