"""The monthly digest: its numbers against direct SQL, its files, and the HTML in
a real headless Chromium."""
from __future__ import annotations

import base64
import importlib
import os
import re
import shutil
import sqlite3
import struct
import subprocess
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner

from extractor.cli import cli
from extractor.digest import build_digest, write_digest, write_range

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT.parent / "shared" / "corpus" / "dev"
CORPUS = ROOT / "corpus"
IN_CI = os.environ.get("CI", "").lower() == "true"
MONTH = "2024-07"

# A province reported in three months, one story told twice (the copy says
# "Trích theo" the first outlet), and a second province.
ARTICLES = {
    "bd-2024-05.txt": """Title: Bình Định: tháng 4 giải quyết đúng hạn 97,5% hồ sơ
Published: 2024-05-15
URL: https://binhdinh.gov.vn/tin-tuc/thang-4-2024

Trong tháng 4/2024, tỉnh Bình Định tiếp nhận 12.500 hồ sơ thủ tục hành chính, giải quyết đúng hạn 97,5%.

Ông Nguyễn Tuấn Thanh, Phó Chủ tịch UBND tỉnh Bình Định, yêu cầu các sở thực hiện nghiêm Nghị định 61/2018/NĐ-CP.
""",
    "bd-2024-06.txt": """Title: Bình Định: tháng 5 giải quyết đúng hạn 98,2% hồ sơ
Published: 2024-06-12
URL: https://binhdinh.gov.vn/tin-tuc/thang-5-2024

Trong tháng 5/2024, tỉnh Bình Định tiếp nhận 13.100 hồ sơ thủ tục hành chính, giải quyết đúng hạn 98,2%.
""",
    "bd-2024-07.txt": """Title: Bình Định: tháng 6 giải quyết đúng hạn 98,9% hồ sơ
Published: 2024-07-10
URL: https://binhdinh.gov.vn/tin-tuc/thang-6-2024

Trong tháng 6/2024, tỉnh Bình Định tiếp nhận 14.020 hồ sơ thủ tục hành chính, giải quyết đúng hạn 98,9%.

Ông Nguyễn Tuấn Thanh, Phó Chủ tịch UBND tỉnh Bình Định, đề nghị tiếp tục thực hiện Nghị định 61/2018/NĐ-CP.
""",
    "bd-2024-07-copy.txt": """Title: Hồ sơ đúng hạn ở Bình Định đạt gần 99%
Published: 2024-07-11
URL: https://baomoi.com/ho-so-dung-han-binh-dinh

Tháng 6/2024, Bình Định tiếp nhận 14.020 hồ sơ thủ tục hành chính; tỷ lệ giải quyết đúng hạn là 98,9%.

(Trích theo binhdinh.gov.vn)
""",
    "qn-2024-07.txt": """Title: Quảng Ninh giải quyết đúng hạn 99,1% hồ sơ trong 6 tháng
Published: 2024-07-20
URL: https://baoquangninh.vn/6-thang-2024

6 tháng đầu năm 2024, tỉnh Quảng Ninh tiếp nhận 250.000 hồ sơ thủ tục hành chính, giải quyết đúng hạn 99,1%.

Ông Cao Tường Huy, Chủ tịch UBND tỉnh Quảng Ninh, chủ trì hội nghị sơ kết công tác cải cách hành chính.
""",
}


def _fold(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).lower().split())


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    from extractor.store import ingest

    folder = tmp_path_factory.mktemp("digest-articles")
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    paths = [str(folder), str(CORPUS)] + ([str(DEV)] if DEV.is_dir() else [])
    path = tmp_path_factory.mktemp("digest-db") / "reform.db"
    with pytest.MonkeyPatch.context() as mp:
        try:
            importlib.import_module("extractor.reading")
        except ModuleNotFoundError:
            from store_helpers import stand_in_reader

            stand_in_reader(mp)
        ingest(paths, db=path)
    return path


def sql(db, query, *args):
    conn = sqlite3.connect(db)
    try:
        return conn.execute(query, args).fetchall()
    finally:
        conn.close()


MONTH_WHERE = "a.published >= ? AND a.published < ?"


def bounds(month):
    y, m = map(int, month.split("-"))
    return month, (f"{y + 1}-01" if m == 12 else f"{y}-{m + 1:02d}")


# --------------------------------------------------------------------------- numbers


def test_month_has_articles(db):
    assert sql(db, f"SELECT count(*) FROM articles a WHERE {MONTH_WHERE}", *bounds(MONTH))[0][0] >= 3


def test_numbers_match_sql(db):
    d = build_digest(db, MONTH)
    b = bounds(MONTH)
    assert d.article_count == sql(db, f"SELECT count(*) FROM articles a WHERE {MONTH_WHERE}", *b)[0][0]
    assert sum(d.outlets.values()) == d.article_count
    expected = dict(sql(db, f"""SELECT metric, count(*) FROM (
            SELECT DISTINCT f.metric, f.scope, f.period, f.value, f.unit, f.approx, f.total
            FROM facts f JOIN articles a ON a.id = f.article_id
            WHERE f.kind = 'figure' AND f.value IS NOT NULL AND {MONTH_WHERE}) GROUP BY metric""", *b))
    assert d.figure_counts == expected
    assert d.figure_counts.get("dossier.on_time")
    names = {_fold(n) for (n,) in sql(db, f"""SELECT DISTINCT f.name FROM facts f JOIN articles a
            ON a.id = f.article_id WHERE f.kind = 'official' AND f.name IS NOT NULL AND {MONTH_WHERE}""", *b)}
    assert {_fold(p["name"]) for p in d.officials} == names
    assert any(_fold(p["name"]) == _fold("Nguyễn Tuấn Thanh") for p in d.officials)
    refs = {r.replace(" ", "").upper() for (r,) in sql(db, f"""SELECT DISTINCT f.ref FROM facts f JOIN articles a
            ON a.id = f.article_id WHERE f.kind = 'legal_ref' AND {MONTH_WHERE}""", *b)}
    assert {r["ref"].replace(" ", "").upper() for r in d.legal_refs} == refs
    # every article is in exactly one story
    assert sorted(a["id"] for s in d.stories for a in s.articles) == sorted(a["id"] for a in d.articles)


def test_same_story_counts_once_and_keeps_every_source(db):
    d = build_digest(db, MONTH)
    story = next(s for s in d.stories if "baomoi.com" in s.sources)
    assert "binhdinh.gov.vn" in story.sources
    assert d.story_count < d.article_count
    # a figure both tell is one row that lists both articles
    ids = {a["id"] for a in story.articles}
    assert any(ids <= set(f.article_ids) for rows in d.figures.values() for f in rows)


def test_month_over_month(db):
    d = build_digest(db, MONTH)
    earlier = sql(db, """SELECT DISTINCT substr(a.published, 1, 7) FROM facts f JOIN articles a
            ON a.id = f.article_id WHERE f.metric = 'dossier.on_time' AND f.scope = 'Bình Định'
            AND f.unit = 'percent' AND a.published < ?""", MONTH)
    change = [c for c in d.changes if (c.metric, c.scope, c.unit) == ("dossier.on_time", "Bình Định", "percent")]
    if not earlier:
        pytest.skip("extraction found no earlier dossier.on_time for Bình Định")
    assert change and [m for m, _ in change[0].series[:-1]] == sorted(m for (m,) in earlier)
    assert change[0].current == (MONTH, 98.9)
    # the fixture's own months, in order (other corpus articles may add earlier years)
    assert [p for p in change[0].series if p[0] >= "2024-01"] == [("2024-05", 97.5), ("2024-06", 98.2), (MONTH, 98.9)]


def test_empty_month_says_so(db, tmp_path):
    d = build_digest(db, "1999-01")
    assert d.empty and d.article_count == 0
    html_path = write_digest(db, "1999-01", "html", tmp_path / "empty.html")
    md_path = write_digest(db, "1999-01", "md", tmp_path / "empty.md")
    for path in (html_path, md_path):
        text = path.read_text(encoding="utf-8")
        assert "Không có bài viết nào trong tháng 1999-01" in text
        assert "No articles were published in 1999-01" in text
    assert not list(tmp_path.glob("*.png"))


def test_sparse_month_renders(db, tmp_path):
    months = [m for (m,) in sql(db, "SELECT substr(published, 1, 7) FROM articles WHERE published IS NOT NULL "
                                    "GROUP BY 1 ORDER BY count(*), 1 LIMIT 1")]
    path = write_digest(db, months[0], "html", tmp_path / "sparse.html")
    assert "</html>" in path.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- files


def test_markdown_links_existing_pngs(db, tmp_path):
    path = write_digest(db, MONTH, "md", tmp_path / "digest.md")
    text = path.read_text(encoding="utf-8")
    links = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text)
    assert len(links) >= 2
    for link in links:
        png = tmp_path / link
        assert png.is_file() and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    anchors = set(re.findall(r'<a id="(s\d+)"></a>', text))
    assert set(re.findall(r"\]\(#(s\d+)\)", text)) <= anchors


def _img_sources(text: str) -> list[str]:
    return re.findall(r"<img\b[^>]*\bsrc=\"([^\"]*)\"", text)


def test_html_is_self_contained(db, tmp_path):
    path = write_digest(db, MONTH, "html", tmp_path / "digest.html")
    text = path.read_text(encoding="utf-8")
    assert '<meta charset="utf-8">' in text
    assert "<table" in text and "data:image/png;base64," in text
    assert "Bình Định" in text and "Bản tin cải cách hành chính" in text
    assert not re.search(r"""(?:src|href)=["'](?!data:|#|https?://)""", text), "no local file references"
    assert '<link rel="stylesheet"' not in text and "<script" not in text
    sources = _img_sources(text)
    assert len(sources) >= 2
    for src in sources:
        assert src.startswith("data:image/png;base64,")
        assert base64.b64decode(src.split(",", 1)[1], validate=True)[:8] == b"\x89PNG\r\n\x1a\n"
    # every source-sentence link has its anchor
    assert set(re.findall(r'href="#(s\d+)"', text)) <= set(re.findall(r'id="(s\d+)"', text))


def test_range_writes_months_and_index(db, tmp_path):
    index = write_range(db, "2024-05", MONTH, "html", tmp_path / "out")
    assert index.name == "index.html"
    names = {p.name for p in (tmp_path / "out").iterdir()}
    assert {"digest-2024-05.html", "digest-2024-06.html", "digest-2024-07.html"} <= names
    text = index.read_text(encoding="utf-8")
    for m in ("2024-05", "2024-06", "2024-07"):
        assert f'href="digest-{m}.html"' in text
    index_md = write_range(db, "2024-06", MONTH, "md", tmp_path / "md")
    assert "(digest-2024-07.md)" in index_md.read_text(encoding="utf-8")


def test_cli(db, tmp_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["digest", "--help"])
    assert result.exit_code == 0 and "reform-facts digest --month 2024-07" in result.output
    out = tmp_path / "d.html"
    result = runner.invoke(cli, ["digest", "--month", MONTH, "--db", str(db), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.is_file()
    result = runner.invoke(cli, ["digest", "--from", "2024-06", "--to", MONTH, "--db", str(db),
                                 "--format", "md", "-o", str(tmp_path / "r")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "r" / "index.md").is_file() and (tmp_path / "r" / "digest-2024-06.md").is_file()
    result = runner.invoke(cli, ["digest", "--month", "2024-13", "--db", str(db)])
    assert result.exit_code == 1 and "Error: month '2024-13'" in result.output
    result = runner.invoke(cli, ["digest", "--month", MONTH, "--db", str(tmp_path / "missing.db")])
    assert result.exit_code == 1 and "Error:" in result.output


# --------------------------------------------------------------------------- browser


def _chromium() -> str | None:
    for name in ("/usr/bin/chromium", "chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_html_renders_in_headless_chromium(db, tmp_path):
    browser = _chromium()
    if browser is None:
        if IN_CI:
            pytest.fail("chromium is not installed (CI must install it: apt-get install -y chromium)")
        pytest.skip("chromium is not installed")
    html_path = write_digest(db, MONTH, "html", tmp_path / "digest.html")
    shot = tmp_path / "shot.png"
    profile = tmp_path / "profile"
    argv = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage", "--hide-scrollbars", f"--user-data-dir={profile}",
            "--window-size=1200,2000", f"--screenshot={shot}", html_path.resolve().as_uri()]
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=120)
    assert shot.is_file(), f"no screenshot (exit {proc.returncode}): {proc.stderr[-2000:]}"
    data = shot.read_bytes()
    assert _png_size(data) == (1200, 2000)

    import matplotlib.image as mpimg
    import numpy as np

    pixels = mpimg.imread(shot)
    colours = np.unique((pixels[..., :3] * 255).astype(np.uint8).reshape(-1, 3), axis=0)
    assert len(colours) > 100, f"screenshot looks blank ({len(colours)} colours)"
    # the page's images are all decodable PNGs (no broken image icons)
    for src in _img_sources(html_path.read_text(encoding="utf-8")):
        raw = base64.b64decode(src.split(",", 1)[1])
        width, height = _png_size(raw)
        assert width > 100 and height > 50
    keep = os.environ.get("DIGEST_SCREENSHOT")
    if keep:
        shutil.copy(shot, keep)
