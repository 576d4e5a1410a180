"""Number grammar (``regex``): find quantities as Vietnamese reporting writes them.

``find_numbers(text)`` returns every :class:`Number` in a string with its
character span, value, whether it is a percentage, its approximation word and
the denominator of ``x/y`` and ``x trong số y`` forms. Whether a number is a
*figure* (and of what) is decided later, by ``figures``.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

import regex

from . import patterns



@dataclass
class Number:
    start: int          # span of the whole mention, approximation word included
    end: int
    value: float
    percent: bool = False
    approx: str = "exact"
    total: float | None = None
    num_start: int = 0  # span of the digits alone (first number of a ratio)
    num_end: int = 0
    range_part: bool = False  # one end of "12-15%"
    raw: str = ""
    single_word: bool = False  # "hai", "ba": a number only when an object follows at once

    @property
    def text(self) -> str:
        return self.raw


def _alt(words) -> str:
    return "|".join(regex.escape(w) for w in sorted(words, key=len, reverse=True))


@functools.lru_cache(maxsize=1)
def _grammar():
    data = patterns.load("numbers")
    approx = {w: kind for kind, words in data["approx"].items() for w in words}
    scales = data["scales"]
    digit_words = data["digit_words"]
    word_num = (
        r"(?:(?:" + _alt(digit_words) + r")(?:\s+(?:" + _alt(data["hundred_words"]) + r"))?"
        r"(?:\s+(?:" + _alt(data["odd_words"]) + r")\s+(?:" + _alt(digit_words) + r"))?"
        r"(?:\s+(?:" + _alt(data["ten_words"]) + r"))?(?:\s+(?:" + _alt(digit_words) + r"))?"
        r"|" + regex.escape(data["teen_word"]) + r"(?:\s+(?:" + _alt(digit_words) + r"))?)"
    )
    # A digit number: 1.234.567 | 1,5 | 72.4 | 12
    digits = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?(?!\.?\d)|\d+\.\d{1,2}(?!\.?\d)|\d+(?:,\d+)?"
    num = r"(?P<n>" + digits + r")"
    scale = r"(?:\s*(?P<scale>" + _alt(scales) + r")(?!\p{L}))?"
    pct_words = "|".join(r"\s+".join(map(regex.escape, w.split())) for w in data["percent_words"])
    pct = r"(?P<pct>\s?%|\s+(?:" + pct_words + r"))?"
    links = "|".join(r"\s+".join(map(regex.escape, w.split())) for w in data["ratio_links"])
    ratio = (r"(?:\s*/\s*(?P<tot>\d{1,3}(?:\.\d{3})+|\d+(?:[.,]\d+)?)"
             r"|\s+(?:" + links + r")\s+(?P<tot>\d{1,3}(?:\.\d{3})+|\d+))?")
    rng = r"(?:\s*[-–]\s*(?P<n2>\d+(?:,\d+)?)(?P<pct2>\s?%)?)?"
    appr = r"(?:(?P<appr>" + _alt(approx) + r")\s+(?:từ\s+)?(?:mức\s+)?)?"
    pattern = regex.compile(
        # not inside a code or name: "COVID-19", "Covid-19", "VNeID-2"
        r"(?<![\p{L}\d/.,])(?<!\p{L}-)" + appr + r"(?:(?P<from>từ)\s+)?" + num + rng + scale + pct + ratio
        + r"(?![\p{L}\d])",
        regex.IGNORECASE,
    )
    words = regex.compile(
        r"(?<!\p{L})" + appr + r"(?P<w>" + word_num + r")(?=\s+\p{L})(?!\s+(?:" + _alt(data["not_before"]) + r")(?!\p{L}))",
        regex.IGNORECASE,
    )
    pct_after = regex.compile(r"\s*(?:%|" + pct_words + r")")
    return data, approx, scales, digit_words, pattern, words, pct_after


def parse_digits(s: str) -> float:
    """``1.012`` → 1012, ``73,2`` → 73.2, ``72.4`` → 72.4 (a dot before 1-2 digits is a decimal point)."""
    s = s.strip()
    if "," in s:
        whole, frac = s.split(",", 1)
        return float(whole.replace(".", "") + "." + frac)
    if "." in s:
        parts = s.split(".")
        if all(len(p) == 3 for p in parts[1:]):
            return float(s.replace(".", ""))
        return float(s)
    return float(s)


def parse_words(s: str) -> float | None:
    """``hai mươi`` → 20, ``mười lăm`` → 15, ``một trăm`` → 100, ``ba trăm linh năm`` → 305."""
    data, _, _, digit_words, _, _, _ = _grammar()
    total, cur, seen = 0, 0, False
    for t in s.lower().split():
        if t in digit_words:
            cur += digit_words[t]
            seen = True
        elif t == data["teen_word"]:
            cur += 10
            seen = True
        elif t == data["tens_word"]:
            cur = (cur or 1) * 10
        elif t in data["hundred_words"]:
            total += (cur or 1) * 100
            cur = 0
        elif t not in data["odd_words"]:
            return None
    return float(total + cur) if seen else None


def _scaled(value: float, scale: float) -> float:
    """``4,1 triệu`` is 4100000, not the 4099999.9999999995 that float multiplication gives."""
    return round(value * scale, 6)


@functools.lru_cache(maxsize=1)
def _telling_words() -> regex.Pattern:
    """Number words that can make a count on their own or with others (not "một", "năm" ... alone)."""
    data = patterns.load("numbers")
    vocab = set(data["digit_words"]) | {data["teen_word"], data["tens_word"]} | set(data["ten_words"]) \
        | set(data["hundred_words"]) | set(data["odd_words"])
    telling = {w.lower() for w in vocab} - {w.lower() for w in data["never_alone"]}
    return regex.compile(r"(?<!\p{L})(?:" + _alt(telling) + r")(?!\p{L})")  # over lower-cased text


def _may_have_number_words(text: str) -> bool:
    """A quick test before the number-word rule: a count in words needs a word that is not only
    "một", "năm", "tư" (which alone are determiners and nouns: "một số", "năm nay")."""
    return _telling_words().search(text.lower()) is not None


def find_numbers(text: str) -> list[Number]:
    """Every number mention in ``text``, in order."""
    data, approx_map, scales, _, pattern, words, pct_after = _grammar()
    out: list[Number] = []
    for m in pattern.finditer(text):
        raw_n = m.group("n")
        try:
            value = parse_digits(raw_n)
        except ValueError:
            continue
        if m.group("scale"):
            value = _scaled(value, scales[m.group("scale").lower()])
        pct = bool(m.group("pct")) or bool(m.group("pct2"))
        appr = approx_map.get((m.group("appr") or "").lower(), "exact")
        total = None
        if m.group("tot"):
            try:
                total = parse_digits(m.group("tot"))
            except ValueError:
                total = None
        ns, ne = m.span("n")
        if m.group("n2"):
            # "12-15%" and "từ 9-11%": both ends are figures, each approximate.
            v2 = parse_digits(m.group("n2"))
            if m.group("scale"):
                v2 = _scaled(v2, scales[m.group("scale").lower()])  # "1,5-2 triệu": the scale word covers both ends
            a = "about"
            out.append(Number(m.start(), m.end(), value, pct, a, None, ns, ne, True, m.group(0)))
            s2, e2 = m.span("n2")
            out.append(Number(s2, m.end(), v2, pct, a, None, s2, e2, True, m.group(0)))
            continue
        out.append(Number(m.start(), m.end(), value, pct, appr, total, ns, ne, False, m.group(0)))
    for m in (words.finditer(text) if _may_have_number_words(text) else ()):
        if any(n.start <= m.start("w") < n.end for n in out):
            continue
        v = parse_words(m.group("w"))
        if v is None:
            continue
        appr = approx_map.get((m.group("appr") or "").lower(), "exact")
        w = m.group("w").lower()
        single = len(w.split()) < 2 and w != data["teen_word"]
        if single and w in data["never_alone"]:
            continue  # "một số", "năm nay", "đầu tư": determiners and nouns, not counts
        pct = bool(pct_after.match(text, m.end("w")))
        out.append(Number(m.start(), m.end("w"), v, pct, appr, None, m.start("w"), m.end("w"), False,
                          m.group(0), single))
    out.sort(key=lambda n: n.num_start)
    return out
