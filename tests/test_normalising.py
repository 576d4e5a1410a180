"""Normalisation and boilerplate removal: every example of patterns/boilerplate.yaml, plus edge cases."""
from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, strategies as st

from extractor import patterns
from extractor.normalising import boilerplate_rules, clean_body, fix_tone_marks, normalize

EXAMPLES = patterns.load("boilerplate")["examples"]


def _example_id(ex: dict) -> str:
    return f"{ex['rule']}: {ex['input'].splitlines()[0][:40]}"


def test_every_example_names_a_known_rule():
    names = {rule.name for rule in boilerplate_rules()} | {"repeated caption"}
    unknown = [ex["rule"] for ex in EXAMPLES if ex["rule"] not in names]
    assert not unknown, f"examples name rules that do not exist: {unknown}"
    untested = names - {ex["rule"] for ex in EXAMPLES}
    assert not untested, f"rules without an example: {sorted(untested)}"


@pytest.mark.parametrize("ex", EXAMPLES, ids=_example_id)
def test_boilerplate_example(ex):
    got = clean_body(ex["input"])
    rule = ex["rule"]
    if "expected" in ex:
        assert got == ex["expected"].strip("\n"), f"rule {rule!r}: cleaned text differs"
    for s in ex.get("present", []):
        assert s in got, f"rule {rule!r}: dropped body text {s!r}"
    for s in ex.get("absent", []):
        assert s not in got, f"rule {rule!r}: left boilerplate {s!r}"
    assert any(k in ex for k in ("expected", "present", "absent")), f"example of {rule!r} asserts nothing"


@pytest.mark.parametrize(
    "new, old",
    [
        ("hoà", "hòa"), ("Hoà Bình", "Hòa Bình"), ("thuỷ", "thủy"), ("khoẻ", "khỏe"),
        ("hoá đơn", "hóa đơn"), ("HOÀ", "HÒA"), ("tuỳ", "tùy"), ("uỷ ban", "ủy ban"),
        ("Thanh Hoá.", "Thanh Hóa."), ("xã hội hoá)", "xã hội hóa)"),
    ],
)
def test_tone_marks_old_style(new, old):
    assert normalize(new) == old


@pytest.mark.parametrize("word", ["quý", "Quỳnh", "hoàn", "khuỷu", "thuyết", "hòa", "toàn", "QUÝ", "xoá"[:0] + "hoạch"])
def test_tone_marks_left_alone(word):
    assert normalize(word) == word


def test_decomposed_input_is_composed():
    decomposed = unicodedata.normalize("NFD", "Thủ tục hành chính được đơn giản hoá")
    assert normalize(decomposed) == "Thủ tục hành chính được đơn giản hóa"


def test_spaces_invisibles_and_line_ends():
    raw = "\ufeffTỉnh\u00a0tiếp  nhận\u200b 1.200\t hồ sơ \r\n\r\n\r\n\r\nĐoạn\u00a0hai.\r\nDòng ba.  "
    assert normalize(raw) == "Tỉnh tiếp nhận 1.200 hồ sơ\n\nĐoạn hai.\nDòng ba."


@given(st.text(alphabet=st.characters(whitelist_categories=("Zs", "Cc", "Zl", "Zp", "Ll")), max_size=40))
def test_spaces_rule_is_every_unicode_space_but_newline(text):
    """The spelled-out space class collapses exactly what ``[^\\S\\n]+`` would."""
    import regex

    from extractor.normalising import _SPACES

    assert _SPACES.sub(" ", text) == regex.sub(r"[^\S\n]+", " ", text)


@given(st.text(alphabet="aăâeêioôơuưyAOUhqtđkn òóỏõọàáảãạèéẻẽẹ\u0300\u0301\u0309\u0303\u0323\n", max_size=60))
def test_normalize_is_idempotent(text):
    once = normalize(text)
    assert normalize(once) == once


@given(st.text(alphabet="hoaeuyqtkHOAEUY àáảãạèéẻẽẹỳýỷỹỵ", max_size=40))
def test_tone_fix_is_length_stable(text):
    nfc = unicodedata.normalize("NFC", text)
    assert len(fix_tone_marks(nfc)) == len(nfc)


def test_clean_body_keeps_figures_officials_and_dates():
    body = (
        "Chuyển đổi số\n\n"
        "Sáng 10/11, Phó Chủ tịch Thường trực UBND tỉnh Lưu Văn Bản chủ trì phiên họp.\n\n"
        "Trong 10 tháng năm 2023, các cơ quan tiếp nhận 860.246 hồ sơ, 98,8% đúng hạn.\n"
    )
    assert clean_body(body) == normalize(body)
