"""Shared material for the store and CLI tests: a small folder of articles
written for these tests, and a deterministic stand-in for extraction."""
from __future__ import annotations

import importlib
import sqlite3
import sys
import types
from pathlib import Path

import regex

ARTICLES = {
    "binh-dinh.txt": """Title: Bình Định giải quyết đúng hạn hơn 98% hồ sơ
Published: 2024-01-12
URL: https://binhdinh.gov.vn/tin-tuc/cai-cach-hanh-chinh

Năm 2023, tỉnh Bình Định tiếp nhận 120.500 hồ sơ, giải quyết đúng hạn 98,5%.

Theo Sở Nội vụ, toàn tỉnh đã công bố 1.802 thủ tục hành chính, trong đó 312 thủ tục được cắt giảm thời gian giải quyết.
""",
    "quang-ninh.txt": """Title: Quảng Ninh dẫn đầu Chỉ số cải cách hành chính
Published: 2023-06-02
URL: https://baoquangninh.vn/quang-ninh-dan-dau

Sáng 1/6, Bộ Nội vụ công bố Chỉ số cải cách hành chính năm 2022. Quảng Ninh đạt 91,02 điểm, xếp thứ 1/63 tỉnh, thành phố.

Ông Cao Tường Huy, Chủ tịch UBND tỉnh, cho biết tỉnh sẽ tiếp tục thực hiện Nghị định 61/2018/NĐ-CP.
""",
    "nested/ha-noi.txt": """Title: Hà Nội số hóa hồ sơ thủ tục hành chính
Published: 2024-05-08

Từ đầu năm đến nay, thành phố Hà Nội đã số hóa 1,2 triệu hồ sơ. Tỷ lệ hồ sơ trực tuyến đạt 72,4%.

Trước ngày 30/6/2024, các sở phải hoàn thành rà soát 45 thủ tục nội bộ.
""",
    "da-nang.txt": """Title: Đà Nẵng cung cấp 1.050 dịch vụ công trực tuyến
Published: 2023-11-20

10 tháng năm 2023, Đà Nẵng cung cấp 1.050 dịch vụ công trực tuyến, trong đó 630 dịch vụ toàn trình. Thành phố tiếp nhận 2.314 phản ánh, kiến nghị và đã xử lý 2.290.
""",
}

_NUMBER = regex.compile(r"\d+(?:[.,]\d+)*")


def write_corpus(folder: Path, articles: dict[str, str] = ARTICLES) -> Path:
    for name, text in articles.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


def fake_extract(article) -> list[dict]:
    """Deterministic facts: every number of the body is a figure; a fixed date and legal_ref."""
    facts = []
    for m in _NUMBER.finditer(article.text):
        facts.append({"kind": "figure", "text": m.group(), "sentence": m.group(),
                      "start": m.start(), "end": m.end(), "metric": "dossier.received",
                      "value": float(len(m.group())), "unit": "count", "total": None,
                      "approx": "exact", "scope": "Bình Định", "period": None})
    facts.append({"kind": "date", "text": "x", "sentence": "x", "start": 0, "end": 1,
                  "date": "2024-01-01", "role": "other"})
    facts.append({"kind": "legal_ref", "text": "x", "sentence": "x", "start": 0, "end": 1,
                  "ref": "61/2018/NĐ-CP", "doc_type": "Nghị định"})
    return facts


def stand_in_reader(monkeypatch) -> None:
    """Until ``extractor/reading.py`` lands, stand in a minimal reader of ``.txt`` files
    (header block of ``Key: value`` lines, one ReadError per bad file), for one test only."""
    try:
        importlib.import_module("extractor.reading")
        return
    except ModuleNotFoundError as exc:
        if exc.name != "extractor.reading":
            raise
    from extractor.article import Article
    from extractor.errors import ReadError

    def read_one(path: Path, root: Path):
        rel = path.relative_to(root).as_posix() if path != root else path.name
        try:
            raw = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            return ReadError(rel, f"cannot read: {exc}")
        head, _, body = raw.partition("\n\n")
        meta = dict(line.split(": ", 1) for line in head.splitlines() if ": " in line)
        body = body.strip()
        if not body:
            return ReadError(rel, "no article text")
        return Article(path=rel, text=body, title=meta.get("Title"),
                       published=meta.get("Published"), source=meta.get("URL"))

    def iter_articles(paths):
        for p in map(Path, paths):
            files = sorted(f for f in p.rglob("*.txt")) if p.is_dir() else [p]
            root = p if p.is_dir() else p.parent
            for f in files:
                yield read_one(f, root)

    module = types.ModuleType("extractor.reading")
    module.iter_articles = iter_articles
    monkeypatch.setitem(sys.modules, "extractor.reading", module)


def rows(db: Path, table: str, exclude=("ingested_at",)) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        cols = [r[1] for r in conn.execute(f"PRAGMA table_info([{table}])") if r[1] not in exclude]
        order = "rowid" if table != "files" else "path"
        return conn.execute(f"SELECT {', '.join(f'[{c}]' for c in cols)} FROM [{table}] ORDER BY {order}").fetchall()
    finally:
        conn.close()


def count(db: Path, sql: str, *args):
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, args).fetchone()[0]
    finally:
        conn.close()
