"""`reform-facts serve`: Datasette on a real database, queried over HTTP on 127.0.0.1."""
from __future__ import annotations

import importlib.util
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from extractor.cli import cli
from extractor.serve import QUERIES, metadata

ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() == "true"

ARTICLE = """Title: Thanh Hóa giải quyết đúng hạn 98,1% hồ sơ
Published: 2024-06-11
URL: https://thanhhoa.gov.vn/tin-tuc/thang-5-2024

Trong tháng 5/2024, tỉnh Thanh Hóa tiếp nhận 101.562 hồ sơ thủ tục hành chính, giải quyết đúng hạn 98,1%.

Ông Đỗ Minh Tuấn, Chủ tịch UBND tỉnh Thanh Hóa, yêu cầu đẩy mạnh số hóa hồ sơ.
"""


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture()
def db(tmp_path):
    """A tiny database: one article, its facts as extracted, plus one figure written directly."""
    from extractor.store import ingest, open_db

    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "thanh-hoa.txt").write_text(ARTICLE, encoding="utf-8")
    path = tmp_path / "reform.db"
    with pytest.MonkeyPatch.context() as mp:
        try:
            importlib.import_module("extractor.reading")
        except ModuleNotFoundError:
            from store_helpers import stand_in_reader

            stand_in_reader(mp)
        ingest([str(folder)], db=path)
    database = open_db(path)
    try:  # whatever extraction finds, the province has at least one figure
        article_id = database.execute("SELECT id FROM articles").fetchone()[0]
        database["facts"].insert({"article_id": article_id, "kind": "figure", "text": "98,1%",
                                  "sentence": "giải quyết đúng hạn 98,1%", "start": 0, "end": 5,
                                  "metric": "dossier.on_time", "value": 98.1, "unit": "percent",
                                  "approx": "exact", "scope": "Thanh Hóa", "period": "2024-05-01/2024-05-31"})
    finally:
        database.close()
    return path


def test_metadata_describes_tables_and_queries(db):
    meta = metadata(db)
    spec = meta["databases"]["reform"]
    assert set(spec["queries"]) == {"figures_for_province", "metric_across_provinces", "official",
                                    "search_articles"}
    assert {"id", "published", "source"} <= set(spec["tables"]["articles"]["columns"])
    assert {"metric", "scope", "period", "name", "ref"} <= set(spec["tables"]["facts"]["columns"])
    for name, param in (("figures_for_province", ":scope"), ("metric_across_provinces", ":metric"),
                        ("official", ":name"), ("search_articles", ":q")):
        assert param in QUERIES[name]["sql"]


def test_canned_queries_run_in_sqlite(db):
    import sqlite3

    conn = sqlite3.connect(db)
    try:
        params = {"figures_for_province": {"scope": "Thanh Hóa"},
                  "metric_across_provinces": {"metric": "dossier.on_time"},
                  "official": {"name": "Tuấn"},
                  "search_articles": {"q": "hồ sơ"}}
        for name, args in params.items():
            rows = conn.execute(QUERIES[name]["sql"], args).fetchall()
            assert rows, name
    finally:
        conn.close()


def test_missing_datasette_is_one_line_error(db, monkeypatch):
    import extractor.serve as serve_module

    monkeypatch.setattr(serve_module, "datasette_available", lambda: False)
    result = CliRunner().invoke(cli, ["serve", "--db", str(db)])
    assert result.exit_code == 1
    assert result.output.strip() == "Error: datasette is not installed; pip install '.[serve]'"


def test_refuses_non_local_host(db):
    result = CliRunner().invoke(cli, ["serve", "--db", str(db), "--host", "0.0.0.0"])
    assert result.exit_code == 1 and "Error:" in result.output


def _get_json(url: str):
    with urllib.request.urlopen(url, timeout=5) as response:
        return json.loads(response.read().decode("utf-8"))


def test_serve_answers_canned_query(db, tmp_path):
    if importlib.util.find_spec("datasette") is None:
        if IN_CI:
            pytest.fail("datasette is not installed (CI installs '.[test,serve]')")
        pytest.skip("datasette is not installed")
    port = _free_port()
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    log = (tmp_path / "serve.log").open("w")
    proc = subprocess.Popen([sys.executable, "-m", "extractor.cli", "serve", "--db", str(db), "--port", str(port)],
                            cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                _get_json(f"{base}/-/versions.json")
                break
            except (urllib.error.URLError, ConnectionError, OSError):
                if proc.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    pytest.fail(f"server did not start: {(tmp_path / 'serve.log').read_text()[-2000:]}")
                time.sleep(0.25)
        query = urllib.parse.urlencode({"scope": "Thanh Hóa", "_shape": "array"})
        rows = _get_json(f"{base}/reform/figures_for_province.json?{query}")
        assert rows and any(r["metric"] == "dossier.on_time" and r["value"] == 98.1 for r in rows)
        rows = _get_json(f"{base}/reform/search_articles.json?" + urllib.parse.urlencode({"q": "hồ sơ", "_shape": "array"}))
        assert rows and rows[0]["title"].startswith("Thanh Hóa")
        table = _get_json(f"{base}/reform/facts.json?_shape=array&_size=1")
        assert table
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
    # the server went down with it
    with pytest.raises((urllib.error.URLError, ConnectionError, OSError)):
        _get_json(f"{base}/-/versions.json")
