"""Checking claims against stored facts: verdicts, scopes, periods, SQL, CLI, and the claims corpus."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from extractor import claims, places
from extractor.article import Article
from extractor.cli import cli
from extractor.pipeline import extract_article
from extractor.store import _Writer, open_db, record_hash, ingest
from extractor.article import fact_row

ROOT = Path(__file__).resolve().parent.parent

# Short articles written for these tests.
ARTICLES = [
    Article(path="hd-a.txt", title="Hải Dương: 98,8% hồ sơ giải quyết đúng hạn",
            published="2024-01-15", source="https://baohaiduong.vn/a",
            text="Hải Dương: 98,8% hồ sơ giải quyết đúng hạn\n"
                 "Năm 2023, tỉnh Hải Dương giải quyết đúng hạn 98,8% hồ sơ thủ tục hành chính."),
    Article(path="hd-b.txt", title="Hải Dương đẩy mạnh cải cách hành chính",
            published="2024-01-20", source="https://example.vn/b",
            text="Hải Dương đẩy mạnh cải cách hành chính\n"
                 "Năm 2023, tỉnh Hải Dương giải quyết đúng hạn 97,1% hồ sơ thủ tục hành chính."),
    Article(path="hd-c.txt", title="Hải Dương tiếp nhận hơn 860 nghìn hồ sơ",
            published="2023-11-10", source="https://example.vn/c",
            text="Hải Dương tiếp nhận hơn 860 nghìn hồ sơ\n"
                 "10 tháng năm 2023, tỉnh Hải Dương tiếp nhận 860.246 hồ sơ thủ tục hành chính."),
    Article(path="hcm.txt", title="Thành phố Hồ Chí Minh số hóa hồ sơ",
            published="2024-02-01", source="https://example.vn/hcm",
            text="Thành phố Hồ Chí Minh số hóa hồ sơ\n"
                 "Năm 2023, Thành phố Hồ Chí Minh đã số hóa 844.567 hồ sơ thủ tục hành chính."),
]


def _store(db: Path, articles=ARTICLES) -> Path:
    database = open_db(db)
    try:
        writer = _Writer(database.conn)
        for a in articles:
            facts = [tuple(fact_row(f).values()) for f in extract_article(a)]
            writer.store(a, record_hash(a), facts)
    finally:
        database.close()
    return db


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return _store(tmp_path_factory.mktemp("claims") / "facts.db")


def one(result):
    assert len(result.figures) == 1, result.as_dict()
    return result.figures[0]


# --------------------------------------------------------------------------- the fixture is what we think


def test_fixture_facts(db):
    conn = sqlite3.connect(db)
    got = sorted(conn.execute("SELECT metric, value, scope, period FROM facts WHERE kind='figure'"))
    assert ("dossier.on_time", 98.8, "Hải Dương", "2023-01-01/2023-12-31") in got
    assert ("dossier.on_time", 97.1, "Hải Dương", "2023-01-01/2023-12-31") in got
    assert ("dossier.received", 860246.0, "Hải Dương", "2023-01-01/2023-10-31") in got
    assert ("dossier.digitized", 844567.0, "Hồ Chí Minh", "2023-01-01/2023-12-31") in got


# --------------------------------------------------------------------------- verdicts


def test_two_articles_disagree_is_disputed_with_both_sides(db):
    fig = one(claims.check("Năm 2023, Hải Dương giải quyết đúng hạn 98,8% hồ sơ", db))
    assert fig.verdict == "disputed"
    assert {(e["value"], e["agrees"]) for e in fig.evidence} == {(98.8, True), (97.1, False)}
    assert len({e["side"] for e in fig.evidence}) == 2
    # disputed whether or not one side agrees with the claim
    assert one(claims.check("Năm 2023, Hải Dương giải quyết đúng hạn 90% hồ sơ", db)).verdict == "disputed"
    # ... but a claim within every side's number holds either way
    fig = one(claims.check("Năm 2023, Hải Dương giải quyết đúng hạn gần 99% hồ sơ", db))
    assert fig.verdict == "supported" and len({e["side"] for e in fig.evidence}) == 2


def test_near_below_supported_exact_wrong_contradicted(db):
    fig = one(claims.check("10 tháng năm 2023, Hải Dương tiếp nhận gần 861 nghìn hồ sơ", db))
    assert fig.verdict == "supported", fig.message
    assert fig.evidence[0]["value"] == 860246
    assert fig.evidence[0]["title"] == "Hải Dương tiếp nhận hơn 860 nghìn hồ sơ"
    assert fig.evidence[0]["sentence"].startswith("10 tháng năm 2023")
    fig = one(claims.check("10 tháng năm 2023, Hải Dương tiếp nhận 900.000 hồ sơ", db))
    assert fig.verdict == "contradicted"
    assert [e["value"] for e in fig.evidence] == [860246]
    # no period in the claim, only one period stored for the place: still a contradiction
    assert one(claims.check("Hải Dương tiếp nhận 900.000 hồ sơ", db)).verdict == "contradicted"
    assert one(claims.check("Hải Dương tiếp nhận hơn 860 nghìn hồ sơ", db)).verdict == "supported"


def test_rounding_to_the_claims_precision(db):
    # 844.567 rounds to "845 nghìn"; "844,6 nghìn" too; "844 nghìn" does not
    assert one(claims.check("Năm 2023, TP.HCM số hóa 845 nghìn hồ sơ", db)).verdict == "supported"
    assert one(claims.check("Năm 2023, TP.HCM số hóa 844,6 nghìn hồ sơ", db)).verdict == "supported"
    assert one(claims.check("Năm 2023, TP.HCM số hóa 844 nghìn hồ sơ", db)).verdict == "contradicted"
    assert one(claims.check("Năm 2023, TP.HCM số hóa khoảng 830 nghìn hồ sơ", db)).verdict == "supported"
    assert one(claims.check("Năm 2023, TP.HCM số hóa khoảng 800 nghìn hồ sơ", db)).verdict == "contradicted"  # ±5%
    assert one(claims.check("Năm 2023, TP.HCM số hóa hơn 900 nghìn hồ sơ", db)).verdict == "contradicted"


def test_wrong_province_not_found_and_says_what_was_searched(db):
    fig = one(claims.check("Năm 2023, Nghệ An giải quyết đúng hạn 98,8% hồ sơ", db))
    assert fig.verdict == "not_found"
    assert fig.searched["metric"] == "dossier.on_time"
    assert "Nghệ An" in fig.searched["scopes"]
    assert "Nghệ An" in fig.message and "2023-01-01/2023-12-31" in fig.message


def test_wrong_period_not_found(db):
    assert one(claims.check("Năm 2022, Hải Dương giải quyết đúng hạn 98,8% hồ sơ", db)).verdict == "not_found"


def test_alias_is_the_same_place(db):
    for name in ("TP.HCM", "Thành phố Hồ Chí Minh", "TP. Hồ Chí Minh"):
        fig = one(claims.check(f"Năm 2023, {name} số hóa 844.567 hồ sơ", db))
        assert fig.verdict == "supported", (name, fig.message)


def test_merged_province_is_one_place(db):
    assert places.successors()["Hải Dương"] == "Hải Phòng"
    fig = one(claims.check("10 tháng năm 2023, Hải Phòng tiếp nhận 860.246 hồ sơ", db))
    assert fig.verdict == "supported"
    assert fig.evidence[0]["scope"] == "Hải Dương"
    assert "Hải Dương" in fig.searched["scopes"]


def test_two_premerger_provinces_are_not_one_place(tmp_path):
    # Hà Nam and Nam Định both merged into Ninh Bình; they are still two places.
    assert places.successors()["Hà Nam"] == places.successors()["Nam Định"]
    arts = [Article(path="hn.txt", title="Hà Nam cải cách", published="2024-01-10",
                    text="Hà Nam cải cách\nNăm 2023, tỉnh Hà Nam giải quyết đúng hạn 99,1% hồ sơ.")]
    db = _store(tmp_path / "f.db", arts)
    assert one(claims.check("Năm 2023, Nam Định giải quyết đúng hạn 90% hồ sơ", db)).verdict == "not_found"
    assert one(claims.check("Năm 2023, Ninh Bình giải quyết đúng hạn 99,1% hồ sơ", db)).verdict == "supported"


def test_claim_without_place_matches_any_scope_but_does_not_contradict(db):
    fig = one(claims.check("Năm 2023, tỉnh số hóa 844.567 hồ sơ", db))
    assert fig.scope is None and fig.verdict == "supported"
    fig = one(claims.check("Năm 2023, tỉnh số hóa 500.000 hồ sơ", db))
    assert fig.verdict == "not_found"
    assert "names no place" in fig.message and fig.evidence  # what is stored is shown


def test_breakdown_in_one_article_is_not_a_dispute(tmp_path):
    arts = [Article(path="b.txt", title="Quảng Ninh công bố thủ tục", published="2024-01-10",
                    text="Quảng Ninh công bố thủ tục\nNăm 2023, tỉnh Quảng Ninh đã công bố 1.250 thủ tục, "
                         "trong đó 760 thủ tục mới.")]
    db = _store(tmp_path / "f.db", arts)
    assert one(claims.check("Năm 2023 Quảng Ninh công bố 760 thủ tục", db)).verdict == "supported"
    assert one(claims.check("Năm 2023 Quảng Ninh công bố 1.250 thủ tục", db)).verdict == "supported"


def test_no_figure(db):
    res = claims.check("Cải cách hành chính là nhiệm vụ trọng tâm của tỉnh", db)
    assert res.verdict == "no_figure" and res.figures == []
    assert res.message.startswith("no figure found in claim:")
    assert claims.check("", db).verdict == "no_figure"


def test_check_many_keeps_order_and_as_dict_is_json(db):
    texts = ["Năm 2023, Hải Dương giải quyết đúng hạn 98,8% hồ sơ", "Không có số nào", "Năm 2023, TP.HCM số hóa 845 nghìn hồ sơ"]
    results = claims.check_many(texts, db)
    assert [r.claim for r in results] == texts
    assert [r.verdict for r in results] == ["disputed", "no_figure", "supported"]
    json.dumps([r.as_dict() for r in results], ensure_ascii=False)


# --------------------------------------------------------------------------- values and SQL


@pytest.mark.parametrize("text,value,step", [
    ("98,8%", 98.8, 0.1), ("845 nghìn", 845000, 1000), ("860.246", 860246, 1),
    ("1,2 triệu", 1200000, 100000), ("72.4", 72.4, 0.1), ("463", 463, 1), ("98%", 98, 1),
])
def test_precision(text, value, step):
    assert claims.precision(text, value) == pytest.approx(step)


def test_queries_use_indexes(db):
    conn = sqlite3.connect(db)
    for scopes, period in ((["Hải Dương", "Hải Phòng"], "2023-01-01/2023-12-31"), (None, None),
                           (None, "2023-01-01/2023-10-31")):
        sql, params = claims.candidates_query("dossier.on_time", "percent", scopes, period)
        plan = " ".join(r[-1] for r in conn.execute("EXPLAIN QUERY PLAN " + sql, params))
        assert "SCAN" not in plan, plan
        assert any(f"idx_facts_{c}" in plan for c in ("metric", "scope", "period")), plan


def test_missing_db_is_an_error(tmp_path):
    from extractor.errors import StoreError

    with pytest.raises(StoreError):
        claims.check("Hải Dương tiếp nhận 5 hồ sơ", tmp_path / "nope.db")


# --------------------------------------------------------------------------- CLI


def test_cli_json_in_input_order(db, tmp_path):
    f = tmp_path / "claims.txt"
    f.write_text("Năm 2023, TP.HCM số hóa 845 nghìn hồ sơ\n\nKhông có số\n", encoding="utf-8")
    r = CliRunner().invoke(cli, ["check", "--db", str(db), "--json", "--file", str(f)])
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert [o["claim"] for o in out] == ["Năm 2023, TP.HCM số hóa 845 nghìn hồ sơ", "Không có số"]
    fig = out[0]["figures"][0]
    assert {"metric", "value", "unit", "scope", "period", "verdict", "evidence"} <= set(fig)
    assert fig["verdict"] == "supported" and out[1]["verdict"] == "no_figure"


def test_cli_text_output_and_missing_db(db, tmp_path):
    r = CliRunner().invoke(cli, ["check", "Năm 2023, Hải Dương giải quyết đúng hạn 98,8% hồ sơ", "--db", str(db)])
    assert r.exit_code == 0, r.output
    assert "disputed" in r.output and "97,1%" in r.output
    r = CliRunner().invoke(cli, ["check", "Hải Dương tiếp nhận 5 hồ sơ", "--db", str(tmp_path / "none.db")])
    assert r.exit_code == 1 and "Error:" in r.output


def test_cli_article_and_expect(db, tmp_path):
    draft = tmp_path / "draft.txt"
    draft.write_text("Hải Dương: kết quả năm 2023\n\nNăm 2023, tỉnh Hải Dương giải quyết đúng hạn 98,8% hồ sơ. "
                     "10 tháng năm 2023, tỉnh tiếp nhận 860.246 hồ sơ.\n", encoding="utf-8")
    r = CliRunner().invoke(cli, ["check", "--article", str(draft), "--db", str(db), "--json"])
    assert r.exit_code == 0, r.output
    verdicts = [f["verdict"] for f in json.loads(r.output)[0]["figures"]]
    assert "disputed" in verdicts and "supported" in verdicts
    lines = tmp_path / "c.jsonl"
    lines.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in [
        {"claim": "Năm 2023, TP.HCM số hóa 845 nghìn hồ sơ", "verdict": "supported"},
        {"claim": "Năm 2023, Nghệ An giải quyết đúng hạn 98,8% hồ sơ", "verdict": "not_found"},
        {"claim": "Năm 2023, TP.HCM số hóa 900 nghìn hồ sơ", "verdict": "supported"},
    ]), encoding="utf-8")
    r = CliRunner().invoke(cli, ["check", "--file", str(lines), "--expect", "--db", str(db)])
    assert r.exit_code == 0, r.output
    assert "2/3" in r.output
    report = claims.evaluate_claims(lines, db)
    assert report["accuracy"] == pytest.approx(2 / 3)
    assert report["confusion"]["supported"] == {"supported": 1, "contradicted": 1}
    assert [w["line"] for w in report["wrong"]] == [3]


# --------------------------------------------------------------------------- the claims corpus

CLAIMS_FILE = ROOT / "corpus" / "newsroom.claims.jsonl"
#: Measured verdict accuracy on corpus/newsroom.claims.jsonl; raise it when the checker improves.
CORPUS_FLOOR = 0.98


@pytest.mark.skipif(not CLAIMS_FILE.exists(), reason="corpus/newsroom.claims.jsonl not written yet")
def test_claims_corpus_accuracy(tmp_path, monkeypatch):
    from store_helpers import stand_in_reader

    stand_in_reader(monkeypatch)
    db = tmp_path / "corpus.db"
    ingest([str(ROOT / "corpus")], db)
    report = claims.evaluate_claims(CLAIMS_FILE, db)
    print(f"\nclaims accuracy {report['correct']}/{report['claims']} = {report['accuracy']:.3f}")
    for w in report["wrong"]:
        print("  wrong:", w["line"], w["expected"], "->", w["got"], w["claim"])
    assert report["claims"] > 0
    assert report["accuracy"] >= CORPUS_FLOOR
