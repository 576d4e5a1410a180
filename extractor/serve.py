"""Browse a reform-facts database in Datasette (the optional ``serve`` extra).

    from extractor.serve import metadata, serve
    serve("reform-facts.db", port=8001)      # blocks; runs `python -m datasette serve ...`

:func:`metadata` builds Datasette metadata for one database: descriptions of
the ``articles`` and ``facts`` tables and their columns, and four canned
queries: ``figures_for_province`` (``scope``), ``metric_across_provinces``
(``metric``), ``official`` (``name``) and ``search_articles`` (``q``, full text
over ``articles_fts``). The server binds to a loopback address only.
"""
from __future__ import annotations

import importlib.util
import json
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from .errors import ReformFactsError

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
NOT_INSTALLED = "datasette is not installed; pip install '.[serve]'"


class ServeError(ReformFactsError):
    """Datasette is missing, or the server cannot be started as asked."""


ARTICLE_COLUMNS = {
    "id": "Primary key: first 16 hex characters of sha256 of the cleaned text",
    "path": "File the article was read from, relative to the folder that was ingested",
    "title": "Headline",
    "published": "Publication date, ISO YYYY-MM-DD (or YYYY-MM when only the month is known)",
    "source": "Outlet or URL when known (URL: header, canonical link, 'Trích theo ...')",
    "author": "Byline when present",
    "text": "Cleaned body text (Unicode NFC); facts.start/end are offsets into it",
    "file_hash": "Content hash of the record as read (bookkeeping for re-runs)",
    "ingested_at": "When the article was stored (UTC)",
    "extractor_version": "Version of the extractor that produced its facts",
}

FACT_COLUMNS = {
    "id": "Fact number",
    "article_id": "The article (articles.id) the fact comes from",
    "kind": "figure, official, date or legal_ref",
    "text": "The exact words in the article that state the fact",
    "sentence": "The sentence containing it",
    "start": "Character offset of text in articles.text",
    "end": "End offset (exclusive) of text in articles.text",
    "metric": "figure: <object>.<action>, e.g. dossier.on_time, procedure.simplified, index.rank",
    "value": "figure: the number (1.012 → 1012, 73,2% → 73.2)",
    "unit": "figure: count, percent, score, rank or day",
    "total": "figure: denominator of x/y forms (13/17 nhiệm vụ → 17), else null",
    "approx": "figure: exact, over (hơn, trên), under (dưới, gần) or about (khoảng)",
    "scope": "figure: whose figure: a province (Quảng Ninh), a ministry (Bộ Tài chính) or Việt Nam",
    "period": "figure: ISO 8601 interval start/end the figure covers, or null",
    "name": "official: full name as written",
    "title": "official: position as written",
    "organization": "official: the body, with its place (UBND tỉnh Đắk Lắk)",
    "role": "official: head of the title (Phó Chủ tịch UBND tỉnh); date: event, deadline or other",
    "date": "date: ISO YYYY-MM-DD",
    "ref": "legal_ref: document number NUMBER/YEAR/TYPE (61/2018/NĐ-CP)",
    "doc_type": "legal_ref: Nghị định, Quyết định, Nghị quyết, Thông tư, ...",
}

QUERIES = {
    "figures_for_province": {
        "title": "Figures for a province",
        "description": "Every figure whose scope is the given province or body (exact name, e.g. Thanh Hóa), "
                       "with its period, article and source sentence.",
        "sql": """select f.metric, f.value, f.unit, f.approx, f.total, f.period, f.text,
       a.published, a.title as article, a.source, f.sentence, f.article_id
from facts f join articles a on a.id = f.article_id
where f.kind = 'figure' and f.scope = :scope
order by f.metric, a.published, f.period""",
    },
    "metric_across_provinces": {
        "title": "One metric across provinces and months",
        "description": "A metric (e.g. dossier.on_time) grouped by scope and month of publication: "
                       "how many figures, and their range and mean.",
        "sql": """select f.scope, substr(a.published, 1, 7) as month, f.unit,
       count(*) as figures, min(f.value) as min_value, max(f.value) as max_value,
       round(avg(f.value), 2) as mean_value, count(distinct f.article_id) as articles
from facts f join articles a on a.id = f.article_id
where f.kind = 'figure' and f.metric = :metric
group by f.scope, month, f.unit
order by f.scope, month""",
    },
    "official": {
        "title": "Everything said by or about an official",
        "description": "The official facts for a name (or part of one), and every figure reported in "
                       "the same articles.",
        "sql": """with mentions as (
  select distinct article_id from facts
  where kind = 'official' and name like '%' || :name || '%'
)
select 'official' as what, a.published, a.title as article, o.name, o.title, o.organization, o.role,
       null as metric, null as value, null as unit, null as scope, null as period, o.sentence, o.article_id
from facts o join articles a on a.id = o.article_id
where o.kind = 'official' and o.name like '%' || :name || '%'
union all
select 'figure', a.published, a.title, null, null, null, null,
       f.metric, f.value, f.unit, f.scope, f.period, f.sentence, f.article_id
from facts f join articles a on a.id = f.article_id
where f.kind = 'figure' and f.article_id in (select article_id from mentions)
order by 2, 14, 1 desc""",
    },
    "search_articles": {
        "title": "Full-text search over articles",
        "description": "SQLite FTS query over title and text (e.g. số hóa, \"một cửa\", PAR OR SIPAS).",
        "sql": """select a.id, a.published, a.title, a.source,
       snippet(articles_fts, 1, '[', ']', ' … ', 16) as snippet
from articles_fts join articles a on a.rowid = articles_fts.rowid
where articles_fts match :q
order by rank
limit 100""",
    },
}


def database_name(db) -> str:
    """The name Datasette gives a database file: its stem."""
    return Path(db).stem


def metadata(db) -> dict:
    """Datasette metadata (titles, descriptions, canned queries) for database ``db``."""
    return {
        "title": "reform-facts",
        "description": "Facts extracted from Vietnamese press articles about administrative reform "
                       "(cải cách hành chính): figures, officials, dates and legal references, each "
                       "with the sentence that supports it.",
        "license": "GPL-3.0-or-later",
        "databases": {
            database_name(db): {
                "description": "articles: one row per distinct article; facts: one row per fact, "
                               "columns null where a kind has no such field.",
                "tables": {
                    "articles": {"description": "One row per distinct article text.",
                                 "columns": ARTICLE_COLUMNS},
                    "facts": {"description": "One row per fact (figure, official, date, legal_ref), "
                                             "with the exact words and offsets that support it.",
                              "columns": FACT_COLUMNS},
                    "files": {"description": "Each path read, and the article its text is stored as."},
                    "meta": {"description": "Schema version.", "hidden": True},
                },
                "queries": QUERIES,
            }
        },
    }


def datasette_available() -> bool:
    return importlib.util.find_spec("datasette") is not None


def _datasette_major() -> int:
    from importlib.metadata import version

    try:
        return int(version("datasette").split(".")[0])
    except Exception:  # pragma: no cover - odd version strings
        return 0


def command(db, port: int = 8001, host: str = "127.0.0.1", metadata_path=None, config_path=None) -> list[str]:
    """The argv that runs Datasette on ``db``."""
    argv = [sys.executable, "-m", "datasette", "serve", os.fspath(db), "--host", host, "--port", str(port)]
    if metadata_path:
        argv += ["--metadata", os.fspath(metadata_path)]
    if config_path:
        argv += ["--config", os.fspath(config_path)]
    return argv


def serve(db, port: int = 8001, host: str = "127.0.0.1") -> int:
    """Run Datasette on ``db`` until it stops (Ctrl-C); returns its exit code.

    Raises :class:`ServeError` when Datasette is not installed or ``host`` is
    not a loopback address, and ``StoreError`` when ``db`` is not a reform-facts
    database."""
    if host not in LOCAL_HOSTS:
        raise ServeError(f"--host {host} is not a local address; use 127.0.0.1")
    if not datasette_available():
        raise ServeError(NOT_INSTALLED)
    from .store import open_db

    open_db(db, create=False).close()
    meta = metadata(db)
    with tempfile.TemporaryDirectory(prefix="reform-facts-serve-") as tmp:
        metadata_path = Path(tmp) / "metadata.json"
        config_path = None
        if _datasette_major() >= 1:  # 1.x reads canned queries from its config file
            config = {"databases": {name: {"queries": spec.pop("queries")}
                                    for name, spec in meta["databases"].items()}}
            config_path = Path(tmp) / "datasette.json"
            config_path.write_text(json.dumps(config, ensure_ascii=False, indent=2), encoding="utf-8")
        metadata_path.write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")
        proc = subprocess.Popen(command(db, port, host, metadata_path, config_path))
        previous = signal.getsignal(signal.SIGTERM)
        # stopping this process stops the server too
        signal.signal(signal.SIGTERM, lambda signum, frame: proc.terminate())
        try:
            return proc.wait()
        except KeyboardInterrupt:
            proc.terminate()
            try:
                return proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                return proc.wait()
        finally:
            signal.signal(signal.SIGTERM, previous)
