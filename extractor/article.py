"""The records that flow through the pipeline: an article and its facts.

Field names follow ../shared/spec/facts.md, which is the contract between the
extractor, the store, the gold files and the people who read the output.
"""
from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field

FACT_KINDS = ("figure", "official", "date", "legal_ref")

#: Columns of the ``facts`` table, in order. Every fact dict carries the
#: common columns; kind-specific ones are None where a kind has no such field.
FACT_COMMON = ("kind", "text", "sentence", "start", "end")
FACT_FIELDS = {
    "figure": ("metric", "value", "unit", "total", "approx", "scope", "period"),
    "official": ("name", "title", "organization", "role"),
    "date": ("date", "role"),
    "legal_ref": ("ref", "doc_type"),
}
FACT_COLUMNS = FACT_COMMON + tuple(
    dict.fromkeys(col for cols in FACT_FIELDS.values() for col in cols)
)


def article_id(text: str) -> str:
    """Stable article id: the first 16 hex chars of sha256 of the cleaned text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass
class Article:
    """One article as read and cleaned: metadata plus the body ``text``.

    ``text`` is the cleaned body (headline first when known), normalised; every
    fact's ``start``/``end`` are offsets into it.
    """

    path: str
    text: str
    title: str | None = None
    published: str | None = None  # ISO YYYY-MM-DD, or YYYY-MM when only the month is known
    source: str | None = None
    author: str | None = None
    id: str = field(default="")

    def __post_init__(self) -> None:
        if not self.id:
            self.id = article_id(self.text)

    def to_dict(self) -> dict:
        return asdict(self)


def fact_row(fact: dict) -> dict:
    """A fact dict with every column of the ``facts`` table present."""
    return {col: fact.get(col) for col in FACT_COLUMNS}
