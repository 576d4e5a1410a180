"""Reading: formats, encodings, bad files, folders, metadata rules, and the real dev articles."""
from __future__ import annotations

import json
import os
import unicodedata
from pathlib import Path

import pytest

from extractor import patterns, reading
from extractor.article import Article
from extractor.errors import ReadError
from extractor.reading import (decode_bytes, iter_articles, legacy_encoding, looks_like_headline,
                               match_attribution, match_byline, match_dateline, read_file)

DEV = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "dev"
META = patterns.load("metadata")

SENTENCE = "Năm 2023, tỉnh Quảng Ninh tiếp nhận 860.246 hồ sơ thủ tục hành chính, 98,8% đúng hạn."
HEADLINE = "Quảng Ninh giải quyết 98,8% hồ sơ đúng hạn"


def _only(items):
    assert len(items) == 1, items
    return items[0]


def _read(path, **kw):
    return list(iter_articles([path], **kw))


# --- metadata rules (examples beside the rules in patterns/metadata.yaml) ----

DATELINE_EXAMPLES = [(r["name"], ex) for r in META["datelines"] for ex in r["examples"]]


@pytest.mark.parametrize("rule, ex", DATELINE_EXAMPLES, ids=[ex["line"] for _, ex in DATELINE_EXAMPLES])
def test_dateline_examples(rule, ex):
    found = match_dateline(ex["line"])
    assert found, f"rule {rule!r}: no dateline found in {ex['line']!r}"
    assert found[0] == ex["published"], f"rule {rule!r} (matched by {found[2]!r}): wrong date"
    assert found[1] == ex.get("author"), f"rule {rule!r}: wrong author"


@pytest.mark.parametrize("line", META["not_datelines"])
def test_not_datelines(line):
    found = match_dateline(line)
    assert found is None, f"rule {found and found[2]!r} took a body line for a dateline"


BYLINE_EXAMPLES = [(r["name"], ex) for r in META["bylines"] for ex in r["examples"]]


@pytest.mark.parametrize("rule, ex", BYLINE_EXAMPLES, ids=[ex["line"] for _, ex in BYLINE_EXAMPLES])
def test_byline_examples(rule, ex):
    found = match_byline(ex["line"], "end")
    assert found, f"rule {rule!r}: no byline in {ex['line']!r}"
    assert found == (ex["author"], rule), f"rule {rule!r}: got {found}"


@pytest.mark.parametrize("line", META["not_bylines"])
def test_not_bylines(line):
    assert match_byline(line, "end") is None and match_byline(line, "top") is None


ATTRIBUTION_EXAMPLES = [(r["name"], r.get("kind", "line"), ex) for r in META["attributions"] for ex in r["examples"]]


@pytest.mark.parametrize("rule, kind, ex", ATTRIBUTION_EXAMPLES, ids=[ex["line"][:30] for *_, ex in ATTRIBUTION_EXAMPLES])
def test_attribution_examples(rule, kind, ex):
    found = match_attribution(ex["line"], kind)
    assert found, f"rule {rule!r}: nothing found in {ex['line']!r}"
    assert found[0] == ex["source"] and found[1] == ex.get("author"), f"rule {rule!r}: got {found}"


@pytest.mark.parametrize("ex", META["headline"]["examples"], ids=lambda ex: ex["line"][:40])
def test_headline_examples(ex):
    assert looks_like_headline(ex["line"]) is ex["headline"]


def test_attribution_line_is_not_an_agency_mention_in_the_body():
    assert match_attribution("Theo TTXVN, năm 2023 có 1.200 hồ sơ.") is None


# --- formats -------------------------------------------------------------------

def test_txt_with_header(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text(
        "URL: https://baoquangninh.vn/bai-1.html\nTitle: " + HEADLINE + "\nPublished: 2024-05-08\n"
        "author: Đỗ Lan\n\n" + HEADLINE + "\n\n" + SENTENCE + "\n", encoding="utf-8")
    a = _only(_read(f))
    assert isinstance(a, Article)
    assert (a.path, a.title, a.published, a.source, a.author) == (
        "a.txt", HEADLINE, "2024-05-08", "https://baoquangninh.vn/bai-1.html", "Đỗ Lan")
    assert a.text == HEADLINE + "\n\n" + SENTENCE  # header gone, headline once, first
    assert "URL" not in a.text and "Published" not in a.text


def test_txt_header_month_only_and_title_prepended(tmp_path):
    f = tmp_path / "b.txt"
    f.write_text("Title: " + HEADLINE + "\nDate: 2019-02\n\n" + SENTENCE, encoding="utf-8")
    a = _only(_read(f))
    assert a.published == "2019-02"
    assert a.text.split("\n")[:3] == [HEADLINE, "", SENTENCE]


def test_txt_without_header_scraped_dump(tmp_path):
    f = tmp_path / "c.txt"
    f.write_text(
        "TRANG CHỦ TIN TỨC CHUYỂN ĐỔI SỐ\n\nChuyển đổi số\n\n" + HEADLINE + " \n\n"
        "PHAN ANH - THÀNH CHUNG 10/11/2023 11:24\n\n" + SENTENCE + "\n\nảnh_1.jpeg\n"
        "Phiên họp tại điểm cầu tỉnh.\nPhiên họp tại điểm cầu tỉnh.\n\n"
        "Sáng 10/11, Phó Chủ tịch Thường trực UBND tỉnh Lưu Văn Bản phát biểu.\n\n"
        "(Trích theo baoquangninh.vn)\n(0) Bình luận\n" + HEADLINE + "\n", encoding="utf-8")
    a = _only(_read(f))
    assert a.title == HEADLINE
    assert a.published == "2023-11-10"
    assert a.author == "PHAN ANH - THÀNH CHUNG"
    assert a.source == "baoquangninh.vn"
    assert a.text == (HEADLINE + "\n\n" + SENTENCE + "\n\nPhiên họp tại điểm cầu tỉnh.\n\n"
                      "Sáng 10/11, Phó Chủ tịch Thường trực UBND tỉnh Lưu Văn Bản phát biểu.")


def test_txt_body_sentence_first_is_no_title(tmp_path):
    f = tmp_path / "d.txt"
    f.write_text("URL: https://a.vn/x\n\n" + SENTENCE + "\nLONG PHI\n", encoding="utf-8")
    a = _only(_read(f))
    assert a.title is None and a.author == "LONG PHI"
    assert a.text == SENTENCE


def test_dateline_deep_in_body_is_ignored(tmp_path):
    lines = [HEADLINE] + [f"Đoạn {i}: tỉnh tiếp nhận {i * 100} hồ sơ trong tháng." for i in range(1, 10)]
    f = tmp_path / "e.txt"
    f.write_text("\n\n".join(lines + ["08/05/2024", "Đoạn cuối có 12 thủ tục được công bố."]), encoding="utf-8")
    a = _only(_read(f))
    assert a.published is None and "08/05/2024" in a.text


def test_markdown_front_matter(tmp_path):
    f = tmp_path / "m.md"
    f.write_text(
        "---\ntitle: " + HEADLINE + "\ndate: 2024-03-11\nurl: https://baobinhthuan.vn/x.html\nauthor: P.V\n---\n"
        "# " + HEADLINE + "\n\nNăm 2023, tỉnh **ban hành 53 văn bản** quy phạm pháp luật theo "
        "[Nghị định 61/2018/NĐ-CP](https://vbpl.vn/61) và *công bố* 1.687 thủ tục.\n\n"
        "![ảnh hội nghị](img/hoi-nghi.jpg)\n\n## Kết quả nổi bật\n\n" + SENTENCE + "\n", encoding="utf-8")
    a = _only(_read(f))
    assert (a.title, a.published, a.source, a.author) == (HEADLINE, "2024-03-11", "https://baobinhthuan.vn/x.html", "P.V")
    assert a.text == (HEADLINE + "\n\nNăm 2023, tỉnh ban hành 53 văn bản quy phạm pháp luật theo "
                      "Nghị định 61/2018/NĐ-CP và công bố 1.687 thủ tục.\n\nKết quả nổi bật\n\n" + SENTENCE)


HTML = """<!doctype html><html><head><meta charset="utf-8"><title>{h} | Báo Quảng Ninh</title>
<meta property="og:title" content="{h}">
<meta property="article:published_time" content="2024-05-08T10:15:00+07:00">
<meta name="author" content="Đỗ Lan"><link rel="canonical" href="https://baoquangninh.vn/bai-2.html">
</head><body><nav><a href="/">TRANG CHỦ</a> <a href="/cds">CHUYỂN ĐỔI SỐ</a></nav>
<article><h1>{h}</h1><p>{s}</p>
<p>Phó Thủ tướng Chính phủ Trần Lưu Quang chủ trì cuộc họp về cải cách thủ tục hành chính với các bộ, ngành.</p>
</article><div class="comments"><h3>Bình luận</h3><p>Bài viết rất hay, cảm ơn tòa soạn.</p></div>
<footer>Bản quyền thuộc về Báo Quảng Ninh</footer></body></html>"""


def test_html_via_trafilatura(tmp_path):
    f = tmp_path / "p.html"
    f.write_text(HTML.format(h=HEADLINE, s=SENTENCE), encoding="utf-8")
    a = _only(_read(f))
    assert (a.title, a.published, a.source, a.author) == (HEADLINE, "2024-05-08", "https://baoquangninh.vn/bai-2.html", "Đỗ Lan")
    assert a.text.startswith(HEADLINE + "\n\n") and a.text.count(HEADLINE) == 1
    assert SENTENCE in a.text and "Trần Lưu Quang" in a.text
    assert "Bình luận" not in a.text and "TRANG CHỦ" not in a.text


def test_html_lead_kept_outside_the_article_block_is_put_back(tmp_path):
    page = """<html><head><meta property="article:published_time" content="2017-10-05T09:47:00+07:00">
<title>9 tháng, Trung tâm tiếp nhận hơn 41.000 hồ sơ</title></head><body>
<nav>Trang chủ | Tin tức</nav><h1>9 tháng, Trung tâm tiếp nhận hơn 41.000 hồ sơ</h1>
<div class="summary">Sáng 4/10, Trung tâm Hành chính công tỉnh tổ chức giao ban đánh giá kết quả 9 tháng.</div>
<div class="content"><p>Trong 9 tháng đầu năm 2017, Trung tâm Hành chính công tỉnh đã tiếp nhận 41.236 hồ sơ của tổ chức,
công dân, giải quyết đúng hạn 40.982 hồ sơ, đạt 99,4%; không có hồ sơ trễ hạn phải xin lỗi người dân.</p>
<p>Giám đốc Trung tâm cho biết sẽ mở rộng dịch vụ trả kết quả qua bưu điện trong quý IV năm 2017.</p></div>
</body></html>"""
    f = tmp_path / "hue.html"
    f.write_text(page, encoding="utf-8")
    a = _only(_read(f))
    assert a.text.count("Sáng 4/10, Trung tâm Hành chính công tỉnh tổ chức giao ban") == 1
    assert "đã tiếp nhận 41.236 hồ sơ" in a.text


def test_jsonl_several_lines_one_bad(tmp_path):
    f = tmp_path / "feed.jsonl"
    rows = [
        json.dumps({"title": HEADLINE, "published": "2024-05-08T08:00:00Z", "url": "https://a.vn/1", "text": SENTENCE}, ensure_ascii=False),
        '{"title": "hỏng", "text": ',
        "",
        json.dumps({"headline": "Hà Nội cắt giảm 50 thủ tục", "date": "10/11/2023", "content": "Hà Nội cắt giảm 50 thủ tục hành chính trong năm 2023."}, ensure_ascii=False),
        json.dumps({"title": "Không có nội dung"}, ensure_ascii=False),
        json.dumps({"html": HTML.format(h=HEADLINE, s=SENTENCE)}, ensure_ascii=False),
    ]
    f.write_text("\n".join(rows) + "\n", encoding="utf-8")
    items = _read(f)
    assert [type(i).__name__ for i in items] == ["Article", "ReadError", "Article", "ReadError", "Article"]
    assert [i.path for i in items] == ["feed.jsonl#1", "feed.jsonl#2", "feed.jsonl#4", "feed.jsonl#5", "feed.jsonl#6"]
    assert items[0].published == "2024-05-08" and items[0].source == "https://a.vn/1"
    assert items[1].reason.startswith("invalid JSON on line 2:")
    assert items[2].published == "2023-11-10" and items[2].title == "Hà Nội cắt giảm 50 thủ tục"
    assert items[3].reason == "no article text"
    assert items[4].title == HEADLINE and items[4].published == "2024-05-08"


def test_json_list_and_single_object(tmp_path):
    (tmp_path / "list.json").write_text(json.dumps([
        {"title": HEADLINE, "publish_date": "2024-05-08", "link": "https://a.vn/2", "author": "PV", "body": SENTENCE},
        {"title": "Bộ Tài chính cắt giảm 30% thời gian", "time": 1714521600, "text": "Bộ Tài chính cắt giảm 30% thời gian xử lý."},
    ], ensure_ascii=False), encoding="utf-8")
    (tmp_path / "one.json").write_text(json.dumps({"text": SENTENCE}), encoding="utf-8")
    (tmp_path / "bad.json").write_text('{"text": "thiếu dấu đóng"', encoding="utf-8")
    items = _read(tmp_path)
    assert [i.path for i in items] == ["bad.json", "list.json#1", "list.json#2", "one.json"]
    assert isinstance(items[0], ReadError) and items[0].reason.startswith("invalid JSON on line 1")
    assert (items[1].source, items[1].author, items[1].published) == ("https://a.vn/2", "PV", "2024-05-08")
    assert items[2].published == "2024-05-01"
    assert items[3].text == SENTENCE and items[3].title is None


def test_json_feed_field_variants(tmp_path):
    """Feeds name the date field differently and may give an ISO time with a zone or epoch milliseconds."""
    (tmp_path / "feed.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in [
        {"headline": HEADLINE, "published_at": "2024-01-12T08:00:00+07:00", "canonical": "https://a.vn/1", "content": SENTENCE},
        {"title": HEADLINE, "pubDate": 1705046400000, "text": SENTENCE},
        {"title": HEADLINE, "date_published": 10 ** 20, "text": SENTENCE},
    ]), encoding="utf-8")
    items = _read(tmp_path)
    assert [(i.published, i.source) for i in items] == [
        ("2024-01-12", "https://a.vn/1"), ("2024-01-12", None), (None, None)]


# --- encodings -----------------------------------------------------------------

TONES = "\u0300\u0301\u0303\u0309\u0323"


def cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese software writes it: base letters precomposed, tone marks combining."""
    out = []
    for ch in text:
        nfd = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in nfd if c not in TONES))
        out.append(base.encode("cp1258") + "".join(c for c in nfd if c in TONES).encode("cp1258"))
    return b"".join(out)


@pytest.mark.parametrize("name, encode", [
    ("utf-8", lambda s: s.encode("utf-8")),
    ("utf-8 BOM", lambda s: s.encode("utf-8-sig")),
    ("utf-16 BOM", lambda s: s.encode("utf-16")),
    ("utf-16-le no BOM", lambda s: s.encode("utf-16-le")),
    ("utf-16-be no BOM", lambda s: s.encode("utf-16-be")),
    ("windows-1258", cp1258),
    ("NFD utf-8", lambda s: unicodedata.normalize("NFD", s).encode("utf-8")),
])
def test_encodings_decode_to_the_same_text(tmp_path, name, encode):
    raw = HEADLINE + "\r\n\r\n" + SENTENCE + " Đồng chí Nguyễn Tuấn Hà, Phó Chủ tịch UBND tỉnh, dự họp.\r\n"
    f = tmp_path / "enc.txt"
    f.write_bytes(encode(raw))
    a = _only(_read(f))
    assert isinstance(a, Article), a
    assert a.text == HEADLINE + "\n\n" + SENTENCE + " Đồng chí Nguyễn Tuấn Hà, Phó Chủ tịch UBND tỉnh, dự họp."


def test_cp1258_helper_really_uses_combining_marks():
    assert b"\xd2" in cp1258("thủ") and decode_bytes(cp1258("thủ tục")) == "thủ tục"


ENC = patterns.load("encodings")


@pytest.mark.parametrize("ex", ENC["examples"], ids=lambda ex: ex["encoding"])
def test_legacy_encoding_examples(ex):
    data = ex["latin1"].encode("latin-1")
    assert legacy_encoding(data) == ex["encoding"]
    with pytest.raises(ReadError) as info:
        decode_bytes(data)
    assert info.value.reason == f"undecodable: looks like {ex['encoding']} legacy encoding; convert to UTF-8"


def test_legacy_file_rejected_not_mojibake(tmp_path):
    f = tmp_path / "old.txt"
    f.write_bytes(("Thñ tôc hµnh chÝnh ®\u00adîc ®¬n gi¶n hãa. N¨m 2023 cã 1.200 hå s¬.\n").encode("latin-1"))
    err = _only(_read(f))
    assert isinstance(err, ReadError) and "TCVN3" in err.reason and err.path == "old.txt"


def test_windows_1258_with_many_vowel_pairs_is_not_taken_for_legacy():
    text = "Muốn người dân hài lòng, cơ quan phải tuyên truyền, hướng dẫn; khuyến khích nộp hồ sơ trực tuyến."
    assert decode_bytes(cp1258(text)) == text


# --- bad files and folders -----------------------------------------------------

def test_bad_files_each_give_one_error_and_the_batch_goes_on(tmp_path, monkeypatch):
    (tmp_path / "a_empty.txt").write_bytes(b"  \n\n")
    (tmp_path / "b_binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01\x02\x03" * 20)
    (tmp_path / "c_undecodable.txt").write_bytes(b"\x81\x8d\x8f\x90\x9d tin t\x81c \x8d\x8f")
    (tmp_path / "d_good.txt").write_text(HEADLINE + "\n\n" + SENTENCE, encoding="utf-8")
    locked = tmp_path / "e_locked.txt"
    locked.write_text(SENTENCE, encoding="utf-8")
    locked.chmod(0)
    if os.access(locked, os.R_OK):  # running as root: simulate the refusal
        real = Path.read_bytes

        def read_bytes(self):
            if self.name == "e_locked.txt":
                raise PermissionError(13, "Permission denied", str(self))
            return real(self)
        monkeypatch.setattr(Path, "read_bytes", read_bytes)
    (tmp_path / "f_good.md").write_text("# Tỉnh công bố 45 thủ tục\n\n" + SENTENCE, encoding="utf-8")
    items = _read(tmp_path)
    got = [(i.path, getattr(i, "reason", "ok")) for i in items]
    assert got == [
        ("a_empty.txt", "empty file"),
        ("b_binary.txt", "binary file (not text)"),
        ("c_undecodable.txt", "undecodable: not UTF-8, UTF-16 or Windows-1258; convert to UTF-8"),
        ("d_good.txt", "ok"),
        ("e_locked.txt", "permission denied"),
        ("f_good.md", "ok"),
    ]
    assert str(items[0]) == "a_empty.txt: empty file"


def test_on_error_callback_and_raise(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"")
    (tmp_path / "b.txt").write_text(SENTENCE, encoding="utf-8")
    seen = []
    assert [a.path for a in iter_articles([tmp_path], on_error=seen.append)] == ["b.txt"]
    assert [e.path for e in seen] == ["a.txt"]
    with pytest.raises(ReadError, match="a.txt: empty file"):
        list(iter_articles([tmp_path], on_error="raise"))
    with pytest.raises(ReadError, match="empty file"):
        read_file(tmp_path / "a.txt")
    assert read_file(tmp_path / "b.txt")[0].text == SENTENCE


def test_folder_walked_recursively_sorted_and_filtered(tmp_path):
    for rel in ["b/2.txt", "b/sub/1.md", "a.html", "c.jsonl", ".hidden/x.txt", "b/.x.txt",
                "b/2.gold.json", "notes.csv", "z.htm"]:
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        if rel.endswith((".html", ".htm")):
            p.write_text(HTML.format(h=HEADLINE, s=SENTENCE), encoding="utf-8")
        elif rel.endswith(".jsonl"):
            p.write_text(json.dumps({"text": SENTENCE}) + "\n", encoding="utf-8")
        else:
            p.write_text(SENTENCE, encoding="utf-8")
    paths = [i.path for i in iter_articles([tmp_path])]
    assert paths == ["a.html", "b/2.txt", "b/sub/1.md", "c.jsonl#1", "z.htm"]
    assert [i.path for i in iter_articles([tmp_path / "b" / "2.txt"])] == ["2.txt"]


def test_iteration_streams_one_file_at_a_time(tmp_path, monkeypatch):
    for i in range(5):
        (tmp_path / f"{i}.txt").write_text(f"Tỉnh tiếp nhận {i}00 hồ sơ.", encoding="utf-8")
    opened = []
    real = reading._iter_file
    monkeypatch.setattr(reading, "_iter_file", lambda p, r: (opened.append(p.name), (yield from real(p, r)))[1])
    it = iter_articles([tmp_path])
    first = next(it)
    assert first.path == "0.txt" and opened == ["0.txt"]


def test_missing_path_is_a_read_error(tmp_path):
    err = _only(_read(tmp_path / "nope.txt"))
    assert isinstance(err, ReadError) and err.reason == "no such file or directory"


# --- the real dev articles -----------------------------------------------------

DEV_FILES = sorted(DEV.glob("*.txt")) if DEV.is_dir() else []
needs_dev = pytest.mark.skipif(not DEV_FILES, reason="../shared/corpus/dev not present")
BOILERPLATE = ["Bình luận", "Multimedia", "TRANG CHỦ", ".jpeg", ".png", "Quay lên trên", "LƯU Ý: BDO",
               "{keywords}", "Chia sẻ b", "Ý kiến bạn đọc", "![]", "Mời quý vị", "nguồn: internet",
               "URL:", "Published:"]


@pytest.fixture(scope="module")
def dev_articles():
    return {a.path: a for a in iter_articles([DEV])}


@needs_dev
@pytest.mark.parametrize("path", [p.name for p in DEV_FILES])
def test_dev_article(dev_articles, path):
    a = dev_articles[path]
    assert isinstance(a, Article), a
    gold = json.loads((DEV / path.replace(".txt", ".gold.json")).read_text(encoding="utf-8"))
    if gold.get("published"):
        assert a.published == gold["published"]
    original = (DEV / path).read_text(encoding="utf-8")
    left = [b for b in BOILERPLATE if b in a.text]
    assert not left, f"boilerplate left: {left}"
    if a.title:
        lines = {line.strip().rstrip(" |") for line in original.splitlines()}
        assert a.title in lines and a.text.startswith(a.title + "\n\n")
        assert not a.title.isupper() and "Multimedia" not in a.title
    # body sentences with numbers survive (normalised)
    from extractor.normalising import normalize
    numbered = [line.strip() for line in original.splitlines()
                if len(line.strip()) > 120 and any(c.isdigit() for c in line) and not line.startswith(("URL:", "LƯU Ý", "Chia sẻ"))]
    for line in numbered[:3]:
        assert normalize(line) in a.text


@needs_dev
@pytest.mark.parametrize("path, title, author, source", [
    ("002_9783581ca62f16e8.txt", "Cải cách thủ tục hành chính phải đem lại sự hài lòng cho người dân", "PHAN ANH - THÀNH CHUNG", None),
    ("004_71044ca39a940ff5.txt", "Chính phủ họp trực tuyến về cải cách thủ tục hành chính", None, "baoquangninh.vn"),
    ("d004.txt", None, "Mai Hương", "https://nghean24h.vn/"),
    ("d007.txt", "Tỷ lệ giải quyết hồ sơ cấp xã đạt 99,99%", "SÔNG TRÀ", "https://baobinhduong.vn/"),
    ("d017.txt", "Hà Nội: 100% kết quả thủ tục hành chính trả qua bản điện tử", None, None),
    ("d021.txt", None, None, "https://www.vietnamplus.vn/"),
    ("000_c4e877e96fbf5476.txt", "Đề cao vai trò, trách nhiệm người đứng đầu trong thực hiện nhiệm vụ cải cách thủ tục hành chính", "Đỗ Lan", None),
])
def test_dev_metadata_spot_checks(dev_articles, path, title, author, source):
    a = dev_articles[path]
    assert a.title == title
    if author:
        assert a.author == author
    if source:
        assert a.source.startswith(source)
    assert author is None or author not in a.text.split("\n")[-1]


def test_gold_and_claim_files_beside_articles_are_not_read(tmp_path):
    from extractor.reading import iter_articles

    (tmp_path / "a.txt").write_text("Tỉnh Nam Định tiếp nhận 1.200 hồ sơ.\n", encoding="utf-8")
    (tmp_path / "a.gold.json").write_text('{"file": "a.txt", "figures": []}', encoding="utf-8")
    (tmp_path / "newsroom.claims.jsonl").write_text('{"claim": "Nam Định tiếp nhận 1.200 hồ sơ", "verdict": "supported"}\n',
                                                    encoding="utf-8")
    got = list(iter_articles([tmp_path]))
    assert [a.path for a in got] == ["a.txt"]
