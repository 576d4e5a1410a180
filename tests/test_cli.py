"""The command line, through click's CliRunner: thin over the API, `Error: ...` and exit 1."""
from __future__ import annotations

import json
import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from extractor import pipeline
from extractor.cli import cli

from store_helpers import ARTICLES, count, stand_in_reader, fake_extract, rows, write_corpus


@pytest.fixture(autouse=True)
def _reader(monkeypatch):
    stand_in_reader(monkeypatch)


@pytest.fixture
def runner():
    try:
        return CliRunner(mix_stderr=False)
    except TypeError:  # click >= 8.2 always keeps stderr apart
        return CliRunner()


@pytest.fixture
def corpus(tmp_path):
    return write_corpus(tmp_path / "corpus")


@pytest.fixture
def fake(monkeypatch):
    monkeypatch.setattr(pipeline, "extract_article", fake_extract)


def _commands(group, prefix=()):
    for name, command in group.commands.items():
        yield prefix + (name,), command
        if isinstance(command, click.Group):
            yield from _commands(command, prefix + (name,))


def test_every_command_has_help_with_an_example(runner):
    result = runner.invoke(cli, ["--help"])
    assert result.exit_code == 0 and "reform-facts ingest" in result.stdout
    names = [path for path, _ in _commands(cli)]
    assert {("ingest",), ("extract",), ("stats",), ("eval",)} <= set(names)
    for path, command in _commands(cli):
        assert command.help and len(command.help) > 80, f"{' '.join(path)} lacks --help text"
        result = runner.invoke(cli, [*path, "--help"])
        assert result.exit_code == 0
        assert "Example" in result.stdout, f"{' '.join(path)} --help gives no example"
        for param in command.params:
            if isinstance(param, click.Option) and param.name != "help":
                assert param.help, f"{' '.join(path)} {param.opts[0]} lacks help"


def test_help_is_fast_and_imports_nothing_heavy():
    code = ("import sys; from extractor.cli import main\n"
            "try: main(['--help'])\nexcept SystemExit: pass\n"
            "heavy = [m for m in ('underthesea', 'spacy', 'trafilatura', 'sqlite_utils', 'rich') if m in sys.modules]\n"
            "assert not heavy, heavy")
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)


def test_ingest_reports_a_summary_and_writes_the_default_db(runner, corpus, tmp_path, fake, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["ingest", str(corpus)])
    assert result.exit_code == 0, result.stdout + result.stderr
    assert f"read {len(ARTICLES)}: {len(ARTICLES)} new, 0 updated, 0 unchanged" in result.stdout
    assert "figure" in result.stdout
    assert count(tmp_path / "reform-facts.db", "SELECT count(*) FROM articles") == len(ARTICLES)
    again = runner.invoke(cli, ["ingest", str(corpus)])
    assert again.exit_code == 0
    assert f"0 new, 0 updated, {len(ARTICLES)} unchanged" in again.stdout


def test_ingest_bad_file_exit_code_one_and_one_error_line(runner, corpus, tmp_path, fake):
    (corpus / "c-broken.txt").write_bytes(b"")
    db = tmp_path / "x.db"
    result = runner.invoke(cli, ["ingest", str(corpus), "--db", str(db)])
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and "c-broken.txt" in errors[0]
    assert "1 failed" in result.stdout
    assert count(db, "SELECT count(*) FROM articles") == len(ARTICLES)


def test_ingest_jobs_two_matches_jobs_one(runner, corpus, tmp_path, fake):
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    assert runner.invoke(cli, ["ingest", str(corpus), "--db", str(one), "--jobs", "1", "-q"]).exit_code == 0
    result = runner.invoke(cli, ["ingest", str(corpus), "--db", str(two), "--jobs", "2", "--quiet"])
    assert result.exit_code == 0 and result.stdout == ""
    for table in ("articles", "facts", "files"):
        assert rows(one, table) == rows(two, table)


def test_ingest_force_reextracts(runner, corpus, tmp_path, fake):
    db = str(tmp_path / "x.db")
    runner.invoke(cli, ["ingest", str(corpus), "--db", db])
    result = runner.invoke(cli, ["ingest", str(corpus), "--db", db, "--force"])
    assert f"0 new, {len(ARTICLES)} updated" in result.stdout


def test_ingest_into_a_folder_is_a_one_line_error(runner, corpus, tmp_path):
    result = runner.invoke(cli, ["ingest", str(corpus), "--db", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and "is a folder" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_ingest_missing_path_is_a_usage_error(runner, tmp_path):
    result = runner.invoke(cli, ["ingest", str(tmp_path / "nowhere")])
    assert result.exit_code == 2 and "does not exist" in result.stderr


def test_extract_prints_one_json_object_per_article(runner, corpus, fake):
    (corpus / "c-broken.txt").write_bytes(b"")
    result = runner.invoke(cli, ["extract", str(corpus)])
    assert result.exit_code == 1
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == len(ARTICLES)
    for record in records:
        assert set(record) == {"id", "path", "title", "published", "source", "author", "facts"}
        assert record["facts"] and all("kind" in f for f in record["facts"])
    assert [line for line in result.stderr.splitlines() if "c-broken.txt" in line][0].startswith("Error: ")


def test_extract_table_format(runner, corpus, fake):
    result = runner.invoke(cli, ["extract", str(corpus / "binh-dinh.txt"), "--format", "table"])
    assert result.exit_code == 0, result.stderr
    assert "Bình Định giải quyết" in result.stdout and "legal_ref" in result.stdout


def test_extract_without_stand_in_gives_well_formed_json(runner, corpus):
    result = runner.invoke(cli, ["extract", str(corpus)])
    assert result.exit_code == 0, result.stderr
    for line in result.stdout.splitlines():
        record = json.loads(line)
        assert isinstance(record["facts"], list)
        for fact in record["facts"]:
            assert {"kind", "text", "start", "end"} <= set(fact)


def test_stats_numbers_match_the_database(runner, corpus, tmp_path, fake):
    db = tmp_path / "x.db"
    runner.invoke(cli, ["ingest", str(corpus), "--db", str(db)])
    result = runner.invoke(cli, ["stats", "--db", str(db), "--json"])
    assert result.exit_code == 0
    numbers = json.loads(result.stdout)
    assert numbers["articles"] == count(db, "SELECT count(*) FROM articles")
    assert numbers["facts"] == count(db, "SELECT count(*) FROM facts")
    assert numbers["facts_by_kind"]["figure"] == count(db, "SELECT count(*) FROM facts WHERE kind = 'figure'")
    table = runner.invoke(cli, ["stats", "--db", str(db)])
    assert table.exit_code == 0
    assert "Facts by kind" in table.stdout and str(numbers["facts"]) in table.stdout


def test_stats_without_a_database_says_what_to_do(runner, tmp_path):
    result = runner.invoke(cli, ["stats", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: no database at") and "reform-facts ingest" in result.stderr


def test_eval_calls_evaluate_dir(runner, tmp_path, monkeypatch):
    import types

    class Report:
        def format(self, errors):
            return f"report errors={errors}"

        def as_dict(self):
            return {"figure": {"f1": 1.0}}

    fake_module = types.ModuleType("extractor.evaluate")
    fake_module.evaluate_dir = lambda path, extract_fn=None: Report()
    monkeypatch.setitem(sys.modules, "extractor.evaluate", fake_module)
    assert runner.invoke(cli, ["eval", str(tmp_path), "--errors"]).stdout.strip() == "report errors=True"
    assert json.loads(runner.invoke(cli, ["eval", str(tmp_path), "--json"]).stdout) == {"figure": {"f1": 1.0}}


def test_eval_scores_claims_files_beside_the_articles(runner, tmp_path):
    (tmp_path / "a.txt").write_text(
        "Title: Nam Định tiếp nhận 12.400 hồ sơ\nPublished: 2024-02-01\n\n"
        "Năm 2023, tỉnh Nam Định tiếp nhận 12.400 hồ sơ thủ tục hành chính.\n", encoding="utf-8")
    (tmp_path / "a.gold.json").write_text(json.dumps({
        "file": "a.txt", "published": "2024-02-01",
        "figures": [{"metric": "dossier.received", "value": 12400, "unit": "count", "approx": "exact",
                     "total": None, "scope": "Nam Định", "period": "2023-01-01/2023-12-31",
                     "text": "tiếp nhận 12.400 hồ sơ"}],
        "officials": [], "dates": [], "legal_refs": []}, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "news.claims.jsonl").write_text(
        json.dumps({"claim": "Năm 2023 Nam Định tiếp nhận 12.400 hồ sơ", "verdict": "supported"}, ensure_ascii=False) + "\n"
        + json.dumps({"claim": "Năm 2023 Nam Định tiếp nhận 15.000 hồ sơ", "verdict": "contradicted"}, ensure_ascii=False) + "\n",
        encoding="utf-8")
    result = runner.invoke(cli, ["eval", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "claim verdicts" in result.stdout and "(2/2)" in result.stdout
    data = json.loads(runner.invoke(cli, ["eval", str(tmp_path), "--json"]).stdout)
    assert data["claims"][0]["accuracy"] == 1.0
