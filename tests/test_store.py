"""The SQLite store: schema, idempotent ingest, failures, interruption, workers, stats."""
from __future__ import annotations

import sqlite3

import pytest

from extractor import store
from extractor.article import FACT_COLUMNS
from extractor.errors import StoreError

from store_helpers import ARTICLES, count, stand_in_reader, fake_extract, rows, write_corpus


@pytest.fixture(autouse=True)
def _reader(monkeypatch):
    stand_in_reader(monkeypatch)


@pytest.fixture
def corpus(tmp_path):
    return write_corpus(tmp_path / "corpus")


@pytest.fixture
def db(tmp_path):
    return tmp_path / "facts.db"


def test_schema_follows_the_contract(corpus, db):
    store.ingest([corpus], db, extract_fn=fake_extract)
    conn = sqlite3.connect(db)
    cols = lambda t: [r[1] for r in conn.execute(f"PRAGMA table_info([{t}])")]
    assert cols("articles")[:7] == ["id", "path", "title", "published", "source", "author", "text"]
    assert {"file_hash", "ingested_at", "extractor_version"} <= set(cols("articles"))
    assert cols("facts") == ["id", "article_id", *FACT_COLUMNS]
    types = {r[1]: r[2] for r in conn.execute("PRAGMA table_info(facts)")}
    assert (types["value"], types["total"], types["start"], types["end"]) == ("REAL", "REAL", "INTEGER", "INTEGER")
    assert conn.execute("PRAGMA foreign_key_list(facts)").fetchone()[2:5] == ("articles", "article_id", "id")
    indexed = {conn.execute(f"PRAGMA index_info([{r[1]}])").fetchone()[2]
               for r in conn.execute("PRAGMA index_list(facts)")}
    assert {"metric", "scope", "period", "kind", "name", "article_id"} <= indexed
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == str(store.SCHEMA_VERSION)
    hits = conn.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'Quảng'").fetchall()
    assert len(hits) == 1


def test_ingest_stores_articles_and_facts(corpus, db):
    summary = store.ingest([corpus], db, extract_fn=fake_extract)
    assert (summary.read, summary.new, summary.failed) == (len(ARTICLES), len(ARTICLES), 0)
    assert count(db, "SELECT count(*) FROM articles") == len(ARTICLES)
    assert count(db, "SELECT count(*) FROM facts") == sum(summary.facts_by_kind.values())
    assert summary.facts_by_kind["date"] == len(ARTICLES)
    conn = sqlite3.connect(db)
    text, start, end, span = conn.execute(
        "SELECT a.text, f.start, f.[end], f.text FROM facts f JOIN articles a ON a.id = f.article_id "
        "WHERE f.kind = 'figure' AND f.text = '2023' AND a.title LIKE 'Bình Định%' ORDER BY f.id").fetchone()
    assert text[start:end] == span == "2023"
    assert conn.execute("SELECT published, source FROM articles WHERE title LIKE 'Bình Định%'").fetchone() == (
        "2024-01-12", "https://binhdinh.gov.vn/tin-tuc/cai-cach-hanh-chinh")


def test_reingest_is_idempotent_and_skips_extraction(corpus, db, monkeypatch):
    store.ingest([corpus], db, extract_fn=fake_extract)
    before = {t: rows(db, t) for t in ("articles", "facts", "files")}

    def must_not_run(article):
        raise AssertionError("unchanged articles must not be extracted again")

    summary = store.ingest([corpus], db, extract_fn=must_not_run)
    assert (summary.read, summary.unchanged, summary.new, summary.updated) == (len(ARTICLES), len(ARTICLES), 0, 0)
    assert {t: rows(db, t) for t in before} == before


def test_changed_file_replaces_its_article_and_facts(corpus, db):
    store.ingest([corpus], db, extract_fn=fake_extract)
    old_id = sqlite3.connect(db).execute("SELECT article_id FROM files WHERE path = 'da-nang.txt'").fetchone()[0]
    (corpus / "da-nang.txt").write_text(
        "Title: Đà Nẵng\nPublished: 2024-02-01\n\nNăm 2023, Đà Nẵng tiếp nhận 7 hồ sơ.\n", encoding="utf-8")
    summary = store.ingest([corpus], db, extract_fn=fake_extract)
    assert (summary.updated, summary.unchanged, summary.new) == (1, len(ARTICLES) - 1, 0)
    assert count(db, "SELECT count(*) FROM articles") == len(ARTICLES)
    assert count(db, "SELECT count(*) FROM articles WHERE id = ?", old_id) == 0
    assert count(db, "SELECT count(*) FROM facts WHERE article_id = ?", old_id) == 0
    assert count(db, "SELECT count(*) FROM facts WHERE article_id NOT IN (SELECT id FROM articles)") == 0
    new_facts = count(db, "SELECT count(*) FROM facts f JOIN files p ON p.article_id = f.article_id "
                          "WHERE p.path = 'da-nang.txt' AND f.kind = 'figure'")
    assert new_facts == 2  # "2023" and "7"


def test_same_text_under_two_paths_is_one_article(corpus, db):
    (corpus / "copy").mkdir()
    (corpus / "copy" / "again.txt").write_text(ARTICLES["quang-ninh.txt"], encoding="utf-8")
    summary = store.ingest([corpus], db, extract_fn=fake_extract)
    assert (summary.new, summary.duplicate) == (len(ARTICLES), 1)
    assert count(db, "SELECT count(*) FROM articles") == len(ARTICLES)
    assert count(db, "SELECT count(DISTINCT article_id) FROM files WHERE path LIKE '%quang-ninh.txt' "
                     "OR path LIKE '%again.txt'") == 1
    # Changing one copy keeps the other's article.
    (corpus / "quang-ninh.txt").write_text("Title: X\n\nNăm 2024, tiếp nhận 5 hồ sơ.\n", encoding="utf-8")
    store.ingest([corpus], db, extract_fn=fake_extract)
    assert count(db, "SELECT count(*) FROM articles") == len(ARTICLES) + 1
    assert count(db, "SELECT count(*) FROM articles a JOIN files f ON f.article_id = a.id "
                     "WHERE f.path = 'copy/again.txt' AND a.path = 'copy/again.txt'") == 1


def test_bad_file_in_a_batch_is_counted_and_the_rest_stored(corpus, db):
    (corpus / "c-broken.txt").write_bytes(b"")
    summary = store.ingest([corpus], db, extract_fn=fake_extract)
    assert summary.failed == 1 and summary.new == len(ARTICLES)
    assert len(summary.errors) == 1 and "c-broken.txt" in summary.errors[0]
    assert "\n" not in summary.errors[0]
    assert count(db, "SELECT count(*) FROM articles") == len(ARTICLES)


def test_extraction_error_fails_one_article_only(corpus, db):
    summary = store.ingest([corpus], db, extract_fn=_fails_on_quang_ninh)
    assert (summary.failed, summary.new) == (1, len(ARTICLES) - 1)
    assert "quang-ninh.txt: extraction failed: ValueError: boom" in summary.errors[0]
    # The failed article is retried next time.
    summary = store.ingest([corpus], db, extract_fn=fake_extract)
    assert (summary.new, summary.unchanged) == (1, len(ARTICLES) - 1)


def _fails_on_quang_ninh(article):
    if "Quảng Ninh" in (article.title or ""):
        raise ValueError("boom")
    return fake_extract(article)


def test_interrupted_run_keeps_committed_articles_and_rerun_completes(corpus, db):
    calls = []

    def interrupted(article):
        if len(calls) == 2:
            raise KeyboardInterrupt
        calls.append(article.path)
        return fake_extract(article)

    with pytest.raises(KeyboardInterrupt):
        store.ingest([corpus], db, extract_fn=interrupted)
    assert count(db, "SELECT count(*) FROM articles") == 2
    assert count(db, "SELECT count(*) FROM facts WHERE article_id NOT IN (SELECT id FROM articles)") == 0
    summary = store.ingest([corpus], db, extract_fn=fake_extract)
    assert (summary.unchanged, summary.new) == (2, len(ARTICLES) - 2)
    fresh = db.parent / "fresh.db"
    store.ingest([corpus], fresh, extract_fn=fake_extract)
    assert count(db, "SELECT count(*) FROM facts") == count(fresh, "SELECT count(*) FROM facts")


def test_jobs_two_gives_the_same_rows_in_the_same_order(tmp_path):
    articles = {f"a{i:03d}.txt": f"Title: Bài {i}\nPublished: 2024-0{1 + i % 9}-1{i % 10}\n\n"
                                  f"Năm 2023, tỉnh tiếp nhận {i * 37}.{i:03d} hồ sơ, đúng hạn {90 + i % 10},{i % 10}%.\n"
                for i in range(40)}
    corpus = write_corpus(tmp_path / "many", articles)
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    store.ingest([corpus], one, jobs=1, extract_fn=fake_extract)
    summary = store.ingest([corpus], two, jobs=2, extract_fn=fake_extract)
    assert summary.new == 40
    for table in ("articles", "facts", "files"):
        assert rows(one, table) == rows(two, table), table
    # A re-run with one changed file in the middle: skipped chunks and worker chunks stay in order.
    (corpus / "a017.txt").write_text("Title: Đổi\n\nNăm 2024, tiếp nhận 9.999 hồ sơ.\n", encoding="utf-8")
    store.ingest([corpus], one, jobs=1, extract_fn=fake_extract)
    summary = store.ingest([corpus], two, jobs=2, extract_fn=fake_extract)
    assert (summary.updated, summary.unchanged) == (1, 39)
    for table in ("articles", "facts", "files"):
        assert rows(one, table) == rows(two, table), table


def test_force_and_version_change_reextract(corpus, db, monkeypatch):
    store.ingest([corpus], db, extract_fn=fake_extract)
    assert store.ingest([corpus], db, force=True, extract_fn=fake_extract).updated == len(ARTICLES)
    monkeypatch.setattr(store, "EXTRACTOR_VERSION", "next")
    summary = store.ingest([corpus], db, extract_fn=fake_extract)
    assert summary.updated == len(ARTICLES)
    assert count(db, "SELECT count(*) FROM articles WHERE extractor_version = 'next'") == len(ARTICLES)
    assert count(db, "SELECT count(*) FROM articles") == len(ARTICLES)


def test_stats_match_the_database(corpus, db):
    summary = store.ingest([corpus], db, extract_fn=fake_extract)
    numbers = store.stats(db)
    assert numbers["articles"] == count(db, "SELECT count(*) FROM articles") == len(ARTICLES)
    assert numbers["facts"] == count(db, "SELECT count(*) FROM facts")
    assert numbers["facts_by_kind"] == dict(summary.facts_by_kind)
    assert numbers["figures_by_metric"] == {"dossier.received": summary.facts_by_kind["figure"]}
    assert numbers["published"] == {"first": "2023-06-02", "last": "2024-05-08"}
    assert numbers["top_scopes"] == {"Bình Định": summary.facts_by_kind["figure"]}


def test_real_extraction_stores_well_formed_facts(corpus, db):
    """No stand-in: whatever the pipeline extracts lands in the table, well formed."""
    summary = store.ingest([corpus], db)
    assert summary.failed == 0 and summary.new == len(ARTICLES)
    conn = sqlite3.connect(db)
    for kind, text, start, end, body in conn.execute(
            "SELECT f.kind, f.text, f.start, f.[end], a.text FROM facts f JOIN articles a ON a.id = f.article_id"):
        assert kind in ("figure", "official", "date", "legal_ref")
        assert isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= len(body)
    assert store.stats(db)["facts"] == sum(summary.facts_by_kind.values())
    assert store.ingest([corpus], db).unchanged == len(ARTICLES)


@pytest.mark.parametrize("make, message", [
    (lambda p: p.mkdir(), "is a folder"),
    (lambda p: p.write_text("not a database at all"), "is not a SQLite database"),
])
def test_bad_database_paths_are_one_line_errors(tmp_path, corpus, make, message):
    target = tmp_path / "target.db"
    make(target)
    with pytest.raises(StoreError, match=message) as info:
        store.ingest([corpus], target, extract_fn=fake_extract)
    assert "\n" not in str(info.value)


def test_stats_of_a_missing_database_says_what_to_do(tmp_path):
    with pytest.raises(StoreError, match="reform-facts ingest"):
        store.stats(tmp_path / "missing.db")
    assert not (tmp_path / "missing.db").exists()


def test_other_programs_database_is_refused(tmp_path, corpus):
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)")
    with pytest.raises(StoreError, match="not a reform-facts database"):
        store.ingest([corpus], other, extract_fn=fake_extract)
