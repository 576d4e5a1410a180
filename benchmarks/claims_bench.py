"""Claim-check latency over a large store: N synthetic articles' facts, then C checks.

    python benchmarks/claims_bench.py [N] [--checks C] [--seed S] [--keep FILE]

Facts are inserted directly with sqlite-utils (no extraction) into a database
made by ``extractor.store.open_db``, so the schema and its indexes are the
real ones. Each article gets 8–16 figures: realistic metrics, units, one of 63
provinces (with a share of post-2025 names and ``Việt Nam``), periods of
years, half-years, quarters and months. Claims are built from stored facts
(exact, ``hơn``/``gần``/``khoảng``, other places, other periods, no
place, no figure). Prints median and p95 milliseconds per check (target
< 200 ms) and the split between extraction of the claim and the lookup.
Figures only, no assertions: timing depends on the machine.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

METRICS = [  # metric, unit, value range, decimals
    ("dossier.received", "count", (1_000, 900_000), 0),
    ("dossier.resolved", "count", (1_000, 800_000), 0),
    ("dossier.on_time", "percent", (80, 99.9), 1),
    ("dossier.overdue", "count", (3, 4_000), 0),
    ("dossier.online", "percent", (20, 95), 2),
    ("dossier.digitized", "count", (1_000, 500_000), 0),
    ("procedure.published", "count", (200, 2_500), 0),
    ("procedure.abolished", "count", (1, 400), 0),
    ("procedure.amended", "count", (3, 300), 0),
    ("procedure.simplified", "count", (3, 300), 0),
    ("online_service.provided", "count", (200, 2_500), 0),
    ("online_service.full_process", "count", (50, 1_500), 0),
    ("feedback.received", "count", (3, 900), 0),
    ("feedback.handled", "count", (3, 900), 0),
    ("task.completed", "count", (5, 200), 0),
    ("index.score", "score", (75, 93), 2),
    ("index.rank", "rank", (1, 63), 0),
    ("payment.online", "count", (1_000, 900_000), 0),
]
VERBS = {"dossier.received": "tiếp nhận {n} hồ sơ", "dossier.resolved": "giải quyết {n} hồ sơ",
         "dossier.on_time": "giải quyết đúng hạn {n}% hồ sơ", "dossier.overdue": "có {n} hồ sơ trễ hạn",
         "dossier.online": "có {n}% hồ sơ nộp trực tuyến", "dossier.digitized": "số hóa {n} hồ sơ",
         "procedure.published": "công bố {n} thủ tục hành chính",
         "procedure.abolished": "bãi bỏ {n} thủ tục hành chính",
         "procedure.amended": "sửa đổi, bổ sung {n} thủ tục hành chính",
         "procedure.simplified": "cắt giảm, đơn giản hóa {n} thủ tục hành chính",
         "online_service.provided": "cung cấp {n} dịch vụ công trực tuyến",
         "online_service.full_process": "có {n} dịch vụ công trực tuyến toàn trình",
         "feedback.received": "tiếp nhận {n} phản ánh, kiến nghị",
         "feedback.handled": "xử lý {n} phản ánh, kiến nghị",
         "task.completed": "hoàn thành {n} nhiệm vụ",
         "index.score": "đạt {n} điểm Chỉ số cải cách hành chính",
         "index.rank": "xếp thứ {n}/63 Chỉ số cải cách hành chính",
         "payment.online": "có {n} giao dịch thanh toán trực tuyến"}


def _periods(year: int) -> list[tuple[str, str]]:
    return [(f"{year}-01-01/{year}-12-31", f"Năm {year}"),
            (f"{year}-01-01/{year}-06-30", f"6 tháng đầu năm {year}"),
            (f"{year}-01-01/{year}-03-31", f"Quý I/{year}"),
            (f"{year}-01-01/{year}-09-30", f"9 tháng năm {year}"),
            (f"{year}-05-01/{year}-05-31", f"Tháng 5/{year}")]


def _vn(value: float, decimals: int) -> str:
    if decimals:
        return f"{value:.{decimals}f}".replace(".", ",")
    return f"{int(value):,}".replace(",", ".")


def build(db_path: Path, n: int, rng: random.Random) -> list[dict]:
    from extractor import places
    from extractor.store import open_db

    provinces = sorted(set(places.successors()) | set(places.successors().values()))
    provinces += ["Việt Nam"] * 3
    db = open_db(db_path)
    articles, facts = [], []
    truth: dict[tuple, float] = {}
    fid = 0
    for i in range(n):
        aid = f"{i:016x}"
        year = rng.randint(2019, 2025)
        prov = rng.choice(provinces)
        period, ptext = rng.choice(_periods(year))
        articles.append({"id": aid, "path": f"synthetic/{i:05d}.txt",
                         "title": f"{prov}: kết quả cải cách hành chính {ptext.lower()}",
                         "published": f"{year + (period.endswith('12-31'))}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
                         "source": f"https://bao{places.fold(prov)}.vn/{i}", "author": "PV",
                         "text": "", "file_hash": aid, "ingested_at": "2025-01-01T00:00:00+00:00",
                         "extractor_version": "bench"})
        for metric, unit, (lo, hi), dec in rng.sample(METRICS, rng.randint(8, 16)):
            # Outlets mostly repeat one official figure per place, metric and period;
            # one report in twenty gives another number.
            key = (prov, metric, period)
            if key not in truth:
                truth[key] = round(rng.uniform(lo, hi), dec)
            value = truth[key] if rng.random() > 0.05 else round(rng.uniform(lo, hi), dec)
            text = _vn(value, dec) + ("%" if unit == "percent" else "")
            sentence = f"{ptext}, {prov} " + VERBS[metric].format(n=_vn(value, dec)) + "."
            fid += 1
            facts.append({"id": fid, "article_id": aid, "kind": "figure", "text": text,
                          "sentence": sentence, "start": 0, "end": len(text), "metric": metric,
                          "value": float(value), "unit": unit,
                          "total": 63.0 if unit == "rank" else None, "approx": "exact",
                          "scope": prov, "period": period})
    db["articles"].insert_all(articles, batch_size=2000)
    db["facts"].insert_all(facts, batch_size=5000)
    db.close()
    return facts


def claims_from(facts: list[dict], rng: random.Random, count: int) -> list[str]:
    out = []
    for _ in range(count):
        f = rng.choice(facts)
        dec = 1 if f["unit"] == "percent" else (2 if f["unit"] == "score" else 0)
        year = int(f["period"][:4])
        period_text = dict(_periods(year))[f["period"]]
        scope = f["scope"] if f["scope"] != "Việt Nam" else "cả nước"
        kind = rng.random()
        value = f["value"]
        if kind < 0.3:
            n = _vn(value, dec)
        elif kind < 0.45:
            n = "hơn " + _vn(value * 0.97, dec)
        elif kind < 0.55:
            n = "gần " + _vn(value * 1.03, dec)
        elif kind < 0.65:
            n = "khoảng " + _vn(value * 1.02, dec)
        elif kind < 0.8:
            n = _vn(value * 1.3, dec)  # wrong value
        else:
            n = _vn(value, dec)
        verb = VERBS[f["metric"]].format(n=n)
        r = rng.random()
        if r < 0.1:
            out.append(f"Tỉnh {verb}")                      # no place, no period
        elif r < 0.2:
            out.append(f"{scope} {verb}")                    # no period
        elif r < 0.25:
            out.append("Cải cách hành chính là nhiệm vụ trọng tâm")  # no figure
        else:
            out.append(f"{period_text}, {scope} {verb}")
    return out


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("n", nargs="?", type=int, default=10_000, help="synthetic articles")
    ap.add_argument("--checks", type=int, default=200)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--keep", type=Path, help="write the database here instead of a temporary file")
    args = ap.parse_args(argv)

    from extractor import claims
    from extractor.pipeline import extract
    from extractor.store import open_db

    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        db_path = args.keep or Path(tmp) / "claims_bench.db"
        t0 = time.perf_counter()
        facts = build(db_path, args.n, rng)
        print(f"built {args.n} articles, {len(facts)} figure facts in {time.perf_counter() - t0:.1f} s")
        claim_texts = claims_from(facts, rng, args.checks)
        database = open_db(db_path, create=False)
        claims.check("Năm 2023, Hà Nội tiếp nhận 1.000 hồ sơ", database)  # warm-up: patterns, places
        total_ms, extract_ms = [], []
        verdicts: dict[str, int] = {}
        for text in claim_texts:
            t = time.perf_counter()
            extract(text)
            extract_ms.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            res = claims.check(text, database)
            total_ms.append((time.perf_counter() - t) * 1000)
            verdicts[res.verdict] = verdicts.get(res.verdict, 0) + 1
        database.close()

    def p95(xs):
        return sorted(xs)[max(0, int(round(0.95 * len(xs))) - 1)]

    print(f"{len(total_ms)} checks: median {statistics.median(total_ms):.1f} ms, "
          f"p95 {p95(total_ms):.1f} ms, max {max(total_ms):.1f} ms per check (target < 200 ms)")
    print(f"  of which extracting the claim: median {statistics.median(extract_ms):.1f} ms, "
          f"p95 {p95(extract_ms):.1f} ms")
    print("  verdicts: " + ", ".join(f"{k} {v}" for k, v in sorted(verdicts.items())))


if __name__ == "__main__":
    main()
