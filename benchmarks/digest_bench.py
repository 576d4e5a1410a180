"""Digest speed: a database of N articles in one month, then ``write_digest`` as HTML.

    python benchmarks/digest_bench.py [N] [--month 2024-07] [--history 6] [--keep DIR]

Rows are inserted directly with sqlite-utils (no extraction): each article has
realistic facts: 4–10 figures of common metrics for a random province and
period, 1–2 officials, a date and 1–2 legal references; about 5% of articles are
copies of another (other outlet, same figures). ``--history`` adds that many
earlier months of lighter coverage so month-over-month changes have data.
Prints seconds to build and to write; the target is under 10 s for 1,000
articles. Figures only, no assertions: timing depends on the machine.
"""
from __future__ import annotations

import argparse
import hashlib
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from generate import DECREES, FAMILY, GIVEN, MIDDLE, PROVINCES, TITLES  # noqa: E402

OUTLETS = ["baochinhphu.vn", "vietnamplus.vn", "baoquangninh.vn", "baothanhhoa.vn", "nhandan.vn",
           "tuoitre.vn", "vnexpress.net", "baomoi.com", "thanhnien.vn", "laodong.vn"]
METRICS = [  # metric, unit, value range
    ("dossier.received", "count", (5_000, 900_000)), ("dossier.resolved", "count", (5_000, 800_000)),
    ("dossier.on_time", "percent", (90.0, 100.0)), ("dossier.online", "percent", (30.0, 95.0)),
    ("dossier.overdue", "count", (10, 3_000)), ("dossier.digitized", "percent", (40.0, 99.0)),
    ("procedure.published", "count", (50, 2_000)), ("procedure.simplified", "count", (5, 300)),
    ("procedure.abolished", "count", (1, 150)), ("online_service.provided", "count", (300, 2_000)),
    ("online_service.full_process", "count", (100, 1_200)), ("payment.online", "percent", (10.0, 80.0)),
    ("feedback.received", "count", (10, 5_000)), ("index.score", "score", (80.0, 93.0)),
    ("index.rank", "rank", (1, 63)), ("task.completed", "count", (5, 60)),
]


def _period(month: str, rng: random.Random) -> str | None:
    y, m = map(int, month.split("-"))
    prev = m - 1 or 12
    yp = y if m > 1 else y - 1
    return rng.choice([f"{yp}-{prev:02d}-01/{yp}-{prev:02d}-28", f"{y}-01-01/{y}-06-30",
                       f"{yp}-01-01/{yp}-12-31", None])


def _figure(article_id, province, month, rng, sentence_no):
    metric, unit, (lo, hi) = rng.choice(METRICS)
    value = round(rng.uniform(lo, hi), 1) if unit in ("percent", "score") else float(rng.randint(int(lo), int(hi)))
    text = f"{value:g}".replace(".", ",") + ("%" if unit == "percent" else "")
    return {"article_id": article_id, "kind": "figure", "text": text,
            "sentence": f"Câu {sentence_no}: tỉnh {province} đạt {text} ({metric}).",
            "start": sentence_no * 80, "end": sentence_no * 80 + len(text), "metric": metric, "value": value,
            "unit": unit, "total": 63.0 if metric == "index.rank" else None,
            "approx": rng.choice(["exact"] * 6 + ["over", "about"]), "scope": province,
            "period": _period(month, rng)}


def make_db(path: Path, n: int, month: str, history: int, seed: int = 7) -> None:
    import sqlite_utils

    from extractor.store import open_db

    open_db(path).close()
    db = sqlite_utils.Database(path)
    rng = random.Random(seed)
    y, m = map(int, month.split("-"))
    months = []
    for back in range(history, -1, -1):
        mm, yy = m - back, y
        while mm < 1:
            mm, yy = mm + 12, yy - 1
        months.append((f"{yy:04d}-{mm:02d}", n if back == 0 else max(1, n // 10)))
    people = [(f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}", rng.choice(TITLES),
               rng.choice(PROVINCES)) for _ in range(120)]
    articles, facts = [], []
    for mon, count in months:
        previous = []
        for i in range(count):
            province = rng.choice(PROVINCES)
            day = rng.randint(1, 28)
            text = f"{mon}-{i}-{province}-{rng.random()}"
            article_id = hashlib.sha256(text.encode()).hexdigest()[:16]
            outlet = rng.choice(OUTLETS)
            articles.append({"id": article_id, "path": f"{mon}/{i:05d}.txt",
                             "title": f"{province}: kết quả cải cách thủ tục hành chính ({mon}, bài {i})",
                             "published": f"{mon}-{day:02d}", "source": f"https://{outlet}/bai-{i}",
                             "author": "PV", "text": f"Bài {i} về {province}. " * 40, "file_hash": article_id,
                             "ingested_at": "2024-08-01T00:00:00+00:00", "extractor_version": "bench"})
            if previous and rng.random() < 0.05:  # a copy: same figures, other outlet
                source = rng.choice(previous)
                facts.extend({**f, "article_id": article_id} for f in source)
                continue
            mine = [_figure(article_id, province, mon, rng, k) for k in range(rng.randint(4, 10))]
            for name, title, place in rng.sample(people, rng.randint(1, 2)):
                mine.append({"article_id": article_id, "kind": "official", "text": name,
                             "sentence": f"Ông {name}, {title} {place}, phát biểu.", "start": 0, "end": len(name),
                             "name": name, "title": title, "organization": f"UBND tỉnh {place}",
                             "role": title})
            mine.append({"article_id": article_id, "kind": "date", "text": f"{day}/{mon[5:]}",
                         "sentence": "Sáng nay ...", "start": 0, "end": 5, "date": f"{mon}-{day:02d}",
                         "role": "event"})
            for ref in rng.sample(DECREES, rng.randint(1, 2)):
                mine.append({"article_id": article_id, "kind": "legal_ref", "text": ref,
                             "sentence": f"Thực hiện {ref}.", "start": 0, "end": len(ref), "ref": ref,
                             "doc_type": "Nghị định" if "NĐ" in ref else "Quyết định"})
            previous.append(mine)
            facts.extend(mine)
    db["articles"].insert_all(articles, batch_size=500)
    db["facts"].insert_all(facts, batch_size=2000)
    db.close()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", nargs="?", type=int, default=1000)
    parser.add_argument("--month", default="2024-07")
    parser.add_argument("--history", type=int, default=6)
    parser.add_argument("--keep", type=Path, help="write the db and digest here instead of a temp folder")
    args = parser.parse_args(argv)

    from extractor.digest import build_digest, write_digest

    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        db = folder / "bench.db"
        if db.exists():
            db.unlink()
        t0 = time.perf_counter()
        make_db(db, args.n, args.month, args.history)
        t1 = time.perf_counter()
        d = build_digest(db, args.month)
        t2 = time.perf_counter()
        out = write_digest(db, args.month, "html", folder / f"digest-{args.month}.html")
        t3 = time.perf_counter()
        md = write_digest(db, args.month, "md", folder / f"digest-{args.month}.md")
        t4 = time.perf_counter()
        print(f"db: {args.n} articles in {args.month} (+{args.history} earlier months), "
              f"{sum(len(v) for v in d.figures.values())} distinct figures, {d.story_count} stories, "
              f"{len(d.changes)} month-over-month series; generated in {t1 - t0:.2f} s")
        print(f"build_digest:        {t2 - t1:.2f} s")
        print(f"write_digest html:   {t3 - t2:.2f} s  ({out.stat().st_size / 1e6:.1f} MB)  target < 10 s")
        print(f"write_digest md:     {t4 - t3:.2f} s  ({md.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
