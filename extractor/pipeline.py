"""Extraction entry points: text in, facts out (filled in by the extraction modules)."""
from __future__ import annotations

from .article import Article


def extract(text: str, published: str | None = None, title: str | None = None,
            source: str | None = None) -> list[dict]:
    """Every fact in ``text``: dicts with ``kind``, ``text``, ``sentence``, ``start``, ``end`` and the kind's fields."""
    return []


def extract_article(article: Article) -> list[dict]:
    """Facts of one read article (its metadata gives the year and the default scope)."""
    return extract(article.text, published=article.published, title=article.title,
                   source=article.source)
