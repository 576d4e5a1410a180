"""Extraction throughput in one process, no database: reading + every fact kind.

    python benchmarks/extract_bench.py [N]

Prints articles per second, facts per article and peak RSS (for N and N/5, to
show memory stays flat). Figures only, no assertions.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


def _child(folder: str) -> None:
    from extractor.errors import ReadError
    from extractor.pipeline import extract_article
    from extractor.reading import iter_articles

    kinds: Counter = Counter()
    articles = failed = 0
    start = time.perf_counter()
    first = None
    for item in iter_articles([folder]):
        if isinstance(item, ReadError):
            failed += 1
            continue
        kinds.update(f["kind"] for f in extract_article(item))
        articles += 1
        if first is None:  # model loading and pattern compiling, paid once
            first = time.perf_counter() - start
    seconds = time.perf_counter() - start
    print(json.dumps({"articles": articles, "failed": failed, "seconds": seconds, "first": first or 0.0,
                      "kinds": kinds, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("n", type=int, nargs="?", default=5000)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child)
        return

    from generate import generate

    with tempfile.TemporaryDirectory() as tmp:
        print(f"extract benchmark (one process, no database)")
        print(f"{'articles':>8} {'art/s':>7} {'warm-up s':>9} {'facts/art':>9} {'peak MB':>8} {'failed':>6}  by kind")
        for n in (args.n, max(1, args.n // 5)):
            folder = generate(Path(tmp) / f"articles-{n}", n)
            out = subprocess.run([sys.executable, __file__, "--child", str(folder)],
                                 check=True, capture_output=True, text=True)
            r = json.loads(out.stdout.strip().splitlines()[-1])
            total = sum(r["kinds"].values())
            rate = r["articles"] / r["seconds"] if r["seconds"] else 0.0
            print(f"{n:>8} {rate:>7.0f} {r['first']:>9.2f} {total / max(r['articles'], 1):>9.1f} "
                  f"{r['rss_mb']:>8.1f} {r['failed']:>6}  {dict(r['kinds'])}")


if __name__ == "__main__":
    main()
