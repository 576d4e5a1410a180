"""The SQLite store: articles and their facts, ingested idempotently.

Tables (names and the columns of ``../shared/spec/facts.md`` are the contract):

``articles``  one row per distinct article text: ``id`` (primary key), ``path``,
              ``title``, ``published``, ``source``, ``author``, ``text``, then
              bookkeeping: ``file_hash``, ``ingested_at``, ``extractor_version``.
``facts``     one row per fact: ``id`` (integer primary key), ``article_id``
              (references ``articles.id``), then every column of
              :data:`extractor.article.FACT_COLUMNS` in order.
``files``     one row per record read: ``path`` (primary key) -> ``article_id``,
              ``file_hash``, ``ingested_at``. Two paths with the same text share
              one article.
``meta``      ``key`` -> ``value``: ``schema_version``.
``articles_fts``  full-text index over ``articles(title, text)``, kept in sync
              by triggers.

:func:`ingest` is idempotent: a record whose content hash and extractor version
are unchanged since the last run is skipped before extraction; a changed one is
replaced in a single transaction; every article is committed on its own, so an
interrupted run keeps what it wrote and the next run finishes the job.
"""
from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections import Counter, deque
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .article import FACT_COLUMNS, Article, fact_row
from .errors import ReadError, StoreError

#: Articles stored by another extractor version (code or rule files changed)
#: are re-extracted on the next ``ingest``, as with ``force=True``.
from .pipeline import EXTRACTOR_VERSION  # noqa: E402  (one version, owned by the extractor)

#: Version of the table layout below; a database made by a newer layout is refused.
SCHEMA_VERSION = 1

DEFAULT_DB = "reform-facts.db"

#: Articles handed to a worker at a time, and chunks in flight per worker. Small
#: chunks keep the order cheap to restore; the window bounds memory.
CHUNKSIZE = 8
WINDOW_PER_JOB = 4

_SQLITE_HEADER = b"SQLite format 3\x00"

ARTICLE_COLUMNS = ("id", "path", "title", "published", "source", "author", "text",
                   "file_hash", "ingested_at", "extractor_version")
_FACT_TYPES = {"start": int, "end": int, "value": float, "total": float}

Progress = Callable[[str, str, "IngestSummary"], None]


@dataclass
class IngestSummary:
    """What one :func:`ingest` run did.

    ``read`` counts every record the reader produced, so
    ``read == new + updated + unchanged + duplicate + failed``. ``duplicate``
    counts records whose text is already stored under another path (no second
    article row). ``errors`` holds one line per failure, ``path: reason``.
    ``facts_by_kind`` counts the facts written by this run.
    """

    read: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicate: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)
    facts_by_kind: Counter = field(default_factory=Counter)

    def as_dict(self) -> dict:
        return {
            "read": self.read, "new": self.new, "updated": self.updated,
            "unchanged": self.unchanged, "duplicate": self.duplicate,
            "failed": self.failed, "errors": list(self.errors),
            "facts_by_kind": dict(self.facts_by_kind),
        }

    def format(self) -> str:
        """Two lines for people: the counts, then the facts written by kind."""
        counts = (f"read {self.read}: {self.new} new, {self.updated} updated, "
                  f"{self.unchanged} unchanged, {self.duplicate} duplicate, {self.failed} failed")
        kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(self.facts_by_kind.items()))
        return f"{counts}\nfacts written: {kinds or 'none'}"


# --------------------------------------------------------------------------- opening


def open_db(db: str | os.PathLike = DEFAULT_DB, create: bool = True):
    """Open (and by default create or migrate) a reform-facts database.

    Returns a ``sqlite_utils.Database`` in WAL mode. Raises :class:`StoreError`
    with a one-line message when ``db`` is a folder, not a SQLite file, or
    another program's database.
    """
    import sqlite_utils

    path = Path(db)
    if path.is_dir():
        raise StoreError(f"{path} is a folder, not a database file; "
                         f"give a file path such as {path / DEFAULT_DB}")
    if path.exists():
        try:
            with open(path, "rb") as fh:
                header = fh.read(len(_SQLITE_HEADER))
        except OSError as exc:
            raise StoreError(f"{path}: cannot read the database: {exc.strerror or exc}") from exc
        if header and header != _SQLITE_HEADER:
            raise StoreError(f"{path} is not a SQLite database; give another --db path")
    elif not create:
        raise StoreError(f"no database at {path}; run `reform-facts ingest PATH --db {path}` first")
    elif not path.parent.is_dir():
        raise StoreError(f"{path}: folder {path.parent} does not exist")

    database = None
    try:
        database = sqlite_utils.Database(path)
        conn = database.conn
        conn.execute("PRAGMA busy_timeout = 10000")
        if create:
            database.enable_wal()
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        _ensure_schema(database, create, path)
    except (sqlite3.DatabaseError, StoreError) as exc:
        if database is not None:
            database.close()
        if isinstance(exc, StoreError):
            raise
        raise StoreError(f"{path}: {exc}") from exc
    return database


def _ensure_schema(db, create: bool, path: Path) -> None:
    names = set(db.table_names())
    if "meta" in names:
        row = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        version = int(row[0]) if row else 0
        if version > SCHEMA_VERSION:
            raise StoreError(f"{path}: made by a newer reform-facts (schema {version}); "
                             "upgrade reform-facts or give another --db path")
        if version == SCHEMA_VERSION:
            return
    elif names:
        raise StoreError(f"{path} holds other tables and is not a reform-facts database; "
                         "give another --db path")
    if not create:
        raise StoreError(f"{path} is empty; run `reform-facts ingest PATH --db {path}` first")
    _create_schema(db)


def _create_schema(db) -> None:
    db["articles"].create(
        {"id": str, "path": str, "title": str, "published": str, "source": str,
         "author": str, "text": str, "file_hash": str, "ingested_at": str,
         "extractor_version": str},
        pk="id", if_not_exists=True)
    fact_types = {"id": int, "article_id": str}
    fact_types.update({col: _FACT_TYPES.get(col, str) for col in FACT_COLUMNS})
    db["facts"].create(fact_types, pk="id", foreign_keys=[("article_id", "articles", "id")],
                       if_not_exists=True)
    db["files"].create({"path": str, "article_id": str, "file_hash": str, "ingested_at": str},
                       pk="path", foreign_keys=[("article_id", "articles", "id")],
                       if_not_exists=True)
    db["meta"].create({"key": str, "value": str}, pk="key", if_not_exists=True)
    for column in ("metric", "scope", "period", "kind", "name", "article_id"):
        db["facts"].create_index([column], if_not_exists=True)
    db["articles"].create_index(["published"], if_not_exists=True)
    db["files"].create_index(["article_id"], if_not_exists=True)
    if "articles_fts" not in db.table_names():
        db["articles"].enable_fts(["title", "text"], create_triggers=True)
    db["meta"].upsert({"key": "schema_version", "value": str(SCHEMA_VERSION)}, pk="key")


# --------------------------------------------------------------------------- ingest


def record_hash(article: Article) -> str:
    """Content hash of one read record: its text and every metadata field."""
    payload = json.dumps([article.path, article.title, article.published, article.source,
                          article.author, article.text], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _iter_records(paths) -> Iterator[Article | ReadError]:
    from .reading import iter_articles

    return iter_articles(paths)


def _plan(records: Iterable[Article | ReadError], known_files: dict, current_ids: set,
          force: bool) -> Iterator[tuple]:
    """Decide, before any extraction, what each record needs.

    Yields ``("error", line)``, ``("unchanged", path)``, ``("alias", article, hash)``
    (its text is already stored or scheduled: map the path only) or
    ``("extract", article, hash)``.
    """
    scheduled: set[str] = set()
    for item in records:
        if isinstance(item, ReadError):
            yield ("error", str(item))
            continue
        digest = record_hash(item)
        known = known_files.get(item.path)
        if (not force and known is not None and known[0] == digest
                and known[1] in current_ids):
            yield ("unchanged", item.path)
        elif item.id in scheduled or (not force and item.id in current_ids):
            yield ("alias", item, digest)
        else:
            scheduled.add(item.id)
            yield ("extract", item, digest)


_WORKER_EXTRACT: Callable | None = None


def _init_worker(extract_fn) -> None:
    import signal

    global _WORKER_EXTRACT
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    _WORKER_EXTRACT = extract_fn


def _scalar(value):
    if value is None or isinstance(value, (str, int, float)):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


def _extract(task: tuple, extract_fn: Callable | None) -> tuple:
    """Run extraction for one planned task (in a worker or in-process)."""
    if task[0] != "extract":
        return task
    _, article, digest = task
    if extract_fn is None:
        from . import pipeline

        extract_fn = pipeline.extract_article
    try:
        facts = [tuple(_scalar(v) for v in fact_row(f).values()) for f in extract_fn(article)]
    except Exception as exc:  # one article's failure must not stop the batch
        return ("error", f"{article.path}: extraction failed: {type(exc).__name__}: {exc}")
    return ("extracted", article, digest, facts)


def _extract_chunk(tasks: list[tuple]) -> list[tuple]:
    return [_extract(task, _WORKER_EXTRACT) for task in tasks]


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    chunk: list = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _results(tasks: Iterable[tuple], jobs: int, extract_fn) -> Iterator[tuple]:
    """Extraction results in task order; with ``jobs > 1`` spread over worker processes."""
    if jobs <= 1:
        for task in tasks:
            yield _extract(task, extract_fn)
        return
    import multiprocessing

    pool = None
    try:
        # A bounded window of chunks in flight: ordered like imap, but memory
        # stays flat when workers outrun the writer. Chunks with nothing to
        # extract (a re-run) skip the workers, and the pool starts only when
        # there is work for it.
        window: deque = deque()
        for chunk in _chunks(tasks, CHUNKSIZE):
            if not any(task[0] == "extract" for task in chunk):
                window.append(chunk)
            else:
                if pool is None:
                    pool = multiprocessing.get_context().Pool(
                        jobs, initializer=_init_worker, initargs=(extract_fn,))
                window.append(pool.apply_async(_extract_chunk, (chunk,)))
            while window and (len(window) >= jobs * WINDOW_PER_JOB or isinstance(window[0], list)):
                head = window.popleft()
                yield from head if isinstance(head, list) else head.get()
        while window:
            head = window.popleft()
            yield from head if isinstance(head, list) else head.get()
        if pool is not None:
            pool.close()
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class _Writer:
    """The single writer: one transaction per article."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        placeholders = ", ".join("?" for _ in ARTICLE_COLUMNS)
        updates = ", ".join(f"[{c}] = excluded.[{c}]" for c in ARTICLE_COLUMNS if c != "id")
        self.upsert_article = (f"INSERT INTO articles ({', '.join(f'[{c}]' for c in ARTICLE_COLUMNS)}) "
                               f"VALUES ({placeholders}) ON CONFLICT(id) DO UPDATE SET {updates}")
        columns = ("article_id",) + FACT_COLUMNS
        self.insert_fact = (f"INSERT INTO facts ({', '.join(f'[{c}]' for c in columns)}) "
                            f"VALUES ({', '.join('?' for _ in columns)})")

    def _transaction(self):
        conn = self.conn

        class _Tx:
            def __enter__(self_):
                conn.execute("BEGIN IMMEDIATE")

            def __exit__(self_, exc_type, exc, tb):
                if exc_type is None:
                    conn.execute("COMMIT")
                elif conn.in_transaction:
                    conn.execute("ROLLBACK")
                return False

        return _Tx()

    def _article_exists(self, article_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone() is not None

    def _attach(self, path: str, article_id: str, digest: str, now: str) -> str | None:
        """Point ``path`` at ``article_id``; drop the article it pointed at if nothing else does."""
        row = self.conn.execute("SELECT article_id FROM files WHERE path = ?", (path,)).fetchone()
        self.conn.execute(
            "INSERT INTO files (path, article_id, file_hash, ingested_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(path) DO UPDATE SET article_id = excluded.article_id, "
            "file_hash = excluded.file_hash, ingested_at = excluded.ingested_at",
            (path, article_id, digest, now))
        previous = row[0] if row else None
        if previous is not None and previous != article_id:
            self._detach(previous, path)
        return previous

    def _detach(self, article_id: str, path: str) -> None:
        rest = self.conn.execute("SELECT path FROM files WHERE article_id = ? ORDER BY path LIMIT 1",
                                 (article_id,)).fetchone()
        if rest is None:
            self.conn.execute("DELETE FROM facts WHERE article_id = ?", (article_id,))
            self.conn.execute("DELETE FROM articles WHERE id = ?", (article_id,))
        else:
            self.conn.execute("UPDATE articles SET path = ? WHERE id = ? AND path = ?",
                              (rest[0], article_id, path))

    def alias(self, article: Article, digest: str) -> str:
        """Map a path to an already stored article; returns the outcome."""
        with self._transaction():
            if not self._article_exists(article.id):
                raise LookupError(article.id)
            previous = self._attach(article.path, article.id, digest, _now())
        return "duplicate" if previous is None else "updated"

    def store(self, article: Article, digest: str, facts: list[tuple]) -> str:
        """Replace an article and its facts in one transaction; returns the outcome."""
        now = _now()
        with self._transaction():
            existed = self._article_exists(article.id)
            if existed:
                self.conn.execute("DELETE FROM facts WHERE article_id = ?", (article.id,))
            self.conn.execute(self.upsert_article, (
                article.id, article.path, article.title, article.published, article.source,
                article.author, article.text, digest, now, EXTRACTOR_VERSION))
            self.conn.executemany(self.insert_fact, [(article.id,) + fact for fact in facts])
            previous = self._attach(article.path, article.id, digest, now)
        return "new" if not existed and previous is None else "updated"


def ingest(paths: str | os.PathLike | Iterable[str | os.PathLike], db: str | os.PathLike = DEFAULT_DB,
           jobs: int = 1, force: bool = False, progress: Progress | None = None,
           extract_fn: Callable[[Article], list[dict]] | None = None) -> IngestSummary:
    """Read the articles under ``paths``, extract their facts and store both in ``db``.

    - Records unchanged since the last run (same content hash, same
      :data:`EXTRACTOR_VERSION`) are skipped before extraction; ``force=True``
      re-extracts everything.
    - A changed record replaces its old article and facts in one transaction;
      the same text under two paths is stored once.
    - Each article is committed on its own; a failed file is counted, its error
      kept, and the batch goes on.
    - ``jobs > 1`` runs extraction in that many worker processes; results are
      written in reading order, so the rows are the same as with ``jobs=1``.
    - ``progress(outcome, line, summary)`` is called after every record;
      ``outcome`` is ``new``, ``updated``, ``unchanged``, ``duplicate`` or
      ``failed`` and ``line`` the path (or the error line when failed).
    - ``extract_fn(article) -> list[dict]`` replaces
      :func:`extractor.pipeline.extract_article` (it must be picklable for ``jobs > 1``).
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    paths = [os.fspath(p) for p in paths]
    if jobs < 1:
        raise StoreError(f"jobs must be 1 or more, not {jobs}")
    database = open_db(db)
    try:
        conn = database.conn
        known_files = {path: (digest, article_id) for path, digest, article_id in
                       conn.execute("SELECT path, file_hash, article_id FROM files")}
        current_ids = {row[0] for row in conn.execute(
            "SELECT id FROM articles WHERE extractor_version = ?", (EXTRACTOR_VERSION,))}
        writer = _Writer(conn)
        summary = IngestSummary()
        tasks = _plan(_iter_records(paths), known_files, current_ids, force)
        results = _results(tasks, jobs, extract_fn)
        try:
            for result in results:
                outcome, line = _write(writer, result, summary)
                summary.read += 1
                setattr(summary, outcome, getattr(summary, outcome) + 1)
                if outcome == "failed":
                    summary.errors.append(line)
                if progress is not None:
                    progress(outcome, line, summary)
        finally:
            results.close()  # stops the worker processes now, even on Ctrl-C
        return summary
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{db}: {exc}") from exc
    finally:
        database.close()


def _write(writer: _Writer, result: tuple, summary: IngestSummary) -> tuple[str, str]:
    kind = result[0]
    if kind == "error":
        return "failed", result[1]
    if kind == "unchanged":
        return "unchanged", result[1]
    article = result[1]
    if kind == "alias":
        try:
            return writer.alias(article, result[2]), article.path
        except LookupError:
            return "failed", f"{article.path}: not stored: the same text failed in another file"
    outcome = writer.store(article, result[2], result[3])
    summary.facts_by_kind.update(fact[0] for fact in result[3])
    return outcome, article.path


# --------------------------------------------------------------------------- stats


def stats(db: str | os.PathLike = DEFAULT_DB, top: int = 10) -> dict:
    """Counts of a database: articles, files, facts by kind, figures by metric,
    the published date range, the ``top`` scopes by figures, and extractor versions."""
    database = open_db(db, create=False)
    try:
        def one(sql, *args):
            return database.execute(sql, args).fetchone()[0]

        def pairs(sql, *args):
            return {key: n for key, n in database.execute(sql, args).fetchall()}

        first, last = database.execute(
            "SELECT min(published), max(published) FROM articles WHERE published IS NOT NULL").fetchone()
        return {
            "db": os.fspath(db),
            "articles": one("SELECT count(*) FROM articles"),
            "files": one("SELECT count(*) FROM files"),
            "facts": one("SELECT count(*) FROM facts"),
            "facts_by_kind": pairs("SELECT kind, count(*) FROM facts GROUP BY kind ORDER BY count(*) DESC, kind"),
            "figures_by_metric": pairs("SELECT metric, count(*) FROM facts WHERE kind = 'figure' "
                                       "GROUP BY metric ORDER BY count(*) DESC, metric"),
            "published": {"first": first, "last": last},
            "top_scopes": pairs("SELECT scope, count(*) FROM facts WHERE scope IS NOT NULL "
                                "GROUP BY scope ORDER BY count(*) DESC, scope LIMIT ?", top),
            "extractor_versions": pairs("SELECT extractor_version, count(*) FROM articles "
                                        "GROUP BY extractor_version ORDER BY extractor_version"),
        }
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{db}: {exc}") from exc
    finally:
        database.close()
