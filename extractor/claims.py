"""Check a newsroom's numeric claims against the facts already stored.

A claim ("Năm 2023 Bình Thuận bãi bỏ, thay thế 463 thủ tục") goes through the
same extractor as the articles (:func:`extractor.pipeline.extract`); each
figure it yields is looked up in the ``facts`` table and gets a verdict:

``supported``     a comparable stored figure agrees with the claim's value;
``contradicted``  comparable stored figures exist and all disagree;
``disputed``      comparable stored figures from different articles disagree
                  among themselves (each side is shown, whether or not one
                  agrees with the claim); when every side is within the
                  claim's wording the claim holds either way: ``supported``,
                  with the sides still marked in the evidence;
``not_found``     nothing comparable; ``searched`` says what was looked for.

A claim without any figure gets the claim-level verdict ``no_figure``.

Comparable means: same ``metric`` and ``unit`` (percent claims only meet
percents); a compatible scope; a compatible period.

Scope.  A claim often has no context, and the extractor then defaults to
``Việt Nam``.  A figure's scope counts as *given* only when the claim names a
place (:func:`extractor.places.find_places`, which also knows ``cả nước``);
otherwise it is *unknown* and matches every scope.  A known scope matches its
aliases (``TP.HCM`` = ``Hồ Chí Minh``) and, through the 2025 mergers, its
successor and predecessors (``Hải Phòng`` ~ ``Hải Dương``); two pre-merger
provinces that merged into a third (``Hà Nam``, ``Nam Định``) stay distinct.
Stored figures under the claim's own name are preferred; merger-linked ones
are used only when there are none (so a 2023 claim about Hải Phòng is not
"disputed" by Hải Dương's own 2023 figures).

Period.  Compatible when equal, when the claim has none (unknown: matches
every period), or when the claim names a whole year and the stored figure runs
from 1 January to some day of December of that year (``tính đến 15/12``).

Values.  Each side is read as an interval from its wording: an exact number
stands for everything that rounds to it at the precision written (``98,8%``
→ [98.75, 98.85]; ``845 nghìn`` → [844 500, 845 500]); ``hơn/trên X`` →
(X, 1.1·X]; ``gần/dưới X`` → [0.9·X, X); ``khoảng X`` → X ± 5 %.  A stored
exact value agrees with the claim when it lies in the claim's interval (that
is, it rounds to the claim); a stored approximate value agrees when the two
intervals overlap.  Two stored figures agree when their intervals overlap.
Where both give a denominator (``13/17``) the denominators must be equal.

Unknown scope or period.  Candidates are grouped by (scope, period).  Any
group with an agreeing figure makes the claim supported (disputed if that
group's articles disagree among themselves).  When none agrees, a single
group decides (contradicted or disputed) only if the scope was given; a
disagreement across places the claim never named is no contradiction, and
several periods for an undated claim are no contradiction either: both are
``not_found``, with the stored figures listed so the journalist can narrow
the claim.

Within one article, several values of one metric (breakdowns: "công bố
1.250 thủ tục, trong đó 760 mới") are not a dispute; articles are compared
as wholes (an article agrees with another when any of their figures agree).
"""
from __future__ import annotations

import functools
import json
import math
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from . import places

VERDICTS = ("supported", "contradicted", "disputed", "not_found")
#: Claim-level verdicts, worst first: a claim is only as good as its weakest figure.
_SEVERITY = ("contradicted", "disputed", "not_found", "supported")

OVER_SPAN = 0.10   # hơn X: (X, X*1.1]
UNDER_SPAN = 0.10  # gần X: [X*0.9, X)
ABOUT_SPAN = 0.05  # khoảng X: X ± 5%
_EPS = 1e-9


# --------------------------------------------------------------------------- results


@dataclass
class FigureCheck:
    """The verdict on one figure of a claim."""

    metric: str
    value: float
    unit: str
    scope: str | None          # None: the claim names no place (any scope matched)
    period: str | None         # None: the claim gives no period (any period matched)
    approx: str
    text: str
    total: float | None = None
    verdict: str = "not_found"
    evidence: list[dict] = field(default_factory=list)
    searched: dict = field(default_factory=dict)
    message: str = ""

    def as_dict(self) -> dict:
        return {"metric": self.metric, "value": self.value, "unit": self.unit,
                "total": self.total, "scope": self.scope, "period": self.period,
                "approx": self.approx, "text": self.text, "verdict": self.verdict,
                "message": self.message, "searched": self.searched,
                "evidence": self.evidence}


@dataclass
class ClaimResult:
    """A claim and the verdict on each of its figures."""

    claim: str
    figures: list[FigureCheck] = field(default_factory=list)
    message: str = ""

    @property
    def verdict(self) -> str:
        """``no_figure``, or the worst verdict of its figures (contradicted >
        disputed > not_found > supported): a claim is supported only when all
        its figures are."""
        if not self.figures:
            return "no_figure"
        found = {f.verdict for f in self.figures}
        return next(v for v in _SEVERITY if v in found)

    def as_dict(self) -> dict:
        return {"claim": self.claim, "verdict": self.verdict, "message": self.message,
                "figures": [f.as_dict() for f in self.figures]}


# --------------------------------------------------------------------------- values


@functools.lru_cache(maxsize=65536)
def precision(text: str | None, value: float) -> float:
    """The rounding step of a number as written: ``98,8%`` → 0.1, ``845 nghìn`` → 1000,
    ``860.246`` → 1, ``1,2 triệu`` → 100 000, ``72.4/100`` → 0.1."""
    from .numbers import find_numbers, parse_digits

    best = None
    for n in find_numbers(text or ""):
        if best is None or abs(n.value - value) < abs(best.value - value):
            best = n
    if best is not None and math.isclose(best.value, value, rel_tol=1e-9, abs_tol=1e-9):
        digits = (text or "")[best.num_start:best.num_end]
        try:
            bare = parse_digits(digits)
        except ValueError:
            bare = None
        if bare:
            if "," in digits:
                decimals = len(digits.split(",", 1)[1])
            elif "." in digits and not all(len(p) == 3 for p in digits.split(".")[1:]):
                decimals = len(digits.split(".")[-1])
            else:
                decimals = 0
            return 10.0 ** -decimals * (value / bare)
        return 1.0
    # Fall back on the value itself: its decimals, at least 1 for whole numbers.
    s = repr(float(value)).rstrip("0").rstrip(".")
    return 10.0 ** -len(s.split(".")[1]) if "." in s else 1.0


def interval(value: float, approx: str | None, step: float) -> tuple[float, float]:
    """What a figure's wording allows, as a closed interval (open ends shrunk by a hair)."""
    tiny = max(abs(value) * 1e-9, 1e-9)
    if approx == "over":
        return value + tiny, value * (1 + OVER_SPAN)
    if approx == "under":
        return value * (1 - UNDER_SPAN), value - tiny
    if approx == "about":
        half = max(abs(value) * ABOUT_SPAN, step / 2)
        return value - half, value + half
    return value - step / 2 - _EPS, value + step / 2 + _EPS


def _totals_agree(a, b) -> bool:
    return a is None or b is None or math.isclose(a, b)


def claim_agrees(claim: FigureCheck, step: float, fact: dict) -> bool:
    """Does a stored fact agree with the claim's figure, within the claim's wording?"""
    if not _totals_agree(claim.total, fact.get("total")):
        return False
    lo, hi = interval(claim.value, claim.approx, step)
    if (fact.get("approx") or "exact") == "exact":
        return lo <= fact["value"] <= hi
    flo, fhi = fact_interval(fact)
    return flo <= hi and lo <= fhi


def fact_interval(f: dict) -> tuple[float, float]:
    """A stored fact's interval (cached in the dict under ``_interval``)."""
    iv = f.get("_interval")
    if iv is None:
        iv = f["_interval"] = interval(f["value"], f.get("approx"), precision(f.get("text"), f["value"]))
    return iv


def facts_agree(a: dict, b: dict) -> bool:
    """Do two stored facts agree (their intervals overlap; a rounded echo agrees with its source)?"""
    if not _totals_agree(a.get("total"), b.get("total")):
        return False
    alo, ahi = fact_interval(a)
    blo, bhi = fact_interval(b)
    return alo <= bhi and blo <= ahi


# --------------------------------------------------------------------------- places and periods


def _canonical(scope: str | None) -> str | None:
    if scope is None:
        return None
    return places.provinces().get(scope, scope)


def linked_scopes(scope: str) -> tuple[str, set[str]]:
    """The canonical name of ``scope`` and the canonical names treated as the same place:
    itself, the province it merged into in 2025, and the provinces merged into it."""
    c = _canonical(scope)
    succ = places.successors()
    linked = {c}
    if c in succ:
        linked.add(succ[c])
    linked |= {old for old, new in succ.items() if new == c}
    return c, linked


def _spellings(canonicals: set[str]) -> list[str]:
    names = set(canonicals)
    names |= {k for k, v in places.provinces().items() if v in canonicals}
    return sorted(names)


def periods_overlap(a: str | None, b: str | None, share: float = 0.9) -> bool:
    """Do two ISO intervals share at least ``share`` of each one's length?"""
    import datetime as dt

    if not a or not b or "/" not in a or "/" not in b:
        return False
    a0, a1 = (dt.date.fromisoformat(x) for x in a.split("/"))
    b0, b1 = (dt.date.fromisoformat(x) for x in b.split("/"))
    common = (min(a1, b1) - max(a0, b0)).days + 1
    if common <= 0:
        return False
    return common >= share * ((a1 - a0).days + 1) and common >= share * ((b1 - b0).days + 1)


def _year_span(period: str | None) -> str | None:
    """``2023`` when ``period`` is the whole year 2023."""
    if period and len(period) == 21:
        y = period[:4]
        if period == f"{y}-01-01/{y}-12-31":
            return y
    return None


# --------------------------------------------------------------------------- lookup

_COLUMNS = ("id", "article_id", "value", "unit", "total", "approx", "scope", "period", "text")
_DETAIL = ("f.id", "f.sentence", "f.start", "f.end", "a.title", "a.source", "a.published", "a.path")
#: At most this many stored figures are listed as evidence of a not_found verdict.
MAX_LISTED = 20


def candidates_query(metric: str, unit: str, scope_names: list[str] | None,
                     period: str | None) -> tuple[str, list]:
    """The SQL (and its parameters) that fetches comparable stored figures.

    Filters on the indexed columns ``metric``, ``scope`` and ``period``;
    ``scope_names`` None or ``period`` None mean "any"."""
    # Only figures have a metric; no test on ``kind``, whose index would match every figure.
    where = ["metric = ?", "unit = ?"]
    params: list = [metric, unit]
    if scope_names is not None:
        where.append(f"scope IN ({', '.join('?' for _ in scope_names)})")
        params += scope_names
    if period is not None:
        year = _year_span(period)
        if year:
            where.append("period BETWEEN ? AND ?")
            params += [f"{year}-01-01/{year}-12-01", f"{year}-01-01/{year}-12-31"]
        else:
            where.append("period = ?")
            params.append(period)
    sql = f"SELECT {', '.join(_COLUMNS)} FROM facts WHERE {' AND '.join(where)}"
    return sql, params


def _fetch(conn: sqlite3.Connection, sql: str, params: list) -> list[dict]:
    return [dict(zip(_COLUMNS, row)) for row in conn.execute(sql, params)]


def _details(conn: sqlite3.Connection, ids: list[int]) -> dict[int, dict]:
    """Sentence, offsets and the article's title, source, published and path of some facts
    (primary-key lookups, in chunks below SQLite's parameter limit)."""
    out: dict[int, dict] = {}
    names = [c.split(".", 1)[1] for c in _DETAIL]
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        sql = (f"SELECT {', '.join(_DETAIL)} FROM facts f JOIN articles a ON a.id = f.article_id "
               f"WHERE f.id IN ({', '.join('?' for _ in chunk)})")
        for row in conn.execute(sql, chunk):
            out[row[0]] = dict(zip(names, row))
    return out


# --------------------------------------------------------------------------- verdicts


def _components(facts: list[dict]) -> list[list[str]]:
    """Articles grouped into sides: two articles are on one side when any of their figures agree."""
    by_article: dict[str, list[dict]] = {}
    for f in facts:
        by_article.setdefault(f["article_id"], []).append(f)
    ids = list(by_article)
    parent = {i: i for i in ids}

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(ids):
        for b in ids[i + 1:]:
            if find(a) != find(b) and any(facts_agree(x, y) for x in by_article[a] for y in by_article[b]):
                parent[find(a)] = find(b)
    sides: dict[str, list[str]] = {}
    for i in ids:
        sides.setdefault(find(i), []).append(i)
    return list(sides.values())


def drop_echoes(facts: list[dict]) -> list[dict]:
    """Without the rounded echoes of an article's own exact figures: "hơn 860 nghìn" in a
    headline, whose body says 860.246, is the same figure and no separate evidence."""
    exact: dict[tuple, list[dict]] = {}
    for f in facts:
        if (f.get("approx") or "exact") == "exact":
            exact.setdefault((f["article_id"], _canonical(f["scope"])), []).append(f)
    return [f for f in facts if (f.get("approx") or "exact") == "exact"
            or not any(facts_agree(f, x) for x in exact.get((f["article_id"], _canonical(f["scope"])), ()))]


def _judge_group(facts: list[dict], agrees: dict[int, bool]) -> tuple[str, dict[str, int]]:
    """Verdict of one comparable (scope, period) group and the side of each article."""
    sides = _components(facts)
    side_of = {aid: n for n, members in enumerate(sides) for aid in members}
    if len(sides) > 1:
        by_article: dict[str, bool] = {}
        for f in facts:
            by_article[f["article_id"]] = by_article.get(f["article_id"], False) or agrees[f["id"]]
        if all(by_article.values()):
            # Every side is within the claim's wording ("hơn 1 triệu" for 1.046.318 and
            # 1.082.640): the articles differ, the claim holds either way.
            return "supported", side_of
        return "disputed", side_of
    return ("supported" if any(agrees[f["id"]] for f in facts) else "contradicted"), side_of


def _evidence(f: dict, agrees: bool, side: int | None) -> dict:
    return {"article_id": f["article_id"], "title": f["title"], "source": f["source"],
            "path": f["path"], "published": f["published"], "value": f["value"],
            "unit": f["unit"], "total": f["total"], "approx": f["approx"], "scope": f["scope"],
            "period": f["period"], "text": f["text"], "sentence": f["sentence"],
            "start": f["start"], "end": f["end"], "agrees": agrees, "side": side}


def _fmt_value(v: float, unit: str | None) -> str:
    s = f"{v:,.2f}".rstrip("0").rstrip(".").replace(",", " ")
    return s + ("%" if unit == "percent" else "")


def judge(fig: FigureCheck, conn: sqlite3.Connection) -> FigureCheck:
    """Look ``fig`` up in the store and fill in its verdict, evidence, searched and message."""
    step = precision(fig.text, fig.value)
    scope_names = None
    canonical = None
    if fig.scope is not None:
        canonical, linked = linked_scopes(fig.scope)
        scope_names = _spellings(linked)
    sql, params = candidates_query(fig.metric, fig.unit, scope_names, fig.period)
    facts = _fetch(conn, sql, params)
    if fig.period is not None and not facts:
        # reporting periods are often cut mid-month ("6 tháng đầu năm 2024 (từ 15/12/2023 đến
        # 14/6/2024)"): a stored period that mostly overlaps the claim's is the same period
        sql, params = candidates_query(fig.metric, fig.unit, scope_names, None)
        facts = [f for f in _fetch(conn, sql, params) if periods_overlap(fig.period, f["period"])]
    if canonical is not None:
        own = [f for f in facts if _canonical(f["scope"]) == canonical]
        facts = own or facts
    facts = drop_echoes(facts)
    if not facts and fig.period is not None:
        # A stored snapshot ("đến nay", "hiện nay") has no period: it can support a dated
        # claim that agrees with it, never contradict one.
        # Only undated figures that agree, and only where nothing stored covers the claim's
        # period: a snapshot never contradicts a dated claim.
        sql, params = candidates_query(fig.metric, fig.unit, scope_names, None)
        every = _fetch(conn, sql + " AND period IS NULL", params)
        if canonical is not None:
            every = [f for f in every if _canonical(f["scope"]) == canonical] or every
        agreeing = [f for f in every if claim_agrees(fig, step, f)]
        from .periods import snapshots

        sentences = _details(conn, [f["id"] for f in agreeing])
        # a snapshot ("đến nay", "hiện nay") in its own sentence, not a headline echo without a period
        facts = drop_echoes([f for f in agreeing
                             if snapshots(sentences.get(f["id"], {}).get("sentence") or "")])

    lo, hi = interval(fig.value, fig.approx, step)
    fig.searched = {
        "metric": fig.metric, "unit": fig.unit,
        "scope": fig.scope or "any (the claim names no place)",
        "scopes": scope_names,
        "period": fig.period or "any (the claim gives no period)",
        "value_range": [lo, hi],
        "description": (f"{fig.metric} ({fig.unit}) for "
                        f"{' / '.join(scope_names) if scope_names else 'any place'}, "
                        f"{'period ' + fig.period if fig.period else 'any period'}, "
                        f"value {_fmt_value(lo, fig.unit)} … {_fmt_value(hi, fig.unit)}"),
    }
    if not facts:
        fig.verdict = "not_found"
        fig.message = (f"no stored figure for {fig.searched['description'].rsplit(', value', 1)[0]}; "
                       + _widen_hint(fig))
        return fig

    agrees = {f["id"]: claim_agrees(fig, step, f) for f in facts}
    groups: dict[tuple, list[dict]] = {}
    for f in facts:
        groups.setdefault((_canonical(f["scope"]), f["period"]), []).append(f)

    agreeing = [k for k, g in groups.items() if any(agrees[f["id"]] for f in g)]
    listed: list[tuple[dict, int | None]] = []
    if agreeing or (len(groups) == 1 and fig.scope is not None):
        chosen = agreeing or list(groups)
        verdicts = []
        for key in chosen:
            verdict, side_of = _judge_group(groups[key], agrees)
            verdicts.append(verdict)
            many = len(set(side_of.values())) > 1
            listed += [(f, side_of[f["article_id"]] if many else None) for f in groups[key]]
        fig.verdict = "disputed" if "disputed" in verdicts else verdicts[0] if not agreeing else "supported"
    else:
        fig.verdict = "not_found"
        nearest = sorted(facts, key=lambda f: abs(f["value"] - fig.value))[:MAX_LISTED]
        listed = [(f, None) for f in nearest]
    details = _details(conn, [f["id"] for f, _ in listed])
    for f, side in listed:
        fig.evidence.append(_evidence({**f, **details.get(f["id"], {})}, agrees[f["id"]], side))
    fig.evidence.sort(key=lambda e: (e["side"] if e["side"] is not None else -1,
                                     e["published"] or "", e["article_id"], e["start"] or 0))
    fig.message = _message(fig, groups, facts)
    return fig


def _widen_hint(fig: FigureCheck) -> str:
    hints = []
    if fig.period:
        hints.append("drop or change the period")
    if fig.scope:
        hints.append("drop the place")
    hints.append("check the metric (what was counted and what happened to it)")
    return "to widen the search: " + "; ".join(hints)


def _message(fig: FigureCheck, groups: dict, facts: list) -> str:
    claimed = f"{fig.text!r} ({_fmt_value(fig.value, fig.unit)}, {fig.approx})"
    n_art = len({f["article_id"] for f in facts})
    if fig.verdict == "supported":
        ok = [e for e in fig.evidence if e["agrees"]]
        split = (" (the articles give different numbers, all within the claim's wording)"
                 if any(e["side"] is not None for e in fig.evidence) else "")
        return (f"{claimed} agrees with {len(ok)} stored figure(s) in "
                f"{len({e['article_id'] for e in ok})} article(s){split}")
    if fig.verdict == "contradicted":
        values = sorted({_fmt_value(e["value"], e["unit"]) for e in fig.evidence})
        extra = " (the claim gives no period; this is the only period stored)" if fig.period is None else ""
        return f"{claimed} disagrees with every stored figure: {', '.join(values)}{extra}"
    if fig.verdict == "disputed":
        sides = {}
        for e in fig.evidence:
            sides.setdefault(e["side"], set()).add(_fmt_value(e["value"], e["unit"]))
        told = " | ".join(", ".join(sorted(v)) for _, v in sorted(sides.items(), key=lambda x: str(x[0])))
        return f"stored articles disagree among themselves ({told}); the claim {claimed} sides with " + (
            "some of them" if any(e["agrees"] for e in fig.evidence) else "none of them")
    why = []
    if fig.scope is None:
        why.append("the claim names no place")
    if fig.period is None and len({k[1] for k in groups}) > 1:
        why.append("the claim gives no period")
    return (f"no stored figure agrees with {claimed}, and {' and '.join(why) or 'the match is ambiguous'}; "
            f"{len(facts)} stored figure(s) in {len(groups)} place/period group(s) of {n_art} article(s); "
            f"the {min(len(facts), MAX_LISTED)} nearest are listed as evidence: name the place and period to decide")


# --------------------------------------------------------------------------- entry points


def _connect(db) -> tuple[sqlite3.Connection, object]:
    """A connection to ``db`` (a path, a ``sqlite_utils.Database`` or a ``sqlite3.Connection``)
    and what to close afterwards (None when the caller owns it)."""
    if isinstance(db, sqlite3.Connection):
        return db, None
    if hasattr(db, "conn") and isinstance(db.conn, sqlite3.Connection):
        return db.conn, None
    from .store import open_db

    database = open_db(os.fspath(db), create=False)
    return database.conn, database


def _scope_given(text: str) -> bool:
    """A claim names a place, or a national body ("Cổng Dịch vụ công quốc gia", "Chính phủ")."""
    return bool(places.find_places(text)) or places.nationwide_article(text)


def _figures_of(facts: list[dict], scope_given: bool) -> list[FigureCheck]:
    out = []
    for f in facts:
        if f.get("kind") != "figure" or f.get("metric") is None:
            continue
        out.append(FigureCheck(metric=f["metric"], value=float(f["value"]), unit=f["unit"],
                               scope=f.get("scope") if scope_given else None,
                               period=f.get("period"), approx=f.get("approx") or "exact",
                               text=f.get("text") or "", total=f.get("total")))
    return out


def _check_with(claim: str, conn: sqlite3.Connection, published: str | None) -> ClaimResult:
    from .pipeline import extract

    claim_text = " ".join((claim or "").split())
    result = ClaimResult(claim=claim)
    if not claim_text:
        result.message = "no figure found in claim: (empty)"
        return result
    figures = _figures_of(extract(claim_text, published=published), _scope_given(claim_text))
    if not figures:
        result.message = (f"no figure found in claim: {claim_text!r} (a figure counts or rates "
                          "procedures, dossiers, online services, tasks, an index...)")
        return result
    for fig in figures:
        result.figures.append(judge(fig, conn))
    result.message = f"{len(figures)} figure(s) checked: " + ", ".join(
        f"{f.text} {f.verdict}" for f in result.figures)
    return result


def check(claim: str, db, published: str | None = None) -> ClaimResult:
    """Check one claim against the stored facts of ``db`` (a path or an open database).

    ``published`` (``YYYY-MM-DD`` or ``YYYY-MM``) gives the year of periods
    written without one (``6 tháng đầu năm``); a claim that states its year needs none.
    """
    conn, owner = _connect(db)
    try:
        return _check_with(claim, conn, published)
    finally:
        if owner is not None:
            owner.close()


def check_many(claims: Iterable[str], db, published: str | None = None) -> list[ClaimResult]:
    """:func:`check` for many claims over one connection; results in input order."""
    conn, owner = _connect(db)
    try:
        return [_check_with(c, conn, published) for c in claims]
    finally:
        if owner is not None:
            owner.close()


def check_article(text: str, db, published: str | None = None, title: str | None = None,
                  source: str | None = None, name: str | None = None) -> ClaimResult:
    """Every figure of a draft article, each checked like a claim's.

    The draft is read as an article (its headline, outlet and lead give the
    default place), so its figures' scopes count as given when the draft names
    any place at all."""
    from .pipeline import extract

    conn, owner = _connect(db)
    try:
        facts = extract(text, published=published, title=title, source=source)
        given = _scope_given(" ".join(x for x in (title, text) if x)) or bool(
            source and places.scope_from_url(source))
        result = ClaimResult(claim=name or title or text[:80])
        figures = _figures_of(facts, given)
        if not figures:
            result.message = f"no figure found in claim: the draft {result.claim!r} has none"
            return result
        for fig in figures:
            result.figures.append(judge(fig, conn))
        result.message = f"{len(figures)} figure(s) checked"
        return result
    finally:
        if owner is not None:
            owner.close()


# --------------------------------------------------------------------------- claims files


def read_claims(path: str | os.PathLike) -> list[dict]:
    """Claims of a file, one a line: plain text, or JSON objects with ``claim``
    (and optionally ``verdict``, ``published``, ``about``, ``note``). Blank lines
    and ``#`` comments are skipped."""
    out = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith("{"):
                try:
                    item = json.loads(line)
                except json.JSONDecodeError as exc:
                    from .errors import ReformFactsError

                    raise ReformFactsError(f"{path}:{n}: not valid JSON: {exc.msg}") from exc
                if not isinstance(item, dict) or not isinstance(item.get("claim"), str):
                    from .errors import ReformFactsError

                    raise ReformFactsError(f"{path}:{n}: a JSON line needs a \"claim\" string")
                item["line"] = n
                out.append(item)
            else:
                out.append({"claim": line, "line": n})
    return out


def score_verdicts(items: list[dict], results: list[ClaimResult]) -> dict:
    """Accuracy of claim-level verdicts against the expected ``verdict`` of each item."""
    confusion: dict[str, dict[str, int]] = {}
    wrong = []
    right = total = 0
    for item, res in zip(items, results):
        expected = item.get("verdict")
        if not expected:
            continue
        total += 1
        got = res.verdict
        confusion.setdefault(expected, {}).setdefault(got, 0)
        confusion[expected][got] += 1
        if got == expected:
            right += 1
        else:
            wrong.append({"line": item.get("line"), "claim": item["claim"], "expected": expected,
                          "got": got, "about": item.get("about"), "note": item.get("note"),
                          "message": res.message,
                          "figures": [{"text": f.text, "metric": f.metric, "value": f.value,
                                       "scope": f.scope, "period": f.period,
                                       "verdict": f.verdict, "message": f.message}
                                      for f in res.figures]})
    return {"claims": total, "correct": right,
            "accuracy": (right / total) if total else None,
            "confusion": confusion, "wrong": wrong}


def evaluate_claims(claims_path: str | os.PathLike, db) -> dict:
    """Run every claim of a JSONL file (``{"claim", "verdict", "about", "note"}``) and
    score the verdicts: ``accuracy``, ``confusion`` (expected → got → count) and ``wrong``."""
    items = read_claims(claims_path)
    conn, owner = _connect(db)
    try:
        results = [_check_with(i["claim"], conn, i.get("published")) for i in items]
    finally:
        if owner is not None:
            owner.close()
    return score_verdicts(items, results)


def evaluate_claims_against(articles_dir: str | os.PathLike, claims_paths) -> list[dict]:
    """Store the articles of ``articles_dir`` in a temporary database and score each claims file
    against it: one ``evaluate_claims`` report per file, with its ``file`` added."""
    import tempfile

    from .store import ingest

    reports = []
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "claims.db")
        ingest([str(articles_dir)], db)
        for path in claims_paths:
            report = evaluate_claims(path, db)
            report["file"] = str(path)
            reports.append(report)
    return reports


# --------------------------------------------------------------------------- terminal output

_STYLE = {"supported": "bold green", "contradicted": "bold red", "disputed": "bold yellow",
          "not_found": "bold blue", "no_figure": "bold magenta"}


def _highlighted(sentence: str, text: str, style: str):
    from rich.text import Text

    out = Text(sentence or "")
    i = (sentence or "").find(text or "\0")
    if text and i >= 0:
        out.stylize(style, i, i + len(text))
    return out


def render(result: ClaimResult, console) -> None:
    """Print one result for people: the verdict of each figure, what was searched,
    and the evidence with its number highlighted (plain text when not a terminal)."""
    from rich.text import Text

    head = Text()
    head.append(result.verdict.upper(), style=_STYLE.get(result.verdict, "bold"))
    head.append("  " + result.claim)
    console.print(head)
    if not result.figures:
        console.print(Text("  " + result.message))
        return
    for fig in result.figures:
        line = Text("  • ")
        line.append(fig.text, style="bold")
        line.append(f"  {fig.metric}  scope={fig.scope or 'any'}  period={fig.period or 'any'}  → ")
        line.append(fig.verdict, style=_STYLE.get(fig.verdict, "bold"))
        console.print(line)
        console.print(Text("    " + fig.message))
        console.print(Text("    searched: " + fig.searched.get("description", ""), style="dim"))
        for e in fig.evidence:
            mark = "✓" if e["agrees"] else "✗"
            side = f" side {e['side'] + 1}" if e["side"] is not None else ""
            meta = " · ".join(str(x) for x in (e["published"], e["source"] or e["path"]) if x)
            console.print(Text(f"    {mark}{side} {e['title'] or '(no title)'} ({meta}) "
                               f"[{e['scope']}, {e['period'] or 'no period'}]"))
            sent = Text("      ")
            sent.append_text(_highlighted(e["sentence"], e["text"],
                                          "bold green" if e["agrees"] else "bold red"))
            console.print(sent)
