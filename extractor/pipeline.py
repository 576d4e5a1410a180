"""Extraction entry points: text in, facts out.

The article is read paragraph by paragraph and sentence by sentence; each
module finds its own kind of fact (``numbers``/``figures``, ``officials``,
``dates``, ``legal``), and this module adds what needs the whole article:
the scope (place) and period that carry from the headline, lead and earlier
sentences, and the year of dates written without one.
"""
from __future__ import annotations

import functools

import regex

from . import dates as dates_mod
from . import figures as figures_mod
from . import legal as legal_mod
from . import officials as officials_mod
from . import periods as periods_mod
from . import patterns, places
from . import tables as tables_mod
from .article import FACT_COMMON, FACT_FIELDS, Article
from .numbers import find_numbers

_DIGIT = regex.compile(r"\d")
_DATE_LIKE = regex.compile(r"(?<![\d/.,])\d{1,2}[/.-]\d{1,2}[/.-](?:19|20)\d{2}(?!\d)")

# The modules whose code decides what is extracted (not the store, the CLI or the reports).
_EXTRACTING = ("reading", "normalising", "tokens", "numbers", "figures", "periods", "places",
               "officials", "dates", "legal", "tables", "pipeline")


def _version() -> str:
    """The code version plus a digest of the rule files and of the extracting modules:
    changing a rule or the code that reads it re-extracts stored articles."""
    import hashlib
    from pathlib import Path

    from . import patterns as _patterns

    here = Path(__file__).parent
    h = hashlib.sha256()
    for path in [*_patterns.all_pattern_files(), *(here / f"{m}.py" for m in _EXTRACTING)]:
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return f"0.2.0+{h.hexdigest()[:10]}"


EXTRACTOR_VERSION = _version()

_SENT_END = regex.compile(r"(?<=[.!?…])\s+(?=[\p{Lu}\d\"“(‘'-])|(?<=[.!?…][\"”’])\s+")


@functools.lru_cache(maxsize=1)
def _abbreviations() -> regex.Pattern:
    words = patterns.load("sentences")["no_split_after"]
    return regex.compile(r"(?<!\p{L})(?:" + "|".join(regex.escape(w) for w in words) + r")$")


def sentences(text: str) -> list[tuple[int, int, int]]:
    """(start, end, paragraph index) of every sentence; paragraphs are lines.

    A full stop after an abbreviation ("UBND TP. Hà Nội") is no boundary."""
    abbrev = _abbreviations()
    out = []
    pos = 0
    for p_idx, line in enumerate(text.split("\n")):
        start = pos
        pos += len(line) + 1
        if not line.strip():
            continue
        s = start
        for m in _SENT_END.finditer(line):
            if abbrev.search(line, 0, m.start()):
                continue
            e = start + m.start()
            if text[s:e].strip():
                out.append((s, e, p_idx))
            s = start + m.end()
        e = start + len(line.rstrip())
        if text[s:e].strip():
            out.append((s, e, p_idx))
    return out


_ISO_ISH = regex.compile(r"^\s*((?:19|20)\d{2})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?\s*$")
_DMY = regex.compile(r"^\s*(\d{1,2})[-/.](\d{1,2})[-/.]((?:19|20)\d{2})\s*$")


def normalise_published(published: str | None) -> str | None:
    """``2024-5-3`` → ``2024-05-03``, ``31/07/2024`` → ``2024-07-31``, ``2019-02`` kept to the month.

    Raises ValueError for anything else, rather than guessing a year from it."""
    if published is None or not str(published).strip():
        return None
    text = str(published)
    m = _ISO_ISH.match(text)
    if m:
        y, mo, d = m.group(1), m.group(2), m.group(3)
        if mo is None:
            return y
        if not 1 <= int(mo) <= 12:
            raise ValueError(f"published: no month {mo} in {text!r}")
        if d is None:
            return f"{y}-{int(mo):02d}"
        day = dates_mod.valid_date(int(y), int(mo), int(d))
        if day:
            return day
    m = _DMY.match(text)
    if m and dates_mod.valid_date(int(m.group(3)), int(m.group(2)), int(m.group(1))):
        return dates_mod.valid_date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    raise ValueError(f"published must be a date such as 2024-05-08 or 2024-05, got {text!r}")


def _year_hint(text: str, published: str | None, source: str | None) -> str | None:
    """The publication date, or a year from the URL or the body when the article has none."""
    if published:
        return published
    if source:
        m = regex.search(r"/((?:19|20)\d{2})/(\d{2})/(\d{2})/", source)
        day = m and dates_mod.valid_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if day:  # "/2024/13/05/" is no date: a bad one would crash the period arithmetic
            return day
        m = regex.search(r"/((?:19|20)\d{2})/?(\d{2})/", source)  # "/202310/", "/2023/10/"
        if m and 1 <= int(m.group(2)) <= 12:
            return f"{m.group(1)}-{m.group(2)}"
    years = regex.findall(r"\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*((?:19|20)\d{2})", text)
    if years:
        # the year most dates in the body have; on a tie the earliest (a deadline lies ahead)
        from collections import Counter

        counts = Counter(years)
        return min(counts, key=lambda y: (-counts[y], y))
    return None


def extract(text: str, published: str | None = None, title: str | None = None,
            source: str | None = None) -> list[dict]:
    """Every fact in ``text``: dicts with ``kind``, ``text``, ``sentence``, ``start``, ``end`` and the kind's fields.

    ``published`` (``YYYY-MM-DD`` or ``YYYY-MM``) gives the year of dates and
    periods written without one; ``title`` and ``source`` (outlet or URL) give
    the place the article is about.
    """
    published = normalise_published(published)
    ref = _year_hint(text, published, source)
    ref_year = dates_mod.reference_year(ref)
    sents = sentences(text)
    has_headline = bool(title) and text.startswith(title.strip())
    if title is None and sents:
        title = text[sents[0][0]:sents[0][1]]
    lead = " ".join(text[s:e] for s, e, _ in sents[:6])
    default_scope = places.article_scope(title, lead, source, text)

    facts: list[dict] = []
    seen_dates: set[str] = set()
    seen_refs: set[str] = set()
    officials: dict[str, dict] = {}
    where = places.ScopeTracker(default_scope)
    when = periods_mod.PeriodTracker(ref)
    prev_sentence: tuple[int, int, int] | None = None
    last_rate: str | None = None  # for "tỷ lệ này"
    table_rows = tables_mod.find_rows(text)  # "TTHC được rà soát | 120 | 134 | 111,7%"

    for s, e, paragraph in sents:
        sent = text[s:e]
        mentions = where.read(sent, paragraph)
        sent_periods = when.read(sent, paragraph)
        masked = list(_date_like_spans(sent)) + [(p.start, p.end) for p in sent_periods]
        # legal references
        has_digit = _DIGIT.search(sent) is not None  # document numbers and dates all have digits
        for f in (legal_mod.find_legal_refs(sent) if has_digit else ()):
            masked.append((f["start"], f["end"]))
            key = regex.sub(r"\s+", "", f["ref"]).lower()
            if key not in seen_refs:
                seen_refs.add(key)
                facts.append(_at(f, s, sent))
        # dates (one fact per date)
        for f in (dates_mod.find_dates(sent, ref_year) if has_digit else ()):
            masked.append((f["start"], f["end"]))
            if f["date"] not in seen_dates:
                seen_dates.add(f["date"])
                facts.append(_at(f, s, sent))
        # officials (one per person; a later, fuller title wins)
        for f in officials_mod.find_officials(sent):
            key = officials_mod.fold_name(f["name"])
            f["organization"] = officials_mod.organization_of(f["title"], where.place_for(f["start"]))
            if key in officials:
                old = officials[key]
                if len(f["title"]) > len(old["title"]):
                    old.update({k: f[k] for k in ("title", "role", "organization")})
                continue
            officials[key] = _at(f, s, sent)
            facts.append(officials[key])
        # figures: numbers outside dates, document numbers and periods
        first_figure = None
        sent_figs: list[dict] = []
        context = text[prev_sentence[0]:prev_sentence[1]] if prev_sentence and prev_sentence[2] == paragraph else ""
        prev_sentence = (s, e, paragraph)
        row = table_rows.get(s)
        if row is not None:
            found = _table_figures(row, s, last_rate, ref)
        else:
            nums = [n for n in find_numbers(sent) if not any(a <= n.num_start < b for a, b in masked)]
            found = figures_mod.classify(sent, nums, context, last_rate)
        for fig in found:
            fs, fe = fig.pop("_start"), fig.pop("_end")
            fig.pop("_num_end", None)
            own_period = fig.pop("_period", None)
            text_start = fig.pop("_text_start", fs)
            first_figure = fs if first_figure is None else first_figure
            fig["scope"] = where.scope_for(fs, fe, fig["metric"])
            obj = fig["metric"].split(".")[0]
            same = [f["_at"] for f in sent_figs if f["metric"].split(".")[0] == obj]
            fig["period"] = own_period or when.period_for(fs, same[0] if same else None)
            covered_to = fig["period"][11:] if fig["period"] else (published or "")  # no period: as of publication
            if where.former and covered_to >= places.merged_on():
                fig["scope"] = places.successors().get(fig["scope"], fig["scope"])  # "Hà Giang cũ" now
            fig["_period_type"] = when.source_type(fig["period"])
            sent_figs.append(dict(metric=fig["metric"], _at=fs))
            if fig["unit"] == "percent":
                last_rate = fig["metric"]
            fig.update(kind="figure", text=sent[text_start:fe], sentence=sent, start=s + text_start, end=s + fe,
                       _sentence_start=s)
            facts.append(fig)
        if not any(f["unit"] == "percent" for f in found):
            # "Nếu xét tỷ lệ giải quyết hồ sơ đúng hạn, ...": the rate that bare figures after it rate
            last_rate = figures_mod.rate_named(sent) or last_rate
        when.close(first_figure)
        where.close(first_figure)
    if has_headline:
        _date_the_headline(facts, sents, text, when.first_reported)
    aliases = periods_mod.glossed(text, ref)  # "6 tháng đầu năm 2023 (từ ngày 15/12/2022 ...)" holds article-wide
    for f in facts:
        named = aliases.get(f.get("period")) if f["kind"] == "figure" else None
        if named and f.get("_period_type") != "ytd":  # "tính đến ngày 30/6/2021" is no half-year report
            f["period"] = named[1]
    return [_ordered(f) for f in _fold_repeats(facts)]


def _table_figures(row: tables_mod.Row, s: int, last_rate: str | None, ref: str | None) -> list[dict]:
    """The figures of a table row: each result cell read as the item "label: value", with
    offsets in the row's sentence (the text runs from the label to the value) and the
    period its column header names."""
    out = []
    for cell in row.cells:
        item, at = row.item(cell)
        nums = [n for n in find_numbers(item) if n.num_start >= at]
        for fig in figures_mod.classify(item, nums, "", last_rate):
            if fig["_start"] < at - 2:
                continue
            fig["_start"], fig["_end"] = cell.start - s, cell.end - s  # where scope and period look from
            fig["_text_start"] = row.label_start - s  # the fact's text runs from the row's label
            heads = periods_mod.find_periods(cell.header, ref) if cell.header else []
            fig["_period"] = next((p.interval for p in heads if p.interval), None)
            out.append(fig)
    return out


def _date_the_headline(facts: list[dict], sents: list, text: str, first: str | None) -> None:
    """A headline figure without a period of its own takes the period the article reports first."""
    if not sents or first is None:
        return
    s, e, _ = sents[0]
    if periods_mod.snapshots(text[s:e]):
        return
    for f in facts:
        if f["kind"] == "figure" and s <= f["start"] < e and f.get("period") is None:
            f["period"] = first


def _ordered(fact: dict) -> dict:
    """The spec's field order: the common fields, then the kind's own."""
    keys = FACT_COMMON + FACT_FIELDS[fact["kind"]]
    return {k: fact.get(k) for k in keys}


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
        key = (f["metric"], round(f["value"], 6), f["unit"], f.get("total"), f.get("_index"))
        counts = per_sentence.setdefault(key, {})
        sid = f["_sentence_start"]  # by position: a sentence repeated word for word is a restatement
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


def _at(f: dict, offset: int, sent: str) -> dict:
    f = dict(f)
    f["start"] += offset
    f["end"] += offset
    f["sentence"] = sent
    return f


def _date_like_spans(sent: str) -> list[tuple[int, int]]:
    """Bare d/m and d.m.yyyy strings that are dates even without a trigger word."""
    return [m.span() for m in _DATE_LIKE.finditer(sent)]


def extract_article(article: Article) -> list[dict]:
    """Facts of one read article (its metadata gives the year and the default scope)."""
    return extract(article.text, published=article.published, title=article.title,
                   source=article.source)
