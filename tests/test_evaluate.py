"""Scoring rules of extractor.evaluate on small hand-written gold/prediction pairs."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractor.article import Article
from extractor.evaluate import (
    EvalReport,
    evaluate_dir,
    fold_name,
    gold_to_predictions,
    role_matches,
    score,
)

DEV = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "dev"


def fig(metric, value, unit="count", total=None, scope="Lào Cai", period="2024-01-01/2024-06-30",
        optional=False, text=None, **extra):
    g = {"metric": metric, "value": value, "unit": unit, "approx": "exact", "total": total,
         "scope": scope, "period": period, "text": text or f"{value} hồ sơ"}
    if optional:
        g["optional"] = True
    g.update(extra)
    return g


def pred(kind="figure", **fields):
    fields.setdefault("text", "")
    fields.setdefault("sentence", "")
    return {"kind": kind, **fields}


def gold_doc(figures=(), officials=(), dates=(), legal_refs=()):
    return {"file": "bai_mau.txt", "published": "2024-07-05", "figures": list(figures),
            "officials": list(officials), "dates": list(dates), "legal_refs": list(legal_refs)}


def counts(report: EvalReport, kind: str) -> tuple[int, int, int]:
    c = report.counts[kind]
    return c.tp, c.fp, c.fn


GOLD = gold_doc(
    figures=[fig("dossier.received", 12345, text="tiếp nhận 12.345 hồ sơ"),
             fig("dossier.on_time", 97.5, unit="percent", text="97,5% hồ sơ đúng hạn"),
             fig("task.completed", 13, total=17, text="hoàn thành 13/17 nhiệm vụ")],
    officials=[{"name": "Nguyễn Thị Thủy", "title": "Phó Chủ tịch UBND tỉnh",
                "role": "Phó Chủ tịch UBND tỉnh", "organization": "UBND tỉnh Lào Cai"}],
    dates=[{"date": "2024-07-04", "role": "event", "text": "sáng 4/7"}],
    legal_refs=[{"ref": "61/2018/NĐ-CP", "doc_type": "Nghị định"}],
)


def test_exact_match_scores_one():
    report = score(GOLD, gold_to_predictions(GOLD))
    for kind in ("figure_typed", "figure_detected", "official", "date", "legal_ref"):
        assert report.f1(kind) == 1.0, kind
        assert report.precision(kind) == 1.0 and report.recall(kind) == 1.0
    assert counts(report, "figure_typed") == (3, 0, 0)
    assert report.scope.value == 1.0 and report.period.value == 1.0 and report.role.value == 1.0
    assert not report.misses and not report.extras


def test_value_tolerance_and_string_value():
    gold = gold_doc(figures=[fig("dossier.on_time", 97.5, unit="percent")])
    report = score(gold, [pred(metric="dossier.on_time", value=97.5 + 1e-9, unit="percent",
                               scope="Lào Cai", period="2024-01-01/2024-06-30")])
    assert counts(report, "figure_typed") == (1, 0, 0)
    report = score(gold, [pred(metric="dossier.on_time", value=97.6, unit="percent")])
    assert counts(report, "figure_typed") == (0, 1, 1)


def test_wrong_metric_counts_in_detected_not_typed():
    gold = gold_doc(figures=[fig("dossier.received", 12345)])
    report = score(gold, [pred(metric="dossier.resolved", value=12345, unit="count")])
    assert counts(report, "figure_typed") == (0, 1, 1)
    assert counts(report, "figure_detected") == (1, 0, 0)


def test_detected_uses_unit_class_only():
    gold = gold_doc(figures=[fig("index.rank", 9, unit="rank", total=63)])
    # a count with the same value is "not percent" like a rank: detected
    report = score(gold, [pred(metric="procedure.total", value=9, unit="count")])
    assert counts(report, "figure_detected") == (1, 0, 0)
    # a percent with the same value is not
    report = score(gold, [pred(metric="procedure.total", value=9, unit="percent")])
    assert counts(report, "figure_detected") == (0, 1, 1)


def test_total_must_match_where_gold_has_one():
    gold = gold_doc(figures=[fig("task.completed", 13, total=17)])
    report = score(gold, [pred(metric="task.completed", value=13, unit="count", total=18)])
    assert counts(report, "figure_typed") == (0, 1, 1)
    assert counts(report, "figure_detected") == (1, 0, 0)  # detection ignores the total
    report = score(gold, [pred(metric="task.completed", value=13, unit="count", total=None)])
    assert counts(report, "figure_typed") == (0, 1, 1)
    report = score(gold, [pred(metric="task.completed", value=13, unit="count", total=17.0)])
    assert counts(report, "figure_typed") == (1, 0, 0)


def test_total_ignored_where_gold_has_none():
    gold = gold_doc(figures=[fig("dossier.received", 120, total=None)])
    report = score(gold, [pred(metric="dossier.received", value=120, unit="count", total=150)])
    assert counts(report, "figure_typed") == (1, 0, 0)


def test_optional_gold_matched_is_neither_tp_nor_fp():
    gold = gold_doc(figures=[fig("procedure.simplified", 30, unit="percent", optional=True)])
    report = score(gold, [pred(metric="procedure.simplified", value=30, unit="percent")])
    assert counts(report, "figure_typed") == (0, 0, 0)
    assert counts(report, "figure_detected") == (0, 0, 0)
    assert not report.extras and not report.misses


def test_optional_gold_unmatched_is_no_fn():
    gold = gold_doc(figures=[fig("dossier.received", 500),
                             fig("dossier.received", 1400, optional=True, approx="over")])
    report = score(gold, [pred(metric="dossier.received", value=500, unit="count")])
    assert counts(report, "figure_typed") == (1, 0, 0)
    assert report.recall("figure_typed") == 1.0


def test_required_matched_before_optional():
    # both gold facts share the key; the only prediction must go to the required one
    gold = gold_doc(figures=[fig("dossier.received", 800, optional=True, scope="Lào Cai"),
                             fig("dossier.received", 800, scope="Yên Bái")])
    report = score(gold, [pred(metric="dossier.received", value=800, unit="count", scope="Lào Cai",
                               period="2024-01-01/2024-06-30")])
    assert counts(report, "figure_typed") == (1, 0, 0)
    # scope disagrees with the required fact it was paired with: the pairing is not bent for accuracy
    assert report.scope.n == 1 and report.scope.correct == 0


def test_overlapping_keys_get_the_best_matching():
    # gold A (total null) accepts either prediction; gold B only the one with total 17
    gold = gold_doc(figures=[fig("task.completed", 13, total=None, text="13 nhiệm vụ"),
                             fig("task.completed", 13, total=17)])
    preds = [pred(metric="task.completed", value=13, unit="count", total=17),
             pred(metric="task.completed", value=13, unit="count", total=None)]
    report = score(gold, preds)
    assert counts(report, "figure_typed") == (2, 0, 0)


def test_each_gold_matches_at_most_one_prediction():
    gold = gold_doc(figures=[fig("dossier.received", 12345)],
                    officials=[{"name": "Lê Văn Hòa", "title": "Giám đốc Sở Nội vụ", "role": "Giám đốc Sở",
                                "organization": "Sở Nội vụ"}])
    p = pred(metric="dossier.received", value=12345, unit="count", text="12.345 hồ sơ",
             sentence="Toàn tỉnh tiếp nhận 12.345 hồ sơ.")
    o = pred("official", name="Lê Văn Hòa", title="Giám đốc Sở Nội vụ")
    report = score(gold, [p, dict(p), o, dict(o)])
    assert counts(report, "figure_typed") == (1, 1, 0)
    assert counts(report, "figure_detected") == (1, 1, 0)
    assert counts(report, "official") == (1, 1, 0)
    assert report.precision("figure_typed") == 0.5


def test_prefers_prediction_with_agreeing_scope_and_period():
    gold = gold_doc(figures=[fig("dossier.received", 900, scope="Lào Cai", period="2024-01-01/2024-06-30")])
    preds = [pred(metric="dossier.received", value=900, unit="count", scope="Yên Bái", period=None),
             pred(metric="dossier.received", value=900, unit="count", scope="lào  cai",
                  period="2024-01-01/2024-06-30")]
    report = score(gold, preds)
    assert counts(report, "figure_typed") == (1, 1, 0)
    assert report.scope.value == 1.0 and report.period.value == 1.0
    assert report.extras[0].fact["scope"] == "Yên Bái"


def test_name_folding():
    gold = gold_doc(officials=[{"name": "Nguyễn Thị Thuỷ", "title": "Giám đốc Sở Tư pháp",
                                "role": "Giám đốc Sở", "organization": "Sở Tư pháp"},
                               {"name": "Trần Văn Hoà", "title": "Chủ tịch UBND huyện",
                                "role": "Chủ tịch UBND huyện", "organization": "UBND huyện"}])
    preds = [pred("official", name="Nguyễn Thị Thủy", title="Giám đốc Sở Tư pháp"),
             pred("official", name="  TRẦN  văn   HÒA ", title="Chủ tịch UBND huyện")]
    report = score(gold, preds)
    assert counts(report, "official") == (2, 0, 0)
    assert fold_name("Thuỷ") == fold_name("Thủy")
    assert fold_name("Hoà") == fold_name("Hòa")
    assert fold_name("Khoẻ") == fold_name("Khỏe")
    assert fold_name("Thủy") != fold_name("Thùy")
    assert fold_name("Hòa") != fold_name("Hoa")
    report = score(gold, [pred("official", name="Nguyễn Thị Thùy", title="Giám đốc Sở Tư pháp")])
    assert counts(report, "official") == (0, 1, 2)


def test_role_containment_with_ubnd_long_form():
    assert role_matches("Phó Chủ tịch Thường trực Ủy ban nhân dân tỉnh", "Phó Chủ tịch Thường trực UBND tỉnh")
    assert role_matches("Phó Chủ tịch Thường trực UBND tỉnh Lào Cai", "Phó Chủ tịch Thường trực Uỷ ban nhân dân tỉnh")
    assert role_matches("Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh, Trưởng Ban", "Chủ tịch UBND tỉnh")
    assert not role_matches("Phó Chủ tịch UBND tỉnh", "Phó Chủ tịch Thường trực UBND tỉnh")
    assert not role_matches("Giám đốc Sở Tư pháp", "Chánh Văn phòng UBND tỉnh")

    gold = gold_doc(officials=[{"name": "Đỗ Minh Tuấn", "title": "Phó Chủ tịch Thường trực UBND tỉnh",
                                "role": "Phó Chủ tịch Thường trực UBND tỉnh", "organization": "UBND tỉnh"},
                               {"name": "Vũ Thị Lan", "title": "Giám đốc Sở Nội vụ", "role": "Giám đốc Sở",
                                "organization": "Sở Nội vụ"}])
    preds = [pred("official", name="Đỗ Minh Tuấn", title="Phó Chủ tịch Thường trực Ủy ban nhân dân tỉnh"),
             pred("official", name="Vũ Thị Lan", title="Phó Giám đốc Bảo hiểm xã hội")]
    report = score(gold, preds)
    assert counts(report, "official") == (2, 0, 0)
    assert (report.role.correct, report.role.n) == (1, 2)
    assert report.role.value == 0.5


def test_legal_ref_folding():
    gold = gold_doc(legal_refs=[{"ref": "61/2018/NĐ-CP", "doc_type": "Nghị định"},
                                {"ref": "30c/NQ-CP", "doc_type": "Nghị quyết"}])
    preds = [pred("legal_ref", ref="61 / 2018 / nđ-cp", doc_type="Nghị định"),
             pred("legal_ref", ref="30C/NQ - CP", doc_type="Nghị quyết")]
    report = score(gold, preds)
    assert counts(report, "legal_ref") == (2, 0, 0)
    report = score(gold, [pred("legal_ref", ref="61/2019/NĐ-CP")])
    assert counts(report, "legal_ref") == (0, 1, 2)


def test_dates_by_exact_string():
    gold = gold_doc(dates=[{"date": "2024-07-04", "role": "event", "text": "sáng 4/7"}])
    assert counts(score(gold, [pred("date", date="2024-07-04", role="other")]), "date") == (1, 0, 0)
    assert counts(score(gold, [pred("date", date="2024-07-05", role="event")]), "date") == (0, 1, 1)


def test_scope_and_period_accuracy_over_matched_figures():
    gold = gold_doc(figures=[
        fig("dossier.received", 100, scope="Hà Giang", period="2024-01-01/2024-06-30"),
        fig("dossier.resolved", 90, scope="Hà Giang", period="2024-01-01/2024-06-30"),
        fig("procedure.total", 1800, scope="Hà Giang", period=None),
        fig("dossier.online", 40, scope="Hà Giang", period="2024-01-01/2024-06-30"),  # missed
    ])
    preds = [
        pred(metric="dossier.received", value=100, unit="count", scope="hà giang", period="2024-01-01/2024-06-30"),
        pred(metric="dossier.resolved", value=90, unit="count", scope="Việt Nam", period="2024-01-01/2024-12-31"),
        pred(metric="procedure.total", value=1800, unit="count", scope="Hà Giang", period=None),
        pred(metric="feedback.received", value=7, unit="count", scope="Hà Giang", period=None),  # extra
    ]
    report = score(gold, preds)
    assert counts(report, "figure_typed") == (3, 1, 1)
    assert (report.scope.correct, report.scope.n) == (2, 3)
    assert (report.period.correct, report.period.n) == (2, 3)


def test_empty_prediction_scores_zero_not_one():
    report = score(GOLD, [])
    assert report.precision("figure_typed") == 0.0
    assert report.recall("figure_typed") == 0.0
    assert report.f1("figure_typed") == 0.0
    assert report.scope.value is None
    assert counts(report, "official") == (0, 0, 1)


def test_other_kinds_are_ignored():
    report = score(GOLD, gold_to_predictions(GOLD) + [pred("claim", text="x")])
    assert all(c.fp == 0 for c in report.counts.values())


def test_format_lists_miss_and_extra_with_sentence():
    gold = gold_doc(figures=[fig("dossier.received", 12345, text="tiếp nhận 12.345 hồ sơ")])
    extra = pred(metric="feedback.handled", value=58, unit="count", text="xử lý 58 phản ánh",
                 sentence="Trong kỳ, tỉnh đã xử lý 58 phản ánh, kiến nghị của người dân.")
    text = "Sở Nội vụ cho biết. Sáu tháng đầu năm, toàn tỉnh tiếp nhận 12.345 hồ sơ trực tuyến. Hết."
    report = score(gold, [extra], article_text=text)
    out = report.format(errors=True)
    assert out.startswith("reform-facts eval: 1 article")
    assert "figure (typed)" in out and "role accuracy" in out
    assert "bai_mau.txt" in out
    assert "miss" in out and "dossier.received 12345 count" in out and "tiếp nhận 12.345 hồ sơ" in out
    assert "Sáu tháng đầu năm, toàn tỉnh tiếp nhận 12.345 hồ sơ trực tuyến." in out  # the miss's sentence
    assert "extra" in out and "feedback.handled 58 count" in out
    assert "Trong kỳ, tỉnh đã xử lý 58 phản ánh, kiến nghị của người dân." in out
    assert "xử lý 58 phản ánh" not in report.format(errors=False)
    assert report.misses[0].file == "bai_mau.txt"
    assert report.extras[0].sentence == extra["sentence"]


def test_format_table_layout():
    out = score(GOLD, gold_to_predictions(GOLD)).format()
    lines = out.splitlines()
    rows = [line for line in lines if line.split("  ")[0].strip() in
            ("figure (typed)", "figure (detected)", "official", "date", "legal_ref")]
    assert len(rows) == 5
    assert len({len(r) for r in rows}) == 1  # aligned
    assert "1.000" in rows[0]
    for label in ("scope accuracy", "period accuracy", "role accuracy"):
        assert any(line.startswith(label) for line in lines)


def test_as_dict_is_json():
    report = score(GOLD, [pred(metric="dossier.received", value=float("nan"), unit="count", obj=object())])
    data = json.loads(json.dumps(report.as_dict()))
    assert data["counts"]["figure_typed"]["fn"] == 3
    assert data["extras"][0]["kind"] == "figure_typed"
    assert data["articles"][0]["file"] == "bai_mau.txt"


def _write_sample(tmp_path: Path) -> Path:
    (tmp_path / "a1.txt").write_text(
        "Lào Cai: cải cách hành chính\n\nSáu tháng đầu năm 2024, tỉnh tiếp nhận 12.345 hồ sơ.\n",
        encoding="utf-8")
    gold = gold_doc(figures=[fig("dossier.received", 12345, text="tiếp nhận 12.345 hồ sơ")])
    gold["file"] = "a1.txt"
    (tmp_path / "a1.gold.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "b2.txt").write_text("Ông Lê Văn Hòa, Giám đốc Sở Nội vụ, phát biểu.\n", encoding="utf-8")
    gold2 = gold_doc(officials=[{"name": "Lê Văn Hòa", "title": "Giám đốc Sở Nội vụ", "role": "Giám đốc Sở",
                                 "organization": "Sở Nội vụ"}])
    del gold2["file"]  # found beside the gold file by name
    (sub / "b2.gold.json").write_text(json.dumps(gold2, ensure_ascii=False), encoding="utf-8")
    return tmp_path


def test_evaluate_dir_on_files(tmp_path):
    root = _write_sample(tmp_path)
    seen = []

    def extract(article):
        seen.append(article)
        if "12.345" in article.text:
            return [pred(metric="dossier.received", value=12345, unit="count", scope="Lào Cai",
                         period="2024-01-01/2024-06-30")]
        return [pred("official", name="Lê Văn Hoà", title="Giám đốc Sở Nội vụ")]

    report = evaluate_dir(root, extract)
    assert len(report.articles) == 2 and len(seen) == 2
    assert all(isinstance(a, Article) for a in seen)
    assert counts(report, "figure_typed") == (1, 0, 0)
    assert counts(report, "official") == (1, 0, 0)
    assert report.format().startswith(f"reform-facts eval: 2 articles in {root}")
    assert sorted(a.file for a in report.articles) == ["a1.txt", str(Path("sub") / "b2.txt")]
    # a list of inputs, including a ready (gold, article) pair
    pair = (gold_doc(dates=[{"date": "2024-07-04", "role": "event"}]), Article(path="x.txt", text="sáng 4/7"))
    report = evaluate_dir([root / "a1.gold.json", pair], lambda a: [pred("date", date="2024-07-04")])
    assert len(report.articles) == 2
    assert counts(report, "date") == (1, 1, 0)  # the date predicted for a1 has no gold
    assert counts(report, "figure_typed") == (0, 0, 1)


def test_evaluate_dir_without_gold_is_an_error(tmp_path):
    from extractor.errors import ReformFactsError

    with pytest.raises(ReformFactsError):
        evaluate_dir(tmp_path, lambda a: [])


def _dev_golds() -> dict[str, dict]:
    golds = {}
    for path in sorted(DEV.glob("*.gold.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        golds[gold.get("file") or path.name.replace(".gold.json", ".txt")] = gold
    return golds


@pytest.mark.skipif(not DEV.is_dir(), reason="dev corpus not present")
def test_dev_corpus_oracle_and_empty():
    golds = _dev_golds()

    def oracle(article):
        return gold_to_predictions(golds[Path(article.path).name])

    report = evaluate_dir(DEV, oracle)
    assert len(report.articles) == len(golds)
    for kind in ("figure_typed", "figure_detected", "official", "date", "legal_ref"):
        assert report.f1(kind) == 1.0, (kind, report.counts[kind])
    assert report.scope.value == 1.0 and report.period.value == 1.0 and report.role.value == 1.0
    assert not report.misses and not report.extras

    empty = evaluate_dir(DEV, lambda article: [])
    for kind in ("figure_typed", "figure_detected", "official", "date", "legal_ref"):
        assert empty.recall(kind) == 0.0
        assert empty.precision(kind) == 0.0  # no predictions: precision is defined as 0.0
        assert empty.counts[kind].fn > 0
    assert len(empty.misses) == sum(
        1 for g in golds.values() for lst in ("figures", "officials", "dates", "legal_refs")
        for item in g[lst] if not item.get("optional")) + empty.counts["figure_detected"].fn


def test_miss_sentence_found_for_abridged_gold_span():
    from extractor.evaluate import find_sentence

    text = "Mở đầu bài viết. Tỷ lệ hồ sơ trực tuyến của huyện trong quý đạt 64,5%; còn lại nộp trực tiếp. Hết."
    assert find_sentence(text, "Tỷ lệ hồ sơ trực tuyến ... đạt 64,5%") == (
        "Tỷ lệ hồ sơ trực tuyến của huyện trong quý đạt 64,5%; còn lại nộp trực tiếp.")
    assert find_sentence(text, "không có trong bài") is None


def test_errors_list_a_matched_figure_with_the_wrong_period():
    gold = gold_doc(figures=[fig("dossier.received", 12345, text="tiếp nhận 12.345 hồ sơ")])
    wrong = pred(metric="dossier.received", value=12345, unit="count", scope="Lào Cai",
                 period="2024-01-01/2024-12-31", text="tiếp nhận 12.345 hồ sơ",
                 sentence="Cả năm, tỉnh tiếp nhận 12.345 hồ sơ.")
    report = score(gold, [wrong])
    assert counts(report, "figure_typed") == (1, 0, 0)
    assert [e.error for e in report.mismatches] == ["period"]
    out = report.format(errors=True)
    assert "period figure    dossier.received 12345 count (Lào Cai, 2024-01-01/2024-06-30)" in out
    assert "predicted period 2024-01-01/2024-12-31" in out and "Cả năm, tỉnh tiếp nhận" in out
    assert report.as_dict()["mismatches"][0]["note"] == "predicted period 2024-01-01/2024-12-31"


def test_errors_list_a_matched_official_whose_role_is_not_in_the_title():
    gold = gold_doc(officials=[{"name": "Lê Đình Khải", "title": "Phó Tổng Giám đốc BHXH Việt Nam",
                                "role": "Phó Tổng Giám đốc", "organization": "BHXH Việt Nam"}])
    wrong = pred("official", name="Lê Đình Khải", title="Ủy viên Ban Cán sự Đảng", role="Ủy viên",
                 text="Lê Đình Khải, Ủy viên Ban Cán sự Đảng", sentence="Ông Lê Đình Khải, Ủy viên Ban Cán sự Đảng.")
    report = score(gold, [wrong])
    assert counts(report, "official") == (1, 0, 0) and report.role.correct == 0
    assert [e.error for e in report.mismatches] == ["role"]
    assert "gold role 'Phó Tổng Giám đốc' not in predicted title 'Ủy viên Ban Cán sự Đảng'" in report.format(errors=True)
