"""Calendar dates in an article body, with the year inferred from the publication date."""
from __future__ import annotations

import datetime as dt
import functools

import regex

from . import patterns

_rx = functools.lru_cache(maxsize=None)(regex.compile)  # compile each rule once


def _alt(words):
    return "|".join(regex.escape(w) for w in sorted(words, key=len, reverse=True))


@functools.lru_cache(maxsize=1)
def _conf():
    data = patterns.load("dates")
    forms = {k: v.replace("{triggers}", _alt(data["triggers"])).replace("{weekdays}", _alt(data["weekdays"]))
             for k, v in data["forms"].items()}
    full = regex.compile(forms["full"])
    words = regex.compile(forms["written"])
    short = (regex.compile(forms["short"]), regex.compile(forms["short_dot"]))
    dateline = regex.compile(data["dateline_line"])
    ratio_after = regex.compile(r"\s*(?:" + _alt(data["ratio_nouns"]) + r")(?!\p{L})", regex.IGNORECASE)
    lone = (regex.compile(forms["lone_day"]), regex.compile(forms["span_end"]))
    return data, full, words, short, lone, dateline, ratio_after


def reference_year(published: str | None) -> int | None:
    if published and _rx(r"\d{4}").match(published):
        return int(published[:4])
    return None


def valid_date(y: int, m: int, d: int) -> str | None:
    """``YYYY-MM-DD`` when y, m, d is a real calendar day (not 31/2, not month 13), else None."""
    try:
        return dt.date(y, m, d).isoformat()
    except ValueError:
        return None


def find_dates(text: str, year: int | None) -> list[dict]:
    """Every calendar date in ``text``; a date without year takes ``year`` (skipped if None)."""
    data, full, words, short, lone, dateline, ratio_after = _conf()
    if dateline.match(text):
        return []
    found: list[tuple[int, int, str]] = []
    taken: list[tuple[int, int]] = []

    def add(s, e, iso):
        if iso and not any(a < e and s < b for a, b in taken):
            found.append((s, e, iso))
            taken.append((s, e))

    for m in full.finditer(text):
        add(m.start(), m.end(), valid_date(int(m.group("y")), int(m.group("m")), int(m.group("d"))))
    for m in words.finditer(text):
        y = int(m.group("y")) if m.group("y") else year
        if y:
            add(m.start("d"), m.end(), valid_date(y, int(m.group("m")), int(m.group("d"))))
    if year:
        for m in (m for rx in short for m in rx.finditer(text)):
            if ratio_after.match(text, m.end()):
                continue  # "5/7 nhiệm vụ" is five of seven
            add(m.start(), m.end(), valid_date(year, int(m.group("m")), int(m.group("d"))))
    lone_day, span_end = lone
    for m in lone_day.finditer(text):
        end = span_end.match(text, m.end())
        y = int(end.group("y")) if end and end.group("y") else year
        if end and y:
            add(m.start(), m.end(), valid_date(y, int(end.group("m")), int(m.group("d"))))
    out = []
    for s, e, iso in sorted(found):
        out.append({"kind": "date", "date": iso, "role": _role(text, s, e, data),
                    "text": text[s:e], "start": s, "end": e})
    return out


@functools.lru_cache(maxsize=1)
def _role_rules():
    data = patterns.load("dates")
    deadline = regex.compile(r"(?:" + _alt(data["deadline_before"]) + r")(?:\s+" + _alt(data["day_word"]) + r")?$")
    after_from = regex.compile(r"(?:" + _alt(data["deadline_after_from"]) + r")$")
    opened = regex.compile(r"(?:" + _alt(data["event_openers"]) + r")(?:,? (?:" + _alt(data["event_openers"]) + r"))*,?")
    return deadline, after_from, opened, regex.compile(data["forms"]["span_start"])


def _role(text: str, s: int, e: int, data: dict) -> str:
    """``deadline`` after "trước (ngày)", ``event`` when the date opens its sentence
    ("Sáng 8/5, ...") or stands alone in brackets, else ``other``."""
    deadline, after_from, opened, span_start = _role_rules()
    before = " ".join(text[max(0, s - 40):s].lower().split())
    if deadline.search(before):
        return "deadline"
    if after_from.search(regex.sub(r"\s+(?:" + _alt(data["day_word"]) + r")$", "", before)) and span_start.search(before):
        return "deadline"  # "từ ngày 19/2 đến ngày 19/4"
    sent_start = max(text.rfind(".", 0, s), text.rfind("\n", 0, s))
    lead = " ".join(text[sent_start + 1:s].lower().split()).rstrip(",")
    if lead == "" or opened.fullmatch(lead):
        return "event"
    if text[max(0, s - 1):s] == "(" and text[e:e + 1] == ")":
        return "event"
    return "other"
