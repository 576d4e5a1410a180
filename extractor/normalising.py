"""Normalise Vietnamese text and strip web boilerplate from a plain-text body.

``normalize`` makes one canonical form (NFC, old-style tone marks, clean
spaces); ``clean_body`` removes what a reader skips (menus, share buttons,
comment boxes, image stubs, repeated captions). The boilerplate rules are data:
``patterns/boilerplate.yaml``, with the examples that prove them.
"""
from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass

import regex

from . import patterns
from .errors import PatternError

# Invisible characters dropped outright: BOM, zero-width space/joiners, word
# joiner, soft hyphen.
_INVISIBLE_CHARS = "\ufeff\u200b\u200c\u200d\u2060\u00ad"
_INVISIBLE = dict.fromkeys(map(ord, _INVISIBLE_CHARS))
_LINE_BREAKS = regex.compile(r"\r\n?|[\u2028\u2029\x0b\x0c\x85]")
# any whitespace but newline (NBSP, tabs, thin spaces): the Unicode White_Space set, spelled
# out so that the pattern only matches runs that change (a lone plain space is left alone: fast)
_WS = r"\t\x0b\x0c\r\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_SPACES = regex.compile(r"(?: [ " + _WS + r"]|[" + _WS + r"])[ " + _WS + r"]*")
_BLANK_RUNS = regex.compile(r"\n{3,}")

# Old-style tone placement ("hòa", "thủy", "khỏe"): in an open syllable ending
# in oa/oe/uy the tone sits on the first vowel. "quý" keeps its mark (qu is the
# consonant), and "hoàn", "khuỷu" (syllable goes on) are not touched.
_TONES = "\u0300\u0301\u0309\u0303\u0323"  # huyền, sắc, hỏi, ngã, nặng
_NEW_STYLE = regex.compile(
    r"(?<![qQ])([uU])([yY][" + _TONES + r"])(?!\p{L}|\p{M})"
    r"|([oO])([aAeE][" + _TONES + r"])(?!\p{L}|\p{M})"
)

# the same pairs composed (NFC): a cheap test before the decomposed rule
_MAYBE_NEW_STYLE = regex.compile(r"[oO][àáảãạèéẻẽẹÀÁẢÃẠÈÉẺẼẸ]|[uU][ỳýỷỹỵỲÝỶỸỴ]")


def _move_tone(m: regex.Match) -> str:
    first = m.group(1) or m.group(3)
    second = m.group(2) or m.group(4)
    return first + second[1] + second[0]  # still NFD: mark after the first vowel


def fix_tone_marks(text: str) -> str:
    """Old-style tone marks (``hoà`` → ``hòa``, ``thuỷ`` → ``thủy``); length-stable in NFC."""
    nfc = unicodedata.normalize("NFC", text)
    if not _MAYBE_NEW_STYLE.search(nfc):
        return nfc  # most text has nothing to move: skip the round trip through NFD
    nfd = unicodedata.normalize("NFD", nfc)
    return unicodedata.normalize("NFC", _NEW_STYLE.sub(_move_tone, nfd))


def normalize(text: str) -> str:
    """NFC, old-style tone marks, plain spaces, ``\\n`` line ends, at most one blank line between paragraphs."""
    if any(ch in text for ch in _INVISIBLE_CHARS):  # rare, and translate() is slow on long text
        text = text.translate(_INVISIBLE)
    text = _LINE_BREAKS.sub("\n", text)
    text = fix_tone_marks(unicodedata.normalize("NFC", text))
    lines = (line.strip() for line in _SPACES.sub(" ", text).split("\n"))
    return _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip("\n")


# --- boilerplate -----------------------------------------------------------

ACTIONS = ("drop_line", "drop_rest", "drop_block", "strip")
#: A "drop the rest" rule only cuts once a body paragraph (a sentence of at
#: least this many characters) has been read, so a comment counter next to the
#: headline or dateline cannot wipe an article.
_MIN_PARAGRAPH = 60
_SENTENCE_END = ".!?…\"”)"


@dataclass(frozen=True)
class Rule:
    """One boilerplate rule: a name, a compiled pattern and what to do on a match."""

    name: str
    pattern: regex.Pattern
    action: str


@functools.lru_cache(maxsize=None)
def boilerplate_rules() -> tuple[Rule, ...]:
    """The rules of ``patterns/boilerplate.yaml``, validated and compiled."""
    data = patterns.load("boilerplate")
    rules = []
    for i, entry in enumerate(data.get("rules") or []):
        where = f"boilerplate.yaml rule #{i} ({entry.get('name', '?')})"
        if entry.get("action") not in ACTIONS:
            raise PatternError(f"{where}: action must be one of {ACTIONS}")
        if ("regex" in entry) == ("phrase" in entry):
            raise PatternError(f"{where}: give exactly one of regex or phrase")
        if "phrase" in entry:
            source = r"^" + regex.escape(normalize(entry["phrase"])) + r"\s*[.:]?$"
        else:
            source = entry["regex"]
        try:
            pattern = regex.compile(source, regex.IGNORECASE if entry.get("ignore_case") else 0)
        except regex.error as exc:
            raise PatternError(f"{where}: bad regex: {exc}") from exc
        rules.append(Rule(entry["name"], pattern, entry["action"]))
    return tuple(rules)


def _undouble(line: str) -> str:
    """A caption pasted twice on one line ("X.X.") → "X."."""
    n = len(line)
    if n >= 20 and n % 2 == 0 and line[: n // 2] == line[n // 2:]:
        return line[: n // 2].strip()
    return line


def _is_paragraph(line: str) -> bool:
    """A body paragraph: a sentence of some length, ending like one (not a listed headline)."""
    return len(line) >= _MIN_PARAGRAPH and line[-1] in _SENTENCE_END


def clean_body(text: str) -> str:
    """Remove boilerplate lines from normalised plain text, keeping paragraph breaks."""
    rules = boilerplate_rules()
    kept: list[str] = []
    body_seen = False
    last_nonblank = None
    in_block = False  # after "Xem thêm:": headlines until the next body paragraph
    from .tables import table_lines

    lines = normalize(text).split("\n")
    in_table = table_lines(lines)  # "Chỉ tiêu | Kế hoạch | Thực hiện" is a header, not a menu
    for i, line in enumerate(lines):
        if i in in_table:
            kept.append(line)
            continue
        was_blank = not line
        line = _undouble(line)
        if in_block and line:
            if _is_paragraph(line):
                in_block = False
            elif not any(r.action == "drop_rest" and r.pattern.search(line) for r in rules):
                continue  # a listed headline ("Các tin khác" after it still ends the article)
        cut = False
        for rule in rules:
            if not line:
                break
            if not rule.pattern.search(line):
                continue
            if rule.action == "strip":
                line = rule.pattern.sub("", line).strip()
            elif rule.action == "drop_rest" and body_seen:
                cut = True
                break
            elif rule.action == "drop_block":
                in_block = True
                line = ""
            else:
                line = ""
        if cut:
            break
        if not line and not was_blank:  # a dropped line leaves no gap
            continue
        if line and line == last_nonblank:  # a caption repeated on the next line
            continue
        if line:
            last_nonblank = line
            body_seen = body_seen or _is_paragraph(line)
        kept.append(line)
    return _BLANK_RUNS.sub("\n\n", "\n".join(kept)).strip("\n")
