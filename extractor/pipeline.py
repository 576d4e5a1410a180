"""Extraction entry points: text in, facts out.

The article is read paragraph by paragraph and sentence by sentence; each
module finds its own kind of fact (``numbers``/``figures``, ``officials``,
``dates``, ``legal``), and this module adds what needs the whole article:
the scope (place) and period that carry from the headline, lead and earlier
sentences, and the year of dates written without one.
"""
from __future__ import annotations

import regex

from . import dates as dates_mod
from . import figures as figures_mod
from . import legal as legal_mod
from . import officials as officials_mod
from . import periods as periods_mod
from . import places
from .article import Article
from .numbers import find_numbers

_DATE_LIKE = regex.compile(r"(?<![\d/.,])\d{1,2}[/.-]\d{1,2}[/.-](?:19|20)\d{2}(?!\d)")

def _version() -> str:
    """The code version plus a digest of the rule files: changing a rule re-extracts stored articles."""
    import hashlib

    from . import patterns as _patterns

    h = hashlib.sha256()
    for path in _patterns.all_pattern_files():
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return f"0.2.0+{h.hexdigest()[:10]}"


EXTRACTOR_VERSION = _version()

_SENT_END = regex.compile(r"(?<=[.!?…])\s+(?=[\p{Lu}\d\"“(‘'-])|(?<=[.!?…][\"”’])\s+")


def sentences(text: str) -> list[tuple[int, int, int]]:
    """(start, end, paragraph index) of every sentence; paragraphs are lines."""
    out = []
    pos = 0
    for p_idx, line in enumerate(text.split("\n")):
        start = pos
        pos += len(line) + 1
        if not line.strip():
            continue
        s = start
        for m in _SENT_END.finditer(line):
            e = start + m.start()
            if text[s:e].strip():
                out.append((s, e, p_idx))
            s = start + m.end()
        e = start + len(line.rstrip())
        if text[s:e].strip():
            out.append((s, e, p_idx))
    return out


def _year_hint(text: str, published: str | None, source: str | None) -> str | None:
    """The publication date, or a year from the URL or the body when the article has none."""
    if published:
        return published
    if source:
        m = regex.search(r"/((?:19|20)\d{2})/(\d{2})/(\d{2})/", source)
        if m:
            return f"{m.group(1)}-{m.group(2)}-{m.group(3)}"
        m = regex.search(r"/((?:19|20)\d{2})(\d{2})/", source)
        if m and 1 <= int(m.group(2)) <= 12:
            return f"{m.group(1)}-{m.group(2)}"
    years = regex.findall(r"\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*((?:19|20)\d{2})", text)
    if years:
        return max(years)
    return None


def extract(text: str, published: str | None = None, title: str | None = None,
            source: str | None = None) -> list[dict]:
    """Every fact in ``text``: dicts with ``kind``, ``text``, ``sentence``, ``start``, ``end`` and the kind's fields.

    ``published`` (``YYYY-MM-DD`` or ``YYYY-MM``) gives the year of dates and
    periods written without one; ``title`` and ``source`` (outlet or URL) give
    the place the article is about.
    """
    ref = _year_hint(text, published, source)
    ref_year = dates_mod.reference_year(ref)
    sents = sentences(text)
    if title is None and sents:
        title = text[sents[0][0]:sents[0][1]]
    lead = " ".join(text[s:e] for s, e, _ in sents[:6])
    default_scope = places.article_scope(title, lead, source)

    facts: list[dict] = []
    seen_dates: set[str] = set()
    officials: dict[str, dict] = {}
    carried_period: str | None = None
    last_period: str | None = None  # the last period stated, even across a snapshot
    last_month: str | None = None   # the last single month stated, for "trong tháng"
    prev_snapshot = False           # the sentence before opened with "hiện nay" and the like
    last_year: int | None = None
    para_place: tuple[int, str] | None = None  # (paragraph, scope)
    legal_spans: list[tuple[int, int]] = []
    seen_refs: set[str] = set()

    for s, e, p_idx in sents:
        sent = text[s:e]
        if para_place and para_place[0] != p_idx:
            para_place = None
        # legal references
        for f in legal_mod.find_legal_refs(sent):
            legal_spans.append((s + f["start"], s + f["end"]))
            key = regex.sub(r"\s+", "", f["ref"]).lower()
            if key not in seen_refs:
                seen_refs.add(key)
                facts.append(_at(f, s, sent))
        # dates
        sent_dates = dates_mod.find_dates(sent, ref_year)
        for f in sent_dates:
            if f["date"] not in seen_dates:
                seen_dates.add(f["date"])
                facts.append(_at(f, s, sent))
        # officials (one per person per article)
        mentions = places.find_places(sent)
        for f in officials_mod.find_officials(sent):
            key = officials_mod.fold_name(f["name"])
            place = _place_for_org(mentions, f["start"], para_place, default_scope)
            f["organization"] = officials_mod.organization_of(f["title"], place)
            if key in officials:
                old = officials[key]
                if len(f["title"]) > len(old["title"]):
                    old.update({k: f[k] for k in ("title", "role", "organization")})
                continue
            officials[key] = _at(f, s, sent)
            facts.append(officials[key])
        # periods of this sentence
        sent_periods = periods_mod.find_periods(sent, ref, last_year, last_period, last_month)
        snaps = [x for x in periods_mod.snapshots(sent)
                 if not any(p.start <= x < p.end for p in sent_periods)]
        if prev_snapshot and periods_mod.continues(sent):
            snaps = [0] + snaps  # "Hiện ... Trong đó, ...": still the snapshot
        # figures
        masked = [(d["start"], d["end"]) for d in sent_dates]
        masked += [(a - s, b - s) for a, b in legal_spans if s <= a < e]
        masked += [(p.start, p.end) for p in sent_periods]
        masked += _date_like_spans(sent)
        nums = [n for n in find_numbers(sent)
                if not any(a <= n.num_start < b for a, b in masked)]
        for fig in figures_mod.classify(sent, nums):
            fs, fe = fig.pop("_start"), fig.pop("_end")
            fig.pop("_num_end", None)
            fig["scope"] = _scope_for(sent, fs, fe, fig, mentions, para_place, default_scope)
            fig["period"] = _period_for(sent, fs, sent_periods, snaps, carried_period)
            fig.update(kind="figure", text=sent[fs:fe], sentence=sent, start=s + fs, end=s + fe)
            facts.append(fig)
        # carry-over for the sentences that follow
        first_fig = min((f["start"] - s for f in facts if f["kind"] == "figure" and s <= f["start"] < e), default=20)
        prev_snapshot = bool(snaps and snaps[0] < max(first_fig, 20)
                             and not [p for p in sent_periods if p.start > snaps[0] and p.interval])
        prev_p = None
        for p in sent_periods:
            gloss = (p.parenthetical and p.type == "range" and prev_p is not None
                     and not sent[prev_p.end:p.start].strip(" ("))
            planned = bool(ref and len(ref) >= 7 and p.interval and _is_plan(p.interval, _ref_end(ref)))
            if p.interval and not p.comparison and not planned and (gloss or (not p.parenthetical and not p.local)):
                carried_period = last_period = p.interval  # an explicit range glossing a period wins
                if p.type in ("year", "first_months", "quarter", "month"):
                    last_year = int(p.interval[:4])
            if p.interval and p.type == "month" and not p.comparison:
                last_month = p.interval
            prev_p = p
        real = [m for m in mentions if m.kind in places.OWNERS and not _in_brackets(sent, m.start)]
        if real:
            para_place = (p_idx, real[-1].scope)
    return _fold_repeats(facts)


def _fold_repeats(facts: list[dict]) -> list[dict]:
    """A figure restated in the headline, lead or a caption is one fact.

    Per key (metric, value, unit, total), keep as many as the sentence that
    states it most often (two indexes ranked "3/13" in one sentence are two
    facts); later restatements beyond that are dropped, but lend the kept
    fact a period when it had none.
    """
    kept: dict[tuple, list[dict]] = {}
    per_sentence: dict[tuple, dict[int, int]] = {}
    out = []
    for f in facts:
        if f["kind"] != "figure":
            out.append(f)
            continue
        key = (f["metric"], round(f["value"], 6), f["unit"], f.get("total"))
        counts = per_sentence.setdefault(key, {})
        sid = hash(f["sentence"])
        counts[sid] = counts.get(sid, 0) + 1
        have = kept.setdefault(key, [])
        if len(have) < max(counts.values()):
            have.append(f)
            out.append(f)
        else:
            for k in have:
                if k["period"] is None and f["period"] is not None:
                    k["period"] = f["period"]
                    break
    return out


def _ref_end(ref: str) -> str:
    """The last day the publication date allows: ``2024-05`` → ``2024-05-31``.

    A period ending more than a month after it is a plan, not a report, and is not carried.
    """
    if len(ref) >= 10:
        return ref[:10]
    import calendar

    y, m = int(ref[:4]), int(ref[5:7])
    return f"{ref[:7]}-{calendar.monthrange(y, m)[1]:02d}"


def _is_plan(interval: str, ref_day: str) -> bool:
    """A period that ends over a month after publication with most of it still ahead is a plan."""
    start, end = interval.split("/")
    span = _days_after(end, start) + 1
    return _days_after(end, ref_day) > 31 and _days_after(ref_day, start) < 0.75 * span


def _days_after(day: str, ref_day: str) -> int:
    """How many days ``day`` lies after ``ref_day`` (negative when before)."""
    import datetime as dt

    return (dt.date.fromisoformat(day) - dt.date.fromisoformat(ref_day)).days


def _in_brackets(sent: str, pos: int) -> bool:
    return sent.count("(", 0, pos) > sent.count(")", 0, pos)


def _at(f: dict, offset: int, sent: str) -> dict:
    f = dict(f)
    f["start"] += offset
    f["end"] += offset
    f["sentence"] = sent
    return f


def _date_like_spans(sent: str) -> list[tuple[int, int]]:
    """Bare d/m and d.m.yyyy strings that are dates even without a trigger word."""
    return [m.span() for m in _DATE_LIKE.finditer(sent)]


def _place_for_org(mentions, pos, para_place, default_scope):
    before = [m for m in mentions if m.kind in ("province", "district", "venue")]
    if before:
        near = min(before, key=lambda m: abs(m.start - pos))
        return near.scope
    if para_place:
        return para_place[1]
    if default_scope != places.VIETNAM and not default_scope.startswith("Bộ"):
        return default_scope
    return None


def _scope_for(sent, fs, fe, fig, mentions, para_place, default_scope):
    if fig["metric"] == "index.rank":
        m = regex.match(figures_mod.conf().rank_place_after if hasattr(figures_mod.conf(), "rank_place_after") else r"^\s*(?:là|thuộc về)\s+", sent[fe:])
        if m:
            after = [x for x in mentions if x.start >= fe and x.start - (fe + m.end()) <= 2]
            if after:
                return after[0].scope
    # a body named in brackets is an attribution ("Cục Kiểm soát TTHC (Văn phòng Chính phủ)")
    # (unless the figure stands in the same brackets: "(Bộ Nội vụ: 58; Bộ Y tế: 25)")
    before = [m for m in mentions if m.end <= fs and m.kind not in ("venue", "publisher")
              and (not _in_brackets(sent, m.start) or ")" not in sent[m.end:fs])]
    if before and before[-1].kind == "average":
        return places.VIETNAM  # "Giá trị trung bình ... của các tỉnh là 84,16 điểm"
    if any(m.kind in places.OWNERS for m in before):
        before = [m for m in before if m.kind in places.OWNERS]  # "Đà Nẵng dẫn đầu cả nước": the place wins
    if before:
        return before[-1].scope
    if para_place:
        return para_place[1]
    return default_scope


def _period_for(sent, fs, sent_periods, snaps, carried):
    before = [p for p in sent_periods if p.end <= fs and not p.comparison and p.interval]
    snap_before = [x for x in snaps if x < fs]
    if before:
        last = before[-1]
        if snap_before and snap_before[-1] > last.start:
            return None
        if snap_before and snap_before[0] < 5 and "," in sent[last.end:fs]:
            return None  # "Tính đến nay, ... giai đoạn 2016-2020 ..., X": the snapshot governs
        return last.interval
    if snap_before:
        return None
    after = [p for p in sent_periods if p.start >= fs and not p.comparison and not p.parenthetical]
    if after and after[0].start - fs < 90:
        return after[0].interval
    return carried


def extract_article(article: Article) -> list[dict]:
    """Facts of one read article (its metadata gives the year and the default scope)."""
    return extract(article.text, published=article.published, title=article.title,
                   source=article.source)
