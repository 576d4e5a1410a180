"""Score extracted facts against gold files (../shared/spec/facts.md, "How output is scored").

Entry points::

    report = evaluate_dir("corpus/dev")            # every *.gold.json under the folder
    print(report.format(errors=True))
    report = score(gold_dict, predicted_facts)     # one article, no files involved

Scoring rules, per kind and micro-averaged over all articles:

* ``figure`` is scored twice. *typed*: same ``metric``, same ``unit``, same
  ``value`` and, when the gold ``total`` is not null, the same ``total``.
  *detected*: same unit class (``percent`` or not) and same ``value``, whatever
  the metric and total. Numbers are compared with
  ``math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-6)``.
* ``official``: same ``name`` after folding case, whitespace, Unicode
  normalisation and tone-mark placement (``Thuỷ`` = ``Thủy``).
* ``date``: same ``date`` string.
* ``legal_ref``: same ``ref`` after folding case and removing all whitespace.

Matching. Within one article and one kind, gold and predicted facts form a
bipartite graph (an edge where the match key agrees). The matching chosen is
a maximum-weight one with lexicographic priorities: (1) as many *required*
gold facts matched as possible, (2) then as many matches in total as possible
(optional gold facts soak up predictions), (3) then as many agreeing secondary
fields as possible: scope and period for figures (and metric first for
detected figures), role for officials and dates, doc_type for legal refs. So
each gold fact matches at most one prediction and vice versa, required facts
are served before optional ones, and when several predictions share a key the
pairing that makes scope/period/role agree is preferred. This is the optimum
a greedy pass approximates; greedy passes can go wrong where match keys
overlap (a gold figure with ``total`` null accepts predictions with any total).

Counting. A matched required gold fact is a true positive; an unmatched
required gold fact a false negative (a *miss*); a prediction matched to an
optional gold fact counts nothing (neither TP nor FP); an unmatched optional
gold fact counts nothing; an unmatched prediction is a false positive (an
*extra*). Predictions whose ``kind`` is not one of the four fact kinds are
ignored. Precision, recall and F1 are 0.0 when their denominator is 0 (no
predictions, no gold, or both), never 1.0.

Accuracies. ``scope`` and ``period`` accuracy are computed over every
*typed*-matched figure pair, required and optional alike (the typed pairing
is the reliable one: a detected pair can join two different facts that share
a value). Scope is compared folded like names; period by exact string
equality, and a gold null period counts (the prediction must be null too).
``role`` accuracy is computed over every matched official pair: the predicted
``title`` (its ``role`` when it has no title) must contain the gold ``role``
as a whole-word sequence after folding, with ``UBND`` and ``Ủy ban nhân dân``
read as one. An accuracy with no pairs is ``None`` (shown as ``-``).
"""
from __future__ import annotations

import json
import math
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from .article import Article
from .errors import ReadError

#: Score rows, in display order: key -> label.
SCORE_KINDS = {
    "figure_typed": "figure (typed)",
    "figure_detected": "figure (detected)",
    "official": "official",
    "date": "date",
    "legal_ref": "legal_ref",
}
#: Gold list name -> fact kind.
GOLD_LISTS = {"figures": "figure", "officials": "official", "dates": "date", "legal_refs": "legal_ref"}
ARTICLE_SUFFIXES = (".txt", ".html", ".htm", ".md", ".jsonl", ".json")

# --------------------------------------------------------------------------- folding

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # huyền, sắc, ngã, hỏi, nặng


def _fold_syllable(word: str) -> str:
    """One word with its tone mark moved to the end, so its placement does not matter."""
    decomposed = unicodedata.normalize("NFD", word)
    tones = sorted(ch for ch in decomposed if ch in _TONES)
    base = "".join(ch for ch in decomposed if ch not in _TONES)
    return unicodedata.normalize("NFC", base) + "".join(tones)


def fold_text(text: str | None) -> str:
    """Fold case, whitespace, Unicode form and tone-mark placement (``Hoà`` = ``Hòa``)."""
    if text is None:
        return ""
    text = unicodedata.normalize("NFC", str(text)).casefold()
    return " ".join(_fold_syllable(w) for w in text.split())


fold_name = fold_text

_UBND_LONG = fold_text("Ủy ban nhân dân")


def fold_role(text: str | None) -> str:
    """Fold like names, drop punctuation, and read ``Ủy ban nhân dân`` as ``UBND``."""
    if text is None:
        return ""
    text = "".join(" " if unicodedata.category(ch)[0] in "PS" else ch
                   for ch in unicodedata.normalize("NFC", str(text)))
    return f" {fold_text(text)} ".replace(f" {_UBND_LONG} ", " ubnd ").strip()


def role_matches(predicted_title: str | None, gold_role: str | None) -> bool:
    """The predicted title contains the gold role as a sequence of whole words (folded)."""
    title = fold_role(predicted_title).split()
    role = fold_role(gold_role).split()
    if not role or not title:
        return False
    n = len(role)
    return any(title[i:i + n] == role for i in range(len(title) - n + 1))


def fold_ref(ref: str | None) -> str:
    """A legal reference with case folded and every space removed."""
    if ref is None:
        return ""
    return "".join(unicodedata.normalize("NFC", str(ref)).casefold().split())


def _num(x: Any) -> float | None:
    if x is None or isinstance(x, bool):
        return None
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def same_number(a: Any, b: Any) -> bool:
    """Two numbers equal within ``rel_tol=1e-9, abs_tol=1e-6``; False when either is missing."""
    x, y = _num(a), _num(b)
    return x is not None and y is not None and math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-6)


# --------------------------------------------------------------------------- match keys

def _typed_key(g: dict, p: dict) -> bool:
    if p.get("metric") != g.get("metric") or p.get("unit") != g.get("unit"):
        return False
    if not same_number(p.get("value"), g.get("value")):
        return False
    if g.get("total") is not None and not same_number(p.get("total"), g.get("total")):
        return False
    return True


def _detected_key(g: dict, p: dict) -> bool:
    return ((p.get("unit") == "percent") == (g.get("unit") == "percent")
            and p.get("unit") is not None
            and same_number(p.get("value"), g.get("value")))


def _scope_ok(g: dict, p: dict) -> bool:
    return fold_text(p.get("scope")) == fold_text(g.get("scope"))


def _period_ok(g: dict, p: dict) -> bool:
    return p.get("period") == g.get("period")


def _official_title(p: dict) -> str | None:
    return p.get("title") or p.get("role")


_KEYS: dict[str, Callable[[dict, dict], bool]] = {
    "figure_typed": _typed_key,
    "figure_detected": _detected_key,
    "official": lambda g, p: bool(fold_name(g.get("name"))) and fold_name(g.get("name")) == fold_name(p.get("name")),
    "date": lambda g, p: g.get("date") is not None and str(p.get("date")) == str(g.get("date")),
    "legal_ref": lambda g, p: bool(fold_ref(g.get("ref"))) and fold_ref(g.get("ref")) == fold_ref(p.get("ref")),
}

# secondary agreement used to break ties between equal-key candidates: (score fn, max score)
_AGREE: dict[str, tuple[Callable[[dict, dict], int], int]] = {
    "figure_typed": (lambda g, p: _scope_ok(g, p) + _period_ok(g, p), 2),
    "figure_detected": (lambda g, p: 3 * (p.get("metric") == g.get("metric"))
                        + _scope_ok(g, p) + _period_ok(g, p), 5),
    "official": (lambda g, p: int(role_matches(_official_title(p), g.get("role"))), 1),
    "date": (lambda g, p: int(p.get("role") == g.get("role")), 1),
    "legal_ref": (lambda g, p: int(fold_text(p.get("doc_type")) == fold_text(g.get("doc_type"))), 1),
}

_FACT_KIND = {"figure_typed": "figure", "figure_detected": "figure", "official": "official",
              "date": "date", "legal_ref": "legal_ref"}


# --------------------------------------------------------------------------- matching

def _hungarian(cost: list[list[int]]) -> list[int]:
    """Minimum-cost assignment of every row to a distinct column (rows <= columns)."""
    n, m = len(cost), len(cost[0])
    inf = float("inf")
    u = [0] * (n + 1)
    v = [0] * (m + 1)
    p = [0] * (m + 1)
    way = [0] * (m + 1)
    for i in range(1, n + 1):
        p[0] = i
        j0 = 0
        minv = [inf] * (m + 1)
        used = [False] * (m + 1)
        while True:
            used[j0] = True
            i0 = p[j0]
            delta = inf
            j1 = 0
            row = cost[i0 - 1]
            for j in range(1, m + 1):
                if not used[j]:
                    cur = row[j - 1] - u[i0] - v[j]
                    if cur < minv[j]:
                        minv[j] = cur
                        way[j] = j0
                    if minv[j] < delta:
                        delta = minv[j]
                        j1 = j
            for j in range(m + 1):
                if used[j]:
                    u[p[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if p[j0] == 0:
                break
        while True:
            j1 = way[j0]
            p[j0] = p[j1]
            j0 = j1
            if j0 == 0:
                break
    result = [-1] * n
    for j in range(1, m + 1):
        if p[j]:
            result[p[j] - 1] = j - 1
    return result


def match(gold: list[dict], predicted: list[dict], key: Callable[[dict, dict], bool],
          agree: Callable[[dict, dict], int] | None = None, max_agree: int = 0) -> list[tuple[int, int]]:
    """Pairs ``(gold index, predicted index)`` of the best matching (see the module docstring)."""
    edges: dict[tuple[int, int], int] = {}
    for gi, g in enumerate(gold):
        for pi, p in enumerate(predicted):
            if key(g, p):
                edges[gi, pi] = agree(g, p) if agree else 0
    if not edges:
        return []
    rows = sorted({gi for gi, _ in edges})
    cols = sorted({pi for _, pi in edges})
    n = min(len(rows), len(cols))
    tier_total = max_agree * n + 1                 # one more match beats any agreement
    tier_required = tier_total * n + max_agree * n + 1  # one more required match beats everything
    col_index = {pi: c for c, pi in enumerate(cols)}
    width = len(cols) + len(rows)                  # dummy columns: a row may stay unmatched
    cost = [[0] * width for _ in rows]
    for r, gi in enumerate(rows):
        required = not gold[gi].get("optional")
        for pi in cols:
            if (gi, pi) in edges:
                cost[r][col_index[pi]] = -(tier_required * required + tier_total + edges[gi, pi])
    assignment = _hungarian(cost)
    pairs = []
    for r, c in enumerate(assignment):
        if 0 <= c < len(cols) and (rows[r], cols[c]) in edges:
            pairs.append((rows[r], cols[c]))
    return sorted(pairs)


# --------------------------------------------------------------------------- results

def _ratio(num: int, den: int) -> float:
    return num / den if den else 0.0


@dataclass
class Counts:
    """True positives, false positives and false negatives of one kind."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        """tp / (tp + fp); 0.0 when nothing was predicted."""
        return _ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float:
        """tp / (tp + fn); 0.0 when there is no required gold fact."""
        return _ratio(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: "Counts") -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    def as_dict(self) -> dict:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": self.precision,
                "recall": self.recall, "f1": self.f1}


@dataclass
class Accuracy:
    """``correct`` out of ``n`` matched pairs; ``value`` is None when n is 0."""

    correct: int = 0
    n: int = 0

    @property
    def value(self) -> float | None:
        return self.correct / self.n if self.n else None

    def add(self, other: "Accuracy") -> None:
        self.correct += other.correct
        self.n += other.n

    def as_dict(self) -> dict:
        return {"correct": self.correct, "n": self.n, "accuracy": self.value}


@dataclass
class FactError:
    """A miss (gold fact with no match), an extra (prediction with no match), or a
    matched figure whose scope or period differs from gold (``fact`` is the gold
    figure, ``note`` what was predicted).

    ``kind`` is a score key of :data:`SCORE_KINDS`; ``fact`` the gold or predicted
    dict; ``note`` says, for figures, whether the other level matched.
    """

    file: str
    kind: str
    error: str  # "miss", "extra", or "scope"/"period"/"role" for a matched fact that got that field wrong
    fact: dict
    text: str | None = None
    sentence: str | None = None
    note: str | None = None

    def describe(self) -> str:
        return describe_fact(_FACT_KIND[self.kind], self.fact)

    def as_dict(self) -> dict:
        return {"file": self.file, "kind": self.kind, "error": self.error, "fact": _jsonable(self.fact),
                "text": self.text, "sentence": self.sentence, "note": self.note}


def _new_counts() -> dict[str, Counts]:
    return {k: Counts() for k in SCORE_KINDS}


@dataclass
class ArticleResult:
    """The scores of one article."""

    file: str
    counts: dict[str, Counts] = field(default_factory=_new_counts)
    scope: Accuracy = field(default_factory=Accuracy)
    period: Accuracy = field(default_factory=Accuracy)
    role: Accuracy = field(default_factory=Accuracy)
    misses: list[FactError] = field(default_factory=list)
    extras: list[FactError] = field(default_factory=list)
    mismatches: list[FactError] = field(default_factory=list)  # matched figures with a wrong scope or period
    n_predicted: int = 0

    def as_dict(self) -> dict:
        return {"file": self.file, "n_predicted": self.n_predicted,
                "counts": {k: c.as_dict() for k, c in self.counts.items()},
                "scope_accuracy": self.scope.as_dict(), "period_accuracy": self.period.as_dict(),
                "role_accuracy": self.role.as_dict()}


@dataclass
class EvalReport:
    """Micro-averaged scores over articles, the per-article breakdown and every error."""

    directory: str | None = None
    articles: list[ArticleResult] = field(default_factory=list)
    counts: dict[str, Counts] = field(default_factory=_new_counts)
    scope: Accuracy = field(default_factory=Accuracy)
    period: Accuracy = field(default_factory=Accuracy)
    role: Accuracy = field(default_factory=Accuracy)
    misses: list[FactError] = field(default_factory=list)
    extras: list[FactError] = field(default_factory=list)
    mismatches: list[FactError] = field(default_factory=list)

    @classmethod
    def from_articles(cls, articles: list[ArticleResult], directory: str | None = None) -> "EvalReport":
        report = cls(directory=directory, articles=list(articles))
        for art in report.articles:
            for k, c in art.counts.items():
                report.counts[k].add(c)
            report.scope.add(art.scope)
            report.period.add(art.period)
            report.role.add(art.role)
            report.misses.extend(art.misses)
            report.extras.extend(art.extras)
            report.mismatches.extend(art.mismatches)
        return report

    # convenient accessors
    def precision(self, kind: str) -> float:
        return self.counts[kind].precision

    def recall(self, kind: str) -> float:
        return self.counts[kind].recall

    def f1(self, kind: str) -> float:
        return self.counts[kind].f1

    def as_dict(self) -> dict:
        """Everything in the report as JSON-serialisable data."""
        return {
            "directory": self.directory,
            "n_articles": len(self.articles),
            "counts": {k: c.as_dict() for k, c in self.counts.items()},
            "scope_accuracy": self.scope.as_dict(),
            "period_accuracy": self.period.as_dict(),
            "role_accuracy": self.role.as_dict(),
            "articles": [a.as_dict() for a in self.articles],
            "misses": [e.as_dict() for e in self.misses],
            "extras": [e.as_dict() for e in self.extras],
            "mismatches": [e.as_dict() for e in self.mismatches],
        }

    def format(self, errors: bool = False) -> str:
        """A plain-text table of the scores; with ``errors``, every miss and extra by article."""
        where = f" in {self.directory}" if self.directory else ""
        n = len(self.articles)
        lines = [f"reform-facts eval: {n} article{'s' if n != 1 else ''}{where}", ""]
        label_w = max(len(x) for x in list(SCORE_KINDS.values()) + ["period accuracy"])
        lines.append(f"{'kind':<{label_w}}  {'P':>6}  {'R':>6}  {'F1':>6}  {'tp':>5} {'fp':>5} {'fn':>5}")
        lines.append("-" * len(lines[-1]))
        for k, label in SCORE_KINDS.items():
            c = self.counts[k]
            lines.append(f"{label:<{label_w}}  {c.precision:6.3f}  {c.recall:6.3f}  {c.f1:6.3f}"
                         f"  {c.tp:5d} {c.fp:5d} {c.fn:5d}")
        lines.append("")
        for label, acc in (("scope accuracy", self.scope), ("period accuracy", self.period),
                           ("role accuracy", self.role)):
            value = f"{acc.value:6.3f}" if acc.value is not None else f"{'-':>6}"
            lines.append(f"{label:<{label_w}}  {value}  ({acc.correct}/{acc.n})")
        if errors:
            lines.append("")
            lines.extend(self._format_errors())
        return "\n".join(lines)

    def _format_errors(self) -> list[str]:
        out = []
        shown = [k for k in SCORE_KINDS if k != "figure_detected"]  # detected status is in the notes
        for art in self.articles:
            errs = [e for e in art.misses + art.extras + art.mismatches if e.kind in shown]
            if not errs:
                continue
            out.append(f"== {art.file}")
            order = ("miss", "extra", "scope", "period", "role")
            errs.sort(key=lambda e: (shown.index(e.kind), order.index(e.error)))
            for e in errs:
                head = f"  {e.error:<5} {_FACT_KIND[e.kind]:<9} {e.describe()}"
                if e.note:
                    head += f"  [{e.note}]"
                out.append(head)
                if e.text:
                    out.append(f"        text: {e.text}")
                if e.sentence:
                    out.append(f"        sentence: {e.sentence}")
            out.append("")
        if not out:
            out.append("no errors")
        return out

    def __str__(self) -> str:
        return self.format()


# --------------------------------------------------------------------------- description helpers

def _fmt_num(v: Any) -> str:
    x = _num(v)
    if x is None:
        return str(v)
    return str(int(x)) if x.is_integer() else repr(x)


def describe_fact(kind: str, fact: dict) -> str:
    """A short one-line rendering of a fact's match fields."""
    if kind == "figure":
        s = f"{fact.get('metric')} {_fmt_num(fact.get('value'))}"
        if fact.get("total") is not None:
            s += f"/{_fmt_num(fact.get('total'))}"
        s += f" {fact.get('unit')}"
        extra = [str(fact.get(k)) for k in ("scope", "period") if fact.get(k)]
        if extra:
            s += f" ({', '.join(extra)})"
        if fact.get("optional"):
            s += " optional"
        return s
    if kind == "official":
        return f"{fact.get('name')}, {fact.get('title') or fact.get('role')}"
    if kind == "date":
        return f"{fact.get('date')} ({fact.get('role')})"
    if kind == "legal_ref":
        return f"{fact.get('ref')} ({fact.get('doc_type')})"
    return json.dumps(_jsonable(fact), ensure_ascii=False)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, (str, int, bool)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    return str(value)


_SENT_END = re.compile(r"[.!?…]\s|\n")


def find_sentence(text: str | None, needle: str | None) -> str | None:
    """The sentence of ``text`` holding ``needle`` (case-insensitive), or None."""
    if not text or not needle:
        return None
    folded = text.casefold()
    needle = unicodedata.normalize("NFC", needle).casefold()
    pos = folded.find(needle)
    if pos < 0:  # an abridged gold span ("Tỷ lệ ... đạt 73,2%"): look for its longest piece
        needle = max((part.strip() for part in re.split(r"\.\.\.|…", needle)), key=len)
        pos = folded.find(needle) if len(needle) >= 8 else -1
    if pos < 0:
        return None
    start = 0
    for m in _SENT_END.finditer(text, 0, pos):
        start = m.end()
    m = _SENT_END.search(text, pos + len(needle))
    end = m.start() + 1 if m else len(text)
    return text[start:end].strip()


# --------------------------------------------------------------------------- scoring one article

def _gold_items(gold: dict, kind: str) -> list[dict]:
    for list_name, k in GOLD_LISTS.items():
        if k == kind:
            return [g for g in (gold.get(list_name) or []) if isinstance(g, dict)]
    return []


def _annotate_figure_errors(result: ArticleResult, golds: list[dict], preds: list[dict],
                            detected: dict[int, int]) -> None:
    """Note on each typed figure error whether its number was detected, then drop the indices."""
    detected_pred = {pi: gi for gi, pi in detected.items()}
    for e in result.misses + result.extras:
        if e.kind != "figure_typed" or "_index" not in e.fact:
            continue
        i = e.fact.pop("_index")
        if e.error == "miss":
            if i not in detected:
                e.note = "number not detected"
                continue
            p = preds[detected[i]]
            if p.get("metric") == e.fact.get("metric") and p.get("unit") == e.fact.get("unit"):
                e.note = f"number detected, total {_fmt_num(p.get('total'))} predicted"
            else:
                e.note = f"number detected as {p.get('metric')} {p.get('unit')}"
        elif i in detected_pred:
            g = golds[detected_pred[i]]
            e.note = f"number is gold {g.get('metric')} {g.get('unit')}" + (" (optional)" if g.get("optional") else "")


def score_article(gold: dict, predicted: Iterable[dict], file: str | None = None,
                  article_text: str | None = None) -> ArticleResult:
    """Score one article's predictions against its gold dict."""
    predicted = [p for p in predicted if isinstance(p, dict)]
    file = file or gold.get("file") or "?"
    result = ArticleResult(file=file, n_predicted=len(predicted))
    by_kind = {k: [p for p in predicted if p.get("kind") == k] for k in GOLD_LISTS.values()}
    for score_kind in SCORE_KINDS:
        kind = _FACT_KIND[score_kind]
        golds, preds = _gold_items(gold, kind), by_kind[kind]
        agree, max_agree = _AGREE[score_kind]
        pairs = match(golds, preds, _KEYS[score_kind], agree, max_agree)
        counts = result.counts[score_kind]
        matched_gold = {gi for gi, _ in pairs}
        matched_pred = {pi for _, pi in pairs}
        counts.tp = sum(1 for gi, _ in pairs if not golds[gi].get("optional"))
        counts.fn = sum(1 for gi, g in enumerate(golds) if not g.get("optional") and gi not in matched_gold)
        counts.fp = len(preds) - len(matched_pred)
        if score_kind == "figure_typed":
            for gi, pi in pairs:
                g, p = golds[gi], preds[pi]
                result.scope.n += 1
                result.scope.correct += _scope_ok(g, p)
                result.period.n += 1
                result.period.correct += _period_ok(g, p)
                for field_name, ok in (("scope", _scope_ok), ("period", _period_ok)):
                    if not ok(g, p):
                        result.mismatches.append(FactError(
                            file=file, kind=score_kind, error=field_name, fact=dict(g), text=g.get("text"),
                            sentence=p.get("sentence") or find_sentence(article_text, g.get("text")),
                            note=f"predicted {field_name} {p.get(field_name)}"))
        elif score_kind == "figure_detected":
            _annotate_figure_errors(result, golds, preds, dict(pairs))
        elif score_kind == "official":
            for gi, pi in pairs:
                result.role.n += 1
                ok = role_matches(_official_title(preds[pi]), golds[gi].get("role"))
                result.role.correct += ok
                if not ok:
                    result.mismatches.append(FactError(
                        file=file, kind=score_kind, error="role", fact=dict(golds[gi]),
                        text=preds[pi].get("text"), sentence=preds[pi].get("sentence"),
                        note=f"gold role {golds[gi].get('role')!r} not in predicted title {_official_title(preds[pi])!r}"))
        for gi, g in enumerate(golds):
            if g.get("optional") or gi in matched_gold:
                continue
            needle = g.get("text") or g.get("name") or g.get("ref")
            fact = dict(g, _index=gi) if score_kind == "figure_typed" else dict(g)
            result.misses.append(FactError(file=file, kind=score_kind, error="miss", fact=fact,
                                           text=g.get("text"), sentence=find_sentence(article_text, needle)))
        for pi, p in enumerate(preds):
            if pi in matched_pred:
                continue
            fact = dict(p, _index=pi) if score_kind == "figure_typed" else dict(p)
            result.extras.append(FactError(file=file, kind=score_kind, error="extra", fact=fact,
                                           text=p.get("text"), sentence=p.get("sentence")))
    return result


def score(gold: dict, predicted: Iterable[dict], article_text: str | None = None) -> EvalReport:
    """Score one article (a gold dict as in a ``.gold.json``) against predicted fact dicts."""
    return EvalReport.from_articles([score_article(gold, predicted, article_text=article_text)])


def gold_to_predictions(gold: dict) -> list[dict]:
    """The gold facts of ``gold`` as prediction dicts (an oracle extractor's output)."""
    out = []
    for list_name, kind in GOLD_LISTS.items():
        for g in gold.get(list_name) or []:
            fact = {k: v for k, v in g.items() if k != "optional"}
            fact["kind"] = kind
            fact.setdefault("text", fact.get("name") or fact.get("ref"))
            fact.setdefault("sentence", None)
            out.append(fact)
    return out


# --------------------------------------------------------------------------- files

def _load_gold(path: Path) -> dict:
    try:
        with open(path, encoding="utf-8") as fh:
            gold = json.load(fh)
    except (OSError, ValueError) as exc:
        raise ReadError(str(path), f"cannot read gold file: {exc}") from exc
    if not isinstance(gold, dict):
        raise ReadError(str(path), "gold file is not a JSON object")
    return gold


def find_article_file(gold_path: Path, gold: dict) -> Path:
    """The article a gold file annotates: its ``file`` field, else NAME.txt/.html/.md beside it."""
    if gold.get("file"):
        candidate = gold_path.parent / str(gold["file"])
        if candidate.is_file():
            return candidate
    stem = gold_path.name[: -len(".gold.json")]
    for suffix in ARTICLE_SUFFIXES:
        candidate = gold_path.parent / f"{stem}{suffix}"
        if candidate.is_file():
            return candidate
    raise ReadError(str(gold_path), "no article file found for this gold file")


def read_article(path: Path, root: Path | None = None, gold: dict | None = None) -> Article:
    """Read an article with ``extractor.reading.read_file``; a bare text read if that module is absent."""
    try:
        from .reading import read_file
    except ModuleNotFoundError as exc:
        if exc.name not in ("extractor.reading", f"{__package__}.reading"):
            raise
        read_file = None
    if read_file is not None:
        articles = read_file(str(path), root=str(root) if root is not None else None)
        if not articles:
            raise ReadError(str(path), "no article in file")
        return articles[0]
    try:
        raw = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise ReadError(str(path), str(exc)) from exc
    rel = str(path.relative_to(root)) if root is not None and path.is_relative_to(root) else str(path)
    published = (gold or {}).get("published")  # fallback only: the reader is not there yet
    return Article(path=rel, text=unicodedata.normalize("NFC", raw), published=published)


def _gold_files(source: Any) -> list[tuple[Path, Path]]:
    """(gold path, root) for a folder, a gold file, or an article file with its gold beside it."""
    p = Path(source)
    if p.is_dir():
        return [(g, p) for g in sorted(p.rglob("*.gold.json"))]
    if p.name.endswith(".gold.json") and p.is_file():
        return [(p, p.parent)]
    beside = p.with_name(p.name.rsplit(".", 1)[0] + ".gold.json") if "." in p.name else None
    if beside is not None and beside.is_file():
        return [(beside, p.parent)]
    raise ReadError(str(p), "not a folder, a .gold.json file or an article with a gold file beside it")


def evaluate_dir(path: Any, extract_fn: Callable[[Article], list[dict]] | None = None) -> EvalReport:
    """Evaluate ``extract_fn`` (default ``extractor.pipeline.extract_article``) on gold files.

    ``path`` is a folder (every ``*.gold.json`` under it), one gold file, an
    article with its gold beside it, or a list of any of these; a list item may
    also be a ready ``(gold_dict, Article)`` pair. The article is read with
    ``extractor.reading.read_file`` so its metadata comes from the article.
    Exceptions of ``extract_fn`` propagate.
    """
    if extract_fn is None:
        from .pipeline import extract_article as extract_fn
    items = [path] if isinstance(path, (str, Path)) else list(path)
    pairs: list[tuple[dict, Article, str]] = []
    for item in items:
        if isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], dict):
            gold, article = item
            pairs.append((gold, article, str(gold.get("file") or article.path)))
            continue
        found = _gold_files(item)
        if not found and Path(item).is_dir():
            raise ReadError(str(item), "no *.gold.json files found")
        for gold_path, root in found:
            gold = _load_gold(gold_path)
            article_path = find_article_file(gold_path, gold)
            article = read_article(article_path, root=root, gold=gold)
            rel = article_path.relative_to(root) if article_path.is_relative_to(root) else article_path
            pairs.append((gold, article, str(rel)))
    results = [score_article(gold, list(extract_fn(article) or []), file=name, article_text=article.text)
               for gold, article, name in pairs]
    directory = str(path) if isinstance(path, (str, Path)) else None
    return EvalReport.from_articles(results, directory=directory)


__all__ = ["EvalReport", "ArticleResult", "Counts", "Accuracy", "FactError", "evaluate_dir", "score",
           "score_article", "match", "fold_name", "fold_text", "fold_role", "fold_ref", "role_matches",
           "same_number", "gold_to_predictions", "find_article_file", "read_article", "describe_fact"]
