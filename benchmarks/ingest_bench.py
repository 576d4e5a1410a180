"""Ingest throughput and memory: N synthetic articles, --jobs 1 and --jobs 2.

    python benchmarks/ingest_bench.py [N] [--jobs 1 2] [--keep DIR]

Prints articles per second for a first run, for an immediate second run (all
unchanged: skipped before extraction), peak RSS of the writer process and of
the largest worker, and the same for N/5 articles so that flat memory shows.
Figures only, no assertions: timing depends on the machine.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


def _child(folder: str, db: str, jobs: int) -> None:
    """One measured run in a fresh process, so peak RSS belongs to this run only."""
    from extractor.store import ingest

    runs = []
    for _ in range(2):  # first run, then the cheap re-run
        start = time.perf_counter()
        summary = ingest([folder], db=db, jobs=jobs)
        runs.append({"seconds": time.perf_counter() - start, "read": summary.read,
                     "new": summary.new, "unchanged": summary.unchanged, "failed": summary.failed})
    print(json.dumps({
        "runs": runs,
        "rss_self_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "rss_children_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "db_mb": os.path.getsize(db) / 2**20,
    }))


def _measure(folder: Path, jobs: int, work: Path) -> dict:
    db = work / f"bench-{folder.name}-j{jobs}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    out = subprocess.run([sys.executable, __file__, "--child", str(folder), str(db), str(jobs)],
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("n", type=int, nargs="?", default=5000)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--keep", help="generate into (and keep) this folder instead of a temporary one")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child[0], args.child[1], int(args.child[2]))
        return

    from generate import generate

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(args.keep or tmp)
        sizes = [args.n, max(1, args.n // 5)]
        folders = {}
        for n in sizes:
            folder = work / f"articles-{n}"
            if not folder.exists():
                start = time.perf_counter()
                generate(folder, n)
                print(f"generated {n} articles in {time.perf_counter() - start:.1f}s", file=sys.stderr)
            folders[n] = folder
        mb = sum(f.stat().st_size for f in folders[args.n].rglob("*.txt")) / 2**20
        print(f"ingest benchmark: {args.n} articles ({mb:.1f} MB), cpus {os.cpu_count()}")
        print(f"{'articles':>8} {'jobs':>4} {'first art/s':>11} {'rerun art/s':>11} "
              f"{'writer MB':>9} {'worker MB':>9} {'db MB':>6} {'failed':>6}")
        for n in sizes:
            for jobs in args.jobs:
                r = _measure(folders[n], jobs, work)
                first, rerun = r["runs"]
                print(f"{n:>8} {jobs:>4} {first['read'] / first['seconds']:>11.0f} "
                      f"{rerun['read'] / rerun['seconds']:>11.0f} {r['rss_self_mb']:>9.1f} "
                      f"{(r['rss_children_mb'] if jobs > 1 else 0):>9.1f} {r['db_mb']:>6.1f} {first['failed']:>6}")
        print("peak RSS should barely move between N and N/5 (memory is flat in the number of articles).")


if __name__ == "__main__":
    main()
