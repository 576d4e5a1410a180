"""reform-facts: facts from Vietnamese press articles about administrative reform.

The public API mirrors the command line::

    import extractor
    for article in extractor.read(["articles/"]):      # reading + normalising
        facts = extractor.extract_article(article)     # every fact kind
    extractor.ingest(["articles/"], "reform-facts.db")  # into SQLite
    extractor.extract("Năm 2023, tỉnh tiếp nhận 1.200 hồ sơ", published="2024-01-10")

Heavy modules (underthesea, spaCy, trafilatura) are imported lazily, so
``import extractor`` and the CLI start fast.
"""
from __future__ import annotations

from .article import Article, FACT_COLUMNS, FACT_KINDS

__all__ = [
    "Article",
    "FACT_COLUMNS",
    "FACT_KINDS",
    "read",
    "extract",
    "extract_article",
    "ingest",
    "evaluate",
    "check",
    "digest",
]

_LAZY = {
    "read": ("reading", "iter_articles"),
    "extract": ("pipeline", "extract"),
    "extract_article": ("pipeline", "extract_article"),
    "ingest": ("store", "ingest"),
    "evaluate": ("evaluate", "evaluate_dir"),
    "check": ("claims", "check"),
    "digest": ("digest", "write_digest"),
}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        return getattr(importlib.import_module(f".{module}", __name__), attr)
    raise AttributeError(f"module 'extractor' has no attribute {name!r}")
