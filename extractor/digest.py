"""Monthly digest: what the articles of one month reported, with charts.

    from extractor.digest import build_digest, write_digest, write_range
    digest = build_digest("reform-facts.db", "2024-07")      # data only
    write_digest("reform-facts.db", "2024-07", fmt="html", out="digest-2024-07.html")
    write_range("reform-facts.db", "2024-01", "2024-12", fmt="md", out_dir="digests/")

An article belongs to a month by its ``published`` date (``YYYY-MM-DD`` or
``YYYY-MM``). The digest lists the outlets, the headline figures grouped by
metric (each linked to the sentence that supports it), a province × metric
table, the officials cited most, the legal documents referred to, and
month-over-month changes of the same metric and scope against every earlier
month in the database.

The same story told twice counts once: articles whose figures are the same set
of ``(metric, value, scope)``, with the same headline, or of which one says
``Trích theo`` the other's outlet, are folded into one story that keeps every
source. A figure is one row per distinct ``(metric, scope, period, value, unit,
approx, total)``, with every article that reported it.

HTML output is one self-contained file (inline CSS, charts as base64 PNG);
Markdown output writes its PNG charts beside the ``.md`` file. matplotlib is
imported only when charts are drawn, with the Agg backend.
"""
from __future__ import annotations

import base64
import html
import io
import re
import sqlite3
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from .errors import ReformFactsError
from .normalising import fix_tone_marks

MONTH_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")

#: Vietnamese labels for the metric vocabulary of ../shared/spec/facts.md.
OBJECT_LABELS = {
    "procedure": "Thủ tục hành chính", "internal_procedure": "TTHC nội bộ",
    "regulation": "Quy định kinh doanh", "dossier": "Hồ sơ", "online_service": "Dịch vụ công trực tuyến",
    "payment": "Thanh toán trực tuyến", "feedback": "Phản ánh, kiến nghị", "task": "Nhiệm vụ",
    "legal_document": "Văn bản QPPL", "index": "Chỉ số",
}
ACTION_LABELS = {
    "simplified": "cắt giảm, đơn giản hóa", "abolished": "bãi bỏ", "decentralized": "phân cấp",
    "published": "công bố", "amended": "sửa đổi, bổ sung", "time_reduced": "rút ngắn thời gian",
    "publicized": "công khai", "reviewed": "rà soát", "total": "tổng số", "received": "tiếp nhận",
    "resolved": "đã giải quyết", "on_time": "đúng hạn", "overdue": "trễ hạn", "pending": "đang giải quyết",
    "online": "trực tuyến", "digitized": "số hóa", "provided": "cung cấp", "full_process": "toàn trình",
    "partial": "một phần", "handled": "đã xử lý", "completed": "hoàn thành", "assigned": "được giao",
    "issued": "ban hành", "score": "điểm", "rank": "xếp hạng",
}
APPROX_WORDS = {"over": "hơn ", "under": "dưới ", "about": "khoảng "}
UNIT_SUFFIX = {"percent": "%", "score": " điểm", "day": " ngày", "rank": "", "count": ""}
NO_SOURCE = "(không rõ nguồn)"
NO_SCOPE = "(không rõ)"

_TRICH_THEO = re.compile(r"[Tt]rích\s+theo\s+([^)\n]{2,80})")


class DigestError(ReformFactsError):
    """Bad digest arguments (a month not written ``YYYY-MM``, an inverted range)."""


# --------------------------------------------------------------------------- data


@dataclass
class Story:
    """One story: the articles that told it (the first is the one shown)."""

    articles: list[dict]

    @property
    def title(self) -> str:
        return self.articles[0]["title"] or self.articles[0]["path"] or self.articles[0]["id"]

    @property
    def sources(self) -> list[str]:
        return list(dict.fromkeys(a["host"] for a in self.articles))


@dataclass
class Figure:
    """One distinct figure of the month and every article that reported it."""

    metric: str
    scope: str | None
    period: str | None
    value: float
    unit: str | None
    approx: str | None
    total: float | None
    refs: list[int] = field(default_factory=list)       # appendix anchors (sentences)
    article_ids: list[str] = field(default_factory=list)

    @property
    def display(self) -> str:
        return format_value(self.value, self.unit, self.approx, self.total)


@dataclass
class Change:
    """A metric of one scope across months: ``series`` is ``[(month, value), ...]`` ending this month."""

    metric: str
    scope: str
    unit: str | None
    series: list[tuple[str, float]]

    @property
    def previous(self) -> tuple[str, float]:
        return self.series[-2]

    @property
    def current(self) -> tuple[str, float]:
        return self.series[-1]

    @property
    def delta(self) -> float:
        return self.current[1] - self.previous[1]


@dataclass
class Digest:
    """Everything one month's digest shows, as data (no rendering)."""

    month: str
    articles: list[dict]                    # every article of the month (id, title, published, host, url, ...)
    stories: list[Story]                    # articles folded by story
    outlets: Counter                        # host -> articles
    figures: dict[str, list[Figure]]        # metric -> distinct figures, sorted by scope, period
    officials: list[dict]                   # name, posts, organizations, articles (count), sorted by count
    legal_refs: list[dict]                  # ref, doc_type, articles (count)
    changes: list[Change]                   # month-over-month, same metric and scope
    weeks: Counter                          # "1–7" ... -> articles
    sentences: list[dict]                   # appendix: n, sentence, title, host, url, published

    @property
    def article_count(self) -> int:
        return len(self.articles)

    @property
    def story_count(self) -> int:
        return len(self.stories)

    @property
    def figure_counts(self) -> dict[str, int]:
        return {metric: len(rows) for metric, rows in self.figures.items()}

    @property
    def empty(self) -> bool:
        return not self.articles

    def province_table(self, metrics: list[str] | None = None) -> tuple[list[str], list[str], dict]:
        """``(scopes, metrics, cells)``: ``cells[(scope, metric)]`` is a list of Figures."""
        metrics = metrics or self.main_metrics()
        cells: dict[tuple[str, str], list[Figure]] = defaultdict(list)
        for metric in metrics:
            for fig in self.figures.get(metric, ()):
                cells[(fig.scope or NO_SCOPE, metric)].append(fig)
        scopes = sorted({scope for scope, _ in cells}, key=_sort_key)
        return scopes, metrics, dict(cells)

    def main_metrics(self, n: int = 8) -> list[str]:
        """The metrics reported for most scopes (then most figures)."""
        ranked = sorted(self.figures, key=lambda m: (-len({f.scope for f in self.figures[m]}),
                                                     -len(self.figures[m]), m))
        return ranked[:n]


def metric_label(metric: str | None) -> str:
    if not metric:
        return "(không rõ)"
    obj, _, action = metric.partition(".")
    return f"{OBJECT_LABELS.get(obj, obj)} {ACTION_LABELS.get(action, action)}".strip()


def format_number(value: float | None) -> str:
    """Vietnamese style: ``1.012``, ``98,5``."""
    if value is None:
        return "–"
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", ".")
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def format_value(value, unit=None, approx=None, total=None) -> str:
    text = APPROX_WORDS.get(approx or "", "") + format_number(value)
    if total is not None:
        text += f"/{format_number(total)}"
    return text + UNIT_SUFFIX.get(unit or "", f" {unit}" if unit else "")


def check_month(month: str) -> str:
    if not isinstance(month, str) or not MONTH_RE.match(month):
        raise DigestError(f"month {month!r} is not written YYYY-MM (for example 2024-07)")
    return month


def months_between(first: str, last: str) -> list[str]:
    check_month(first)
    check_month(last)
    if first > last:
        raise DigestError(f"--from {first} is after --to {last}")
    y, m = map(int, first.split("-"))
    out = []
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _next_month(month: str) -> str:
    y, m = map(int, month.split("-"))
    return f"{y + 1:04d}-01" if m == 12 else f"{y:04d}-{m + 1:02d}"


def _sort_key(text: str | None) -> str:
    base = unicodedata.normalize("NFD", text or "\uffff")
    return "".join(c for c in base if not unicodedata.combining(c)).replace("đ", "d").replace("Đ", "D").lower()


def _fold_name(name: str) -> str:
    return fix_tone_marks(" ".join(unicodedata.normalize("NFC", name).lower().split()))


def source_host(source: str | None) -> str:
    """The outlet of a ``source``: the URL's host without ``www.``, or the text itself."""
    if not source:
        return NO_SOURCE
    text = source.strip()
    if "://" in text:
        host = urlparse(text).hostname or text
    else:
        host = text.split("/")[0]
    host = host.lower()
    return host[4:] if host.startswith("www.") else host


def _url(source: str | None) -> str | None:
    return source if source and re.match(r"https?://", source.strip()) else None


# --------------------------------------------------------------------------- building


def _connect(db) -> sqlite3.Connection:
    from .store import open_db

    database = open_db(db, create=False)   # clear errors for a missing or foreign file
    database.close()
    conn = sqlite3.connect(f"file:{Path(db).resolve()}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    return conn


def build_digest(db, month: str = "2024-07") -> Digest:
    """Collect one month's digest from database ``db`` (see the module docstring)."""
    check_month(month)
    conn = _connect(db)
    try:
        return _build(conn, month)
    finally:
        conn.close()


def _month_clause(alias: str = "a") -> str:
    # 'YYYY-MM' and 'YYYY-MM-DD' both sort inside [month, next month)
    return f"{alias}.published >= ? AND {alias}.published < ?"


def _build(conn: sqlite3.Connection, month: str) -> Digest:
    bounds = (month, _next_month(month))
    articles = [dict(r) for r in conn.execute(
        "SELECT id, path, title, published, source, author, "
        "substr(text, max(1, length(text) - 400)) AS tail, substr(text, 1, 400) AS head "
        f"FROM articles a WHERE {_month_clause()} ORDER BY published, title, id", bounds)]
    for a in articles:
        a["host"] = source_host(a["source"])
        a["url"] = _url(a["source"])
    by_id = {a["id"]: a for a in articles}
    facts = [dict(r) for r in conn.execute(
        "SELECT f.id, f.article_id, f.kind, f.sentence, f.metric, f.value, f.unit, f.total, f.approx, "
        "f.scope, f.period, f.name, f.title, f.organization, f.ref, f.doc_type "
        f"FROM facts f JOIN articles a ON a.id = f.article_id WHERE {_month_clause()} "
        "ORDER BY a.published, f.article_id, f.start", bounds)]

    stories = _fold_stories(articles, facts)
    outlets = Counter(a["host"] for a in articles)

    # figures, and the appendix of their sentences
    sentences: list[dict] = []
    sentence_no: dict[tuple[str, str], int] = {}
    distinct: dict[tuple, Figure] = {}
    for f in facts:
        if f["kind"] != "figure" or f["value"] is None:
            continue
        key = (f["metric"], f["scope"], f["period"], f["value"], f["unit"], f["approx"], f["total"])
        fig = distinct.get(key)
        if fig is None:
            fig = distinct[key] = Figure(f["metric"] or "", f["scope"], f["period"], f["value"],
                                         f["unit"], f["approx"], f["total"])
        skey = (f["article_id"], f["sentence"] or "")
        if skey not in sentence_no:
            a = by_id[f["article_id"]]
            sentence_no[skey] = len(sentences) + 1
            sentences.append({"n": sentence_no[skey], "sentence": f["sentence"] or "",
                              "title": a["title"] or a["path"], "host": a["host"], "url": a["url"],
                              "published": a["published"], "article_id": a["id"]})
        if sentence_no[skey] not in fig.refs:
            fig.refs.append(sentence_no[skey])
        if f["article_id"] not in fig.article_ids:
            fig.article_ids.append(f["article_id"])
    figures: dict[str, list[Figure]] = defaultdict(list)
    for fig in distinct.values():
        figures[fig.metric].append(fig)
    for rows in figures.values():
        rows.sort(key=lambda g: (_sort_key(g.scope), g.period or "", g.value))
    figures = dict(sorted(figures.items(), key=lambda kv: (-len(kv[1]), kv[0])))

    # officials: one per folded name, counted by story
    story_of = {a["id"]: i for i, s in enumerate(stories) for a in s.articles}
    people: dict[str, dict] = {}
    for f in facts:
        if f["kind"] != "official" or not f["name"]:
            continue
        p = people.setdefault(_fold_name(f["name"]), {"name": f["name"], "posts": [], "organizations": [],
                                                     "stories": set(), "article_ids": set()})
        for key, value in (("posts", f["title"]), ("organizations", f["organization"])):
            if value and value not in p[key]:
                p[key].append(value)
        p["stories"].add(story_of[f["article_id"]])
        p["article_ids"].add(f["article_id"])
    officials = sorted(({**p, "articles": len(p["article_ids"]), "stories": len(p["stories"])}
                        for p in people.values()),
                       key=lambda p: (-p["stories"], -p["articles"], _sort_key(p["name"])))

    refs: dict[str, dict] = {}
    for f in facts:
        if f["kind"] != "legal_ref" or not f["ref"]:
            continue
        key = re.sub(r"\s+", "", f["ref"]).upper()
        r = refs.setdefault(key, {"ref": f["ref"], "doc_type": f["doc_type"], "article_ids": set()})
        r["doc_type"] = r["doc_type"] or f["doc_type"]
        r["article_ids"].add(f["article_id"])
    legal_refs = sorted(({**r, "articles": len(r["article_ids"])} for r in refs.values()),
                        key=lambda r: (-r["articles"], r["ref"]))

    weeks: Counter = Counter()
    for a in articles:
        weeks[_week_label(a["published"])] += 1

    changes = _changes(conn, month, figures)
    return Digest(month=month, articles=articles, stories=stories, outlets=outlets, figures=figures,
                  officials=officials, legal_refs=legal_refs, changes=changes,
                  weeks=Counter(dict(sorted(weeks.items(), key=lambda kv: _week_order(kv[0])))),
                  sentences=sentences)


WEEKS = ("1–7", "8–14", "15–21", "22–28", "29–31")
NO_DAY = "không rõ ngày"


def _week_label(published: str | None) -> str:
    if not published or len(published) < 10:
        return NO_DAY
    day = int(published[8:10])
    return WEEKS[min((day - 1) // 7, 4)]


def _week_order(label: str) -> int:
    return WEEKS.index(label) if label in WEEKS else len(WEEKS)


def _fold_stories(articles: list[dict], facts: list[dict]) -> list[Story]:
    """Union articles that tell the same story: the same figure set (or nearly: the same
    numbers for the same scopes), the same headline, or one says ``Trích theo`` the other's outlet."""
    parent = {a["id"]: a["id"] for a in articles}

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(x, y):
        rx, ry = find(x), find(y)
        if rx != ry:
            parent[max(rx, ry, key=order.get)] = min(rx, ry, key=order.get)

    order = {a["id"]: i for i, a in enumerate(articles)}
    signature: dict[str, set] = defaultdict(set)
    numbers: dict[str, set] = defaultdict(set)      # (value, scope): metric-blind, for near copies
    for f in facts:
        if f["kind"] == "figure" and f["value"] is not None:
            signature[f["article_id"]].add((f["metric"], f["value"], f["scope"]))
            numbers[f["article_id"]].add((f["value"], f["scope"]))
    # Near copies: the same numbers for the same scope, told with other words (a
    # rounded headline, another metric reading): >= 2 shared and Jaccard >= 0.6.
    holders: dict[tuple, list[str]] = defaultdict(list)
    for article_id, pairs in numbers.items():
        for pair in pairs:
            holders[pair].append(article_id)
    shared: Counter = Counter()
    for ids in holders.values():
        if len(ids) <= 20:  # a number that many articles share says nothing
            for i, x in enumerate(ids):
                for y in ids[i + 1:]:
                    shared[(x, y) if order[x] < order[y] else (y, x)] += 1
    for (x, y), common in shared.items():
        if common >= 2 and common / len(numbers[x] | numbers[y]) >= 0.6:
            union(x, y)
    first_with: dict = {}
    for a in articles:
        keys = []
        if signature.get(a["id"]):
            keys.append(("figures", frozenset(signature[a["id"]])))
        if a["title"] and len(a["title"]) > 15:
            keys.append(("title", _sort_key(a["title"]).strip()))
        for key in keys:
            if key in first_with:
                union(first_with[key], a["id"])
            else:
                first_with[key] = a["id"]
    hosts: dict[str, list[str]] = defaultdict(list)
    for a in articles:
        if a["host"] != NO_SOURCE:
            hosts[a["host"]].append(a["id"])
    for a in articles:
        for m in _TRICH_THEO.finditer((a.get("head") or "") + "\n" + (a.get("tail") or "")):
            quoted = source_host(m.group(1).strip(" .;,"))
            for host, ids in hosts.items():
                if quoted and (quoted == host or quoted in host or host in quoted):
                    for other in ids:
                        if other != a["id"]:
                            union(other, a["id"])
    groups: dict[str, list[dict]] = defaultdict(list)
    for a in articles:
        groups[find(a["id"])].append(a)
    return [Story(groups[root]) for root in sorted(groups, key=order.get)]


def _changes(conn: sqlite3.Connection, month: str, figures: dict[str, list[Figure]]) -> list[Change]:
    """For each (metric, scope, unit) of this month, its value in every earlier month of the db.

    A month's value is the figure with the latest period end (the most recent
    data), then the largest; months are publication months."""
    current: dict[tuple, list[Figure]] = defaultdict(list)
    for rows in figures.values():
        for fig in rows:
            if fig.scope:
                current[(fig.metric, fig.scope, fig.unit)].append(fig)
    if not current:
        return []
    metrics = sorted({k[0] for k in current})
    history: dict[tuple, dict[str, list[tuple]]] = defaultdict(lambda: defaultdict(list))
    marks = ",".join("?" for _ in metrics)
    for r in conn.execute(
            "SELECT f.metric, f.scope, f.unit, f.value, f.period, f.approx, substr(a.published, 1, 7) AS month "
            "FROM facts f JOIN articles a ON a.id = f.article_id "
            f"WHERE f.kind = 'figure' AND f.value IS NOT NULL AND f.metric IN ({marks}) "
            "AND a.published IS NOT NULL AND a.published < ?", (*metrics, month)):
        key = (r["metric"], r["scope"], r["unit"])
        if key in current:
            history[key][r["month"]].append((_recency(r["period"], r["month"], r["approx"]), r["value"]))
    changes = []
    for key, figs in current.items():
        if key not in history:
            continue
        series = [(m, _pick(vals)) for m, vals in sorted(history[key].items())]
        series.append((month, _pick([(_recency(f.period, month, f.approx), f.value) for f in figs])))
        changes.append(Change(key[0], key[1], key[2], series))
    changes.sort(key=lambda c: (-len(c.series), c.metric, _sort_key(c.scope)))
    return changes


def _period_end(period: str | None) -> str:
    return (period or "").partition("/")[2]


def _recency(period: str | None, month: str, approx: str | None = "exact") -> tuple:
    """Sort key for "the month's value": periods ending by the month's end (reported
    results, not targets) first, then the latest end, then exact over rounded values
    (a headline's "gần 99%" is the body's 98,9%)."""
    end = _period_end(period)
    return (end < _next_month(month), end, (approx or "exact") == "exact")


def _pick(values: list[tuple[tuple, float]]) -> float:
    return max(values)[1]


# --------------------------------------------------------------------------- charts


def _plt():
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    plt.rcParams.update({"font.family": "DejaVu Sans", "font.size": 9, "axes.spines.top": False,
                         "axes.spines.right": False, "figure.dpi": 100})
    return plt


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight")
    import matplotlib.pyplot as plt

    plt.close(fig)
    return buf.getvalue()


def _tick_formatter():
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda x, pos: format_number(round(x, 2)))


def chart_provinces(d: Digest, metrics: int = 4, provinces: int = 15) -> bytes | None:
    """Bar charts of the main metrics by province (the latest period's value)."""
    chosen = [m for m in d.main_metrics() if len({f.scope for f in d.figures[m] if f.scope}) >= 1][:metrics]
    if not chosen:
        return None
    plt = _plt()
    fig, axes = plt.subplots(len(chosen), 1, figsize=(10, 0.3 + sum(
        0.9 + 0.24 * min(provinces, len({f.scope for f in d.figures[m] if f.scope})) for m in chosen)),
        squeeze=False, gridspec_kw={"height_ratios": [
            1 + min(provinces, len({f.scope for f in d.figures[m] if f.scope})) for m in chosen]})
    for ax, metric in zip(axes[:, 0], chosen):
        latest: dict[str, Figure] = {}
        for f in d.figures[metric]:
            if f.scope and (f.scope not in latest
                            or (_recency(f.period, d.month), f.value) > (_recency(latest[f.scope].period, d.month),
                                                                         latest[f.scope].value)):
                latest[f.scope] = f
        rows = sorted(latest.values(), key=lambda f: f.value, reverse=True)[:provinces][::-1]
        ax.barh([f.scope for f in rows], [f.value for f in rows], color="#2b6cb0", height=0.6)
        for i, f in enumerate(rows):
            ax.text(f.value, i, " " + format_value(f.value, f.unit), va="center", fontsize=8)
        unit = rows[0].unit if rows else None
        ax.set_title(f"{metric_label(metric)} ({metric})" + (" — %" if unit == "percent" else ""),
                     loc="left", fontsize=10)
        ax.margins(x=0.18)
        ax.xaxis.set_major_formatter(_tick_formatter())
        ax.tick_params(axis="y", labelsize=8)
    fig.tight_layout()
    return _png(fig)


def chart_weeks(d: Digest) -> bytes | None:
    if not d.articles:
        return None
    plt = _plt()
    labels = list(WEEKS) + ([NO_DAY] if d.weeks.get(NO_DAY) else [])
    values = [d.weeks.get(w, 0) for w in labels]
    fig, ax = plt.subplots(figsize=(10, 2.6))
    bars = ax.bar([f"ngày {w}" if w in WEEKS else w for w in labels], values, color="#38a169")
    ax.bar_label(bars, fontsize=8)
    ax.set_ylabel("bài viết")
    ax.set_title(f"Bài viết theo tuần, tháng {d.month}", loc="left", fontsize=10)
    ax.yaxis.get_major_locator().set_params(integer=True)
    fig.tight_layout()
    return _png(fig)


def chart_changes(d: Digest, n: int = 6) -> bytes | None:
    series = [c for c in d.changes if len(c.series) >= 2][:n]
    if not series:
        return None
    plt = _plt()
    cols = 2 if len(series) > 1 else 1
    rows = (len(series) + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(10, 2.6 * rows), squeeze=False)
    for ax, c in zip(axes.flat, series):
        xs = [m for m, _ in c.series]
        ax.plot(xs, [v for _, v in c.series], marker="o", color="#c05621")
        ax.set_title(f"{c.scope}: {metric_label(c.metric)}", loc="left", fontsize=9)
        ax.tick_params(axis="x", labelsize=7, rotation=30)
        for x, (_, v) in zip(xs, c.series):
            ax.annotate(format_value(v, c.unit), (x, v), textcoords="offset points", xytext=(0, 5),
                        ha="center", fontsize=7)
        ax.margins(y=0.3)
        ax.yaxis.set_major_formatter(_tick_formatter())
    for ax in list(axes.flat)[len(series):]:
        ax.axis("off")
    fig.tight_layout()
    return _png(fig)


CHARTS = (("provinces", "Số liệu theo tỉnh (giá trị kỳ gần nhất của mỗi tỉnh)", chart_provinces),
          ("weeks", "Bài viết theo tuần", chart_weeks),
          ("changes", "Diễn biến qua các tháng", chart_changes))


def charts(d: Digest) -> dict[str, tuple[str, bytes]]:
    """``name -> (caption, png bytes)`` for the charts this digest has data for."""
    out = {}
    if d.empty:
        return out
    for name, caption, draw in CHARTS:
        png = draw(d)
        if png:
            out[name] = (caption, png)
    return out


# --------------------------------------------------------------------------- rendering


def _empty_lines(month: str) -> tuple[str, str]:
    return (f"Không có bài viết nào trong tháng {month}.",
            f"No articles were published in {month} in this database.")


def _period_text(period: str | None) -> str:
    if not period:
        return "–"
    start, _, end = period.partition("/")
    return f"{start} → {end}" if end else start


CSS = """
body{font-family:"Segoe UI",Roboto,"Noto Sans","DejaVu Sans",Arial,sans-serif;margin:0;background:#f7f7f5;color:#1a202c;line-height:1.45}
main{max-width:1080px;margin:0 auto;padding:24px 28px 48px;background:#fff;min-height:100vh;box-shadow:0 0 0 1px #e2e8f0}
h1{font-size:1.7em;margin:.2em 0 .1em;color:#1a365d}h2{font-size:1.25em;margin:1.6em 0 .5em;padding-bottom:.2em;border-bottom:2px solid #bee3f8;color:#1a365d}
h3{font-size:1.02em;margin:1.1em 0 .3em;color:#2c5282}
.sub{color:#4a5568;margin:0 0 1em}.en{color:#718096;font-style:italic}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin:14px 0}.card{flex:1 1 140px;background:#ebf8ff;border-radius:8px;padding:10px 14px}
.card b{display:block;font-size:1.6em;color:#2b6cb0}.card span{color:#4a5568;font-size:.9em}
table{border-collapse:collapse;width:100%;margin:.4em 0 1em;font-size:.9em}
th,td{border:1px solid #e2e8f0;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#edf2f7;font-weight:600}tr:nth-child(even) td{background:#fafbfc}
td.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
.wrap{overflow-x:auto}a{color:#2b6cb0;text-decoration:none}a:hover{text-decoration:underline}
figure{margin:12px 0 20px}figure img{max-width:100%;height:auto;border:1px solid #e2e8f0;border-radius:6px}
figcaption{color:#4a5568;font-size:.88em;margin-top:4px}
.up{color:#276749}.down{color:#c53030}.muted{color:#718096}
ol.appendix li{margin:.35em 0;font-size:.9em}ol.appendix li:target{background:#fefcbf}
.empty{font-size:1.2em;padding:24px;background:#fffaf0;border:1px solid #fbd38d;border-radius:8px}
nav.top{font-size:.9em;margin-bottom:8px}
"""


def _h(text) -> str:
    return html.escape("" if text is None else str(text))


def _sources_html(d: Digest, article_ids: list[str]) -> str:
    by_id = {a["id"]: a for a in d.articles}
    out = []
    for host in dict.fromkeys(by_id[i]["host"] for i in article_ids):
        url = next((by_id[i]["url"] for i in article_ids if by_id[i]["host"] == host and by_id[i]["url"]), None)
        out.append(f'<a href="{_h(url)}">{_h(host)}</a>' if url else _h(host))
    return ", ".join(out)


def render_html(d: Digest, images: dict[str, tuple[str, bytes]] | None = None, index_href: str | None = None) -> str:
    images = charts(d) if images is None else images
    parts = ['<!DOCTYPE html>', '<html lang="vi">', "<head>", '<meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>Bản tin cải cách hành chính tháng {_h(d.month)}</title>",
             f"<style>{CSS}</style>", "</head>", "<body>", "<main>"]
    if index_href:
        parts.append(f'<nav class="top"><a href="{_h(index_href)}">← Tất cả các tháng</a></nav>')
    parts.append(f"<h1>Bản tin cải cách hành chính tháng {_h(d.month)}</h1>")
    parts.append(f'<p class="sub">Monthly digest of administrative-reform news, {_h(d.month)} '
                 "— số liệu trích từ báo chí, mỗi con số dẫn về câu gốc.</p>")
    if d.empty:
        vi, en = _empty_lines(d.month)
        parts.append(f'<div class="empty"><p>{_h(vi)}</p><p class="en">{_h(en)}</p></div>')
        parts += ["</main>", "</body>", "</html>"]
        return "\n".join(parts)

    n_fig = sum(len(v) for v in d.figures.values())
    cards = ((d.article_count, "bài viết"), (d.story_count, "tin (gộp trùng lặp)"),
             (len(d.outlets), "nguồn báo"), (n_fig, "số liệu"), (len(d.officials), "quan chức"),
             (len(d.legal_refs), "văn bản"))
    parts.append('<div class="cards">' + "".join(f"<div class=\"card\"><b>{n}</b><span>{_h(label)}</span></div>"
                                                for n, label in cards) + "</div>")

    # articles and outlets
    parts.append("<h2>Bài viết và nguồn</h2>")
    parts.append("<p>" + ", ".join(f"{_h(host)} ({n})" for host, n in d.outlets.most_common()) + "</p>")
    parts.append('<div class="wrap"><table><thead><tr><th>Ngày</th><th>Tin</th><th>Nguồn</th></tr></thead><tbody>')
    for s in d.stories:
        extra = f' <span class="muted">({len(s.articles)} bài cùng nội dung)</span>' if len(s.articles) > 1 else ""
        parts.append(f"<tr><td class=\"num\">{_h(s.articles[0]['published'])}</td><td>{_h(s.title)}{extra}</td>"
                     f"<td>{_sources_html(d, [a['id'] for a in s.articles])}</td></tr>")
    parts.append("</tbody></table></div>")
    if "weeks" in images:
        parts.append(_img_html(*images["weeks"]))

    # headline figures by metric
    parts.append("<h2>Số liệu nổi bật theo chỉ tiêu</h2>")
    if not d.figures:
        parts.append("<p>Không có số liệu nào trong tháng này. <span class=\"en\">No figures this month.</span></p>")
    for metric, rows in d.figures.items():
        parts.append(f"<h3>{_h(metric_label(metric))} <code class=\"muted\">{_h(metric)}</code></h3>")
        parts.append('<div class="wrap"><table><thead><tr><th>Phạm vi</th><th>Kỳ</th><th>Giá trị</th>'
                     "<th>Nguồn</th><th>Câu gốc</th></tr></thead><tbody>")
        for f in rows:
            links = " ".join(f'<a href="#s{n}">[{n}]</a>' for n in f.refs)
            parts.append(f"<tr><td>{_h(f.scope or NO_SCOPE)}</td><td>{_h(_period_text(f.period))}</td>"
                         f"<td class=\"num\">{_h(f.display)}</td><td>{_sources_html(d, f.article_ids)}</td>"
                         f"<td>{links}</td></tr>")
        parts.append("</tbody></table></div>")

    # province × metric
    scopes, metrics, cells = d.province_table()
    if scopes:
        parts.append("<h2>Theo tỉnh × chỉ tiêu</h2>")
        parts.append('<div class="wrap"><table><thead><tr><th>Phạm vi</th>'
                     + "".join(f"<th title=\"{_h(m)}\">{_h(metric_label(m))}</th>" for m in metrics)
                     + "</tr></thead><tbody>")
        for scope in scopes:
            tds = []
            for m in metrics:
                figs = cells.get((scope, m), [])
                tds.append("<td class=\"num\">" + "<br>".join(
                    f'<a href="#s{f.refs[0]}">{_h(f.display)}</a>' for f in figs[:3])
                    + (f" <span class=\"muted\">+{len(figs) - 3}</span>" if len(figs) > 3 else "") + "</td>")
            parts.append(f"<tr><th>{_h(scope)}</th>{''.join(tds)}</tr>")
        parts.append("</tbody></table></div>")
    if "provinces" in images:
        parts.append(_img_html(*images["provinces"]))

    # officials
    parts.append("<h2>Quan chức được nhắc đến nhiều nhất</h2>")
    if d.officials:
        parts.append('<div class="wrap"><table><thead><tr><th>Họ tên</th><th>Chức vụ</th><th>Cơ quan</th>'
                     "<th>Số tin</th></tr></thead><tbody>")
        for p in d.officials[:25]:
            parts.append(f"<tr><td>{_h(p['name'])}</td><td>{_h('; '.join(p['posts']))}</td>"
                         f"<td>{_h('; '.join(p['organizations']))}</td><td class=\"num\">{p['stories']}</td></tr>")
        parts.append("</tbody></table></div>")
        if len(d.officials) > 25:
            parts.append(f"<p class=\"muted\">… và {len(d.officials) - 25} người khác.</p>")
    else:
        parts.append("<p class=\"muted\">Không có quan chức nào được nêu tên.</p>")

    # legal documents
    parts.append("<h2>Văn bản pháp luật được dẫn</h2>")
    if d.legal_refs:
        parts.append('<div class="wrap"><table><thead><tr><th>Số hiệu</th><th>Loại</th><th>Số bài</th></tr></thead><tbody>')
        for r in d.legal_refs:
            parts.append(f"<tr><td>{_h(r['ref'])}</td><td>{_h(r['doc_type'] or '')}</td>"
                         f"<td class=\"num\">{r['articles']}</td></tr>")
        parts.append("</tbody></table></div>")
    else:
        parts.append("<p class=\"muted\">Không có văn bản nào được dẫn.</p>")

    # month over month
    parts.append("<h2>So với các tháng trước</h2>")
    if d.changes:
        parts.append('<div class="wrap"><table><thead><tr><th>Phạm vi</th><th>Chỉ tiêu</th><th>Các tháng trước</th>'
                     f"<th>{_h(d.month)}</th><th>Thay đổi</th></tr></thead><tbody>")
        for c in d.changes:
            earlier = ", ".join(f"{m}: {format_value(v, c.unit)}" for m, v in c.series[:-1])
            delta = c.delta
            cls = "up" if delta > 0 else "down" if delta < 0 else "muted"
            sign = "+" if delta > 0 else "−" if delta < 0 else "±"
            unit = " điểm %" if c.unit == "percent" else ""
            parts.append(f"<tr><td>{_h(c.scope)}</td><td>{_h(metric_label(c.metric))}</td><td>{_h(earlier)}</td>"
                         f"<td class=\"num\">{_h(format_value(c.current[1], c.unit))}</td>"
                         f"<td class=\"num {cls}\">{sign}{_h(format_number(abs(delta)))}{unit}</td></tr>")
        parts.append("</tbody></table></div>")
    else:
        parts.append("<p class=\"muted\">Chưa có số liệu cùng chỉ tiêu, cùng phạm vi ở các tháng trước. "
                     "<span class=\"en\">No earlier months to compare with.</span></p>")
    if "changes" in images:
        parts.append(_img_html(*images["changes"]))

    # appendix
    parts.append("<h2>Phụ lục: câu gốc</h2>")
    parts.append('<ol class="appendix">')
    for s in d.sentences:
        where = f'<a href="{_h(s["url"])}">{_h(s["title"])}</a>' if s["url"] else _h(s["title"])
        parts.append(f'<li id="s{s["n"]}">“{_h(s["sentence"])}” <span class="muted">— {where}, '
                     f"{_h(s['host'])}, {_h(s['published'])}</span></li>")
    parts.append("</ol>")
    parts += ["</main>", "</body>", "</html>"]
    return "\n".join(parts)


def _img_html(caption: str, png: bytes) -> str:
    data = base64.b64encode(png).decode("ascii")
    return (f'<figure><img alt="{_h(caption)}" src="data:image/png;base64,{data}">'
            f"<figcaption>{_h(caption)}</figcaption></figure>")


def _md(text) -> str:
    return ("" if text is None else str(text)).replace("|", "\\|").replace("\n", " ")


def render_markdown(d: Digest, image_files: dict[str, tuple[str, str]] | None = None) -> str:
    """Markdown; ``image_files`` is ``name -> (caption, relative png path)``."""
    image_files = image_files or {}
    lines = [f"# Bản tin cải cách hành chính tháng {d.month}", "",
             f"*Monthly digest of administrative-reform news, {d.month}.*", ""]
    if d.empty:
        vi, en = _empty_lines(d.month)
        return "\n".join(lines + [vi, "", f"*{en}*", ""])
    n_fig = sum(len(v) for v in d.figures.values())
    lines += [f"- **{d.article_count}** bài viết, **{d.story_count}** tin (gộp trùng lặp), "
              f"**{len(d.outlets)}** nguồn báo",
              f"- **{n_fig}** số liệu, **{len(d.officials)}** quan chức, **{len(d.legal_refs)}** văn bản", ""]

    def img(name):
        if name in image_files:
            caption, rel = image_files[name]
            lines.extend([f"![{caption}]({rel})", ""])

    lines += ["## Bài viết và nguồn", "",
              ", ".join(f"{host} ({n})" for host, n in d.outlets.most_common()), "",
              "| Ngày | Tin | Nguồn |", "| --- | --- | --- |"]
    by_id = {a["id"]: a for a in d.articles}

    def sources(ids):
        out = []
        for host in dict.fromkeys(by_id[i]["host"] for i in ids):
            url = next((by_id[i]["url"] for i in ids if by_id[i]["host"] == host and by_id[i]["url"]), None)
            out.append(f"[{_md(host)}]({url})" if url else _md(host))
        return ", ".join(out)

    for s in d.stories:
        extra = f" ({len(s.articles)} bài cùng nội dung)" if len(s.articles) > 1 else ""
        lines.append(f"| {_md(s.articles[0]['published'])} | {_md(s.title)}{extra} | "
                     f"{sources([a['id'] for a in s.articles])} |")
    lines.append("")
    img("weeks")

    lines += ["## Số liệu nổi bật theo chỉ tiêu", ""]
    if not d.figures:
        lines += ["Không có số liệu nào trong tháng này. *No figures this month.*", ""]
    for metric, rows in d.figures.items():
        lines += [f"### {metric_label(metric)} (`{metric}`)", "",
                  "| Phạm vi | Kỳ | Giá trị | Nguồn | Câu gốc |", "| --- | --- | ---: | --- | --- |"]
        for f in rows:
            links = " ".join(f"[[{n}]](#s{n})" for n in f.refs)
            lines.append(f"| {_md(f.scope or NO_SCOPE)} | {_md(_period_text(f.period))} | {_md(f.display)} | "
                         f"{sources(f.article_ids)} | {links} |")
        lines.append("")

    scopes, metrics, cells = d.province_table()
    if scopes:
        lines += ["## Theo tỉnh × chỉ tiêu", "",
                  "| Phạm vi | " + " | ".join(_md(metric_label(m)) for m in metrics) + " |",
                  "| --- |" + " ---: |" * len(metrics)]
        for scope in scopes:
            cellv = ["<br>".join(_md(f.display) for f in cells.get((scope, m), [])[:3]) for m in metrics]
            lines.append(f"| {_md(scope)} | " + " | ".join(cellv) + " |")
        lines.append("")
    img("provinces")

    lines += ["## Quan chức được nhắc đến nhiều nhất", ""]
    if d.officials:
        lines += ["| Họ tên | Chức vụ | Cơ quan | Số tin |", "| --- | --- | --- | ---: |"]
        for p in d.officials[:25]:
            lines.append(f"| {_md(p['name'])} | {_md('; '.join(p['posts']))} | "
                         f"{_md('; '.join(p['organizations']))} | {p['stories']} |")
    else:
        lines.append("Không có quan chức nào được nêu tên.")
    lines.append("")

    lines += ["## Văn bản pháp luật được dẫn", ""]
    if d.legal_refs:
        lines += ["| Số hiệu | Loại | Số bài |", "| --- | --- | ---: |"]
        lines += [f"| {_md(r['ref'])} | {_md(r['doc_type'] or '')} | {r['articles']} |" for r in d.legal_refs]
    else:
        lines.append("Không có văn bản nào được dẫn.")
    lines.append("")

    lines += ["## So với các tháng trước", ""]
    if d.changes:
        lines += [f"| Phạm vi | Chỉ tiêu | Các tháng trước | {d.month} | Thay đổi |",
                  "| --- | --- | --- | ---: | ---: |"]
        for c in d.changes:
            earlier = ", ".join(f"{m}: {format_value(v, c.unit)}" for m, v in c.series[:-1])
            sign = "+" if c.delta > 0 else "−" if c.delta < 0 else "±"
            unit = " điểm %" if c.unit == "percent" else ""
            lines.append(f"| {_md(c.scope)} | {_md(metric_label(c.metric))} | {_md(earlier)} | "
                         f"{_md(format_value(c.current[1], c.unit))} | {sign}{format_number(abs(c.delta))}{unit} |")
    else:
        lines.append("Chưa có số liệu cùng chỉ tiêu, cùng phạm vi ở các tháng trước. "
                     "*No earlier months to compare with.*")
    lines.append("")
    img("changes")

    lines += ["## Phụ lục: câu gốc", ""]
    for s in d.sentences:
        where = f"[{_md(s['title'])}]({s['url']})" if s["url"] else _md(s["title"])
        lines.append(f'{s["n"]}. <a id="s{s["n"]}"></a>“{_md(s["sentence"])}” — {where}, '
                     f"{_md(s['host'])}, {_md(s['published'])}")
    lines.append("")
    return "\n".join(lines)


# --------------------------------------------------------------------------- writing


def _check_fmt(fmt: str) -> str:
    if fmt not in ("html", "md"):
        raise DigestError(f"format {fmt!r} is not html or md")
    return fmt


def write_digest(db, month: str, fmt: str = "html", out=None, *, index_href: str | None = None,
                 digest: Digest | None = None) -> Path:
    """Write one month's digest to ``out`` (default ``digest-MONTH.FMT``); returns its path.

    Markdown writes its charts beside it as ``STEM-provinces.png``, ``STEM-weeks.png``
    and ``STEM-changes.png``."""
    _check_fmt(fmt)
    d = digest if digest is not None else build_digest(db, month)
    path = Path(out) if out is not None else Path(f"digest-{month}.{fmt}")
    if path.is_dir():
        path = path / f"digest-{month}.{fmt}"
    if not path.parent.is_dir():
        raise DigestError(f"{path}: folder {path.parent} does not exist")
    images = charts(d)
    if fmt == "html":
        text = render_html(d, images, index_href=index_href)
    else:
        files = {}
        for name, (caption, png) in images.items():
            png_path = path.with_name(f"{path.stem}-{name}.png")
            png_path.write_bytes(png)
            files[name] = (caption, png_path.name)
        text = render_markdown(d, files)
        if index_href:
            text = f"[← Tất cả các tháng]({index_href})\n\n" + text
    path.write_text(text, encoding="utf-8")
    return path


def write_range(db, from_month: str, to_month: str, fmt: str = "html", out_dir=".") -> Path:
    """One digest per month from ``from_month`` to ``to_month`` into ``out_dir``, plus
    ``index.FMT`` linking them with their article counts; returns the index path."""
    _check_fmt(fmt)
    months = months_between(from_month, to_month)
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    conn = _connect(db)
    try:
        digests = [_build(conn, m) for m in months]
    finally:
        conn.close()
    index_name = f"index.{fmt}"
    rows = []
    for d in digests:
        path = write_digest(db, d.month, fmt, folder / f"digest-{d.month}.{fmt}", index_href=index_name, digest=d)
        rows.append((d, path.name))
    index = folder / index_name
    if fmt == "html":
        body = "".join(
            f"<tr><td><a href=\"{_h(name)}\">{_h(d.month)}</a></td><td class=\"num\">{d.article_count}</td>"
            f"<td class=\"num\">{d.story_count}</td><td class=\"num\">{sum(d.figure_counts.values())}</td>"
            f"<td>{_h(', '.join(h for h, _ in d.outlets.most_common(5)))}</td></tr>" for d, name in rows)
        index.write_text(
            '<!DOCTYPE html>\n<html lang="vi">\n<head>\n<meta charset="utf-8">\n'
            f"<title>Bản tin cải cách hành chính {from_month} – {to_month}</title>\n<style>{CSS}</style>\n"
            f"</head>\n<body>\n<main>\n<h1>Bản tin cải cách hành chính {_h(from_month)} – {_h(to_month)}</h1>\n"
            '<p class="sub">Monthly digests, one per month.</p>\n'
            "<table><thead><tr><th>Tháng</th><th>Bài viết</th><th>Tin</th><th>Số liệu</th><th>Nguồn chính</th>"
            f"</tr></thead><tbody>{body}</tbody></table>\n</main>\n</body>\n</html>\n", encoding="utf-8")
    else:
        lines = [f"# Bản tin cải cách hành chính {from_month} – {to_month}", "",
                 "| Tháng | Bài viết | Tin | Số liệu | Nguồn chính |", "| --- | ---: | ---: | ---: | --- |"]
        lines += [f"| [{d.month}]({name}) | {d.article_count} | {d.story_count} | "
                  f"{sum(d.figure_counts.values())} | {', '.join(h for h, _ in d.outlets.most_common(5))} |"
                  for d, name in rows]
        index.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return index


__all__ = ["Digest", "Story", "Figure", "Change", "DigestError", "build_digest", "write_digest",
           "write_range", "render_html", "render_markdown", "charts", "months_between", "source_host",
           "metric_label", "format_value", "format_number"]
