"""The ``reform-facts`` command line: a thin layer over the Python API.

Each command parses its options and calls one API function; option names match
the keyword arguments. Heavy modules are imported inside the commands so that
``reform-facts --help`` starts fast.
"""
from __future__ import annotations

import json
import sys

import click

from .errors import ReformFactsError

DEFAULT_DB = "reform-facts.db"  # same as extractor.store.DEFAULT_DB, kept here to start fast


class _Group(click.Group):
    """Turns the package's named errors into ``Error: ...`` and exit code 1."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except ReformFactsError as exc:
            raise click.ClickException(str(exc)) from exc


def _stderr_console():
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


def _error_line(console, line: str) -> None:
    console.print(f"Error: {line}", markup=False, highlight=False, soft_wrap=True)


def _print_version(ctx, param, value):
    if not value or ctx.resilient_parsing:
        return
    from importlib.metadata import PackageNotFoundError, version

    try:
        click.echo(f"reform-facts {version('reform-facts')}")
    except PackageNotFoundError:
        click.echo("reform-facts (source tree, not installed)")
    ctx.exit()


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_print_version,
              help="Show the installed version and exit.")
def cli():
    """Turn Vietnamese press articles about administrative reform into a
    SQLite table of checkable facts (figures, officials, dates, legal references).

    \b
    Typical session:
        reform-facts ingest corpus/          # read, extract, store in reform-facts.db
        reform-facts stats                   # what is in the database
        reform-facts extract article.txt     # facts of one file as JSON, no database
        reform-facts eval ../shared/corpus/dev   # score extraction against gold files

    Run `reform-facts COMMAND --help` for each command's options and examples.
    """


@cli.command(short_help="Read articles, extract facts, store them in SQLite.")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--db", default=DEFAULT_DB, show_default=True, type=click.Path(),
              help="SQLite file to write; created in the working directory when not given.")
@click.option("--jobs", "-j", default=1, show_default=True, type=click.IntRange(min=1),
              help="Worker processes for extraction; rows come out the same as with 1.")
@click.option("--force", is_flag=True,
              help="Re-extract every article, even those unchanged since the last run.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no summary; errors are still shown.")
def ingest(paths, db, jobs, force, quiet):
    """Read articles, extract their facts and store both in a SQLite database.

    PATHS are files or folders (searched recursively) of articles: plain text
    with an optional `Key: value` header, Markdown, HTML or JSONL. The
    database is `reform-facts.db` in the working directory unless --db says
    otherwise; it has the tables `articles`, `facts` and `files`, and a
    full-text index `articles_fts`.

    Running it again is cheap and safe: files unchanged since the last run are
    skipped before extraction, changed files replace their old rows, the same
    text under two paths is stored once, and every article is committed on its
    own, so an interrupted run is finished by the next one. A file that cannot
    be read is reported as `Error: PATH: reason` on stderr, the others are
    stored, and the exit code is 1.

    \b
    Examples:
        reform-facts ingest corpus/
        reform-facts ingest corpus/ news.jsonl --db reform.db --jobs 4
        reform-facts ingest corpus/ --force      # after changing the extractor
        sqlite3 reform-facts.db "select scope, value from facts where metric = 'dossier.on_time'"
    """
    from .store import ingest as ingest_api

    console = _stderr_console()
    show_bar = not quiet and console.is_terminal
    if show_bar:
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        bar = Progress(SpinnerColumn(), TextColumn("{task.description}"),
                       TextColumn("{task.completed} articles"), TimeElapsedColumn(),
                       console=console, transient=True)
    else:
        bar = None

    def progress(outcome, line, summary):
        if outcome == "failed":
            _error_line(console, line)
        if bar is not None:
            bar.update(task, advance=1, description=(
                f"{summary.new} new · {summary.updated} updated · "
                f"{summary.unchanged} unchanged · {summary.failed} failed"))

    if bar is not None:
        with bar:
            task = bar.add_task("reading", total=None)
            summary = ingest_api(list(paths), db=db, jobs=jobs, force=force, progress=progress)
    else:
        summary = ingest_api(list(paths), db=db, jobs=jobs, force=force, progress=progress)
    if not quiet:
        click.echo(summary.format())
        click.echo(f"database: {db}")
    if summary.failed:
        sys.exit(1)


def _article_record(article, facts: list[dict]) -> dict:
    return {"id": article.id, "path": article.path, "title": article.title,
            "published": article.published, "source": article.source,
            "author": article.author, "facts": facts}


@cli.command(short_help="Print the facts of articles as JSON lines or a table.")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--format", "format_", type=click.Choice(["jsonl", "table"]), default="jsonl",
              show_default=True, help="jsonl: one JSON object per article; table: a table of facts per article.")
def extract(paths, format_):
    """Print the facts of articles without touching a database.

    With --format jsonl (the default) each article is one line of JSON: `id`,
    `path`, `title`, `published`, `source`, `author` and `facts`, a list of
    fact objects (`kind`, `text`, `sentence`, `start`, `end` and the kind's
    fields, see the README). Files that cannot be read are reported on stderr
    as `Error: PATH: reason` and make the exit code 1.

    \b
    Examples:
        reform-facts extract article.txt
        reform-facts extract corpus/ | jq -c '.facts[] | select(.kind == "figure")'
        reform-facts extract corpus/d001.txt --format table
    """
    from .errors import ReadError
    from .pipeline import extract_article
    from .reading import iter_articles

    console = _stderr_console()
    failed = 0
    table_console = None
    if format_ == "table":
        from rich.console import Console

        table_console = Console()
    for item in iter_articles(list(paths)):
        if isinstance(item, ReadError):
            failed += 1
            _error_line(console, str(item))
            continue
        facts = extract_article(item)
        if table_console is None:
            click.echo(json.dumps(_article_record(item, facts), ensure_ascii=False, default=str))
        else:
            table_console.print(_facts_table(item, facts))
    if failed:
        sys.exit(1)


def _facts_table(article, facts: list[dict]):
    from rich.table import Table

    from .article import FACT_FIELDS

    caption = " · ".join(str(x) for x in (article.published, article.source) if x)
    table = Table(title=f"{article.path}: {article.title or '(no title)'}",
                  caption=caption or None, title_justify="left")
    for column in ("kind", "text", "fields", "start–end"):
        table.add_column(column, overflow="fold")
    for fact in facts:
        fields = "  ".join(f"{k}={fact[k]}" for k in FACT_FIELDS.get(fact.get("kind"), ())
                           if fact.get(k) is not None)
        table.add_row(str(fact.get("kind")), str(fact.get("text")), fields,
                      f"{fact.get('start')}–{fact.get('end')}")
    if not facts:
        table.add_row("", "(no facts)", "", "")
    return table


@cli.command(short_help="Summarise a database: counts by kind, metric, scope.")
@click.option("--db", default=DEFAULT_DB, show_default=True, type=click.Path(),
              help="SQLite file written by `reform-facts ingest`.")
@click.option("--top", default=10, show_default=True, type=click.IntRange(min=1),
              help="How many scopes to list.")
@click.option("--json", "as_json", is_flag=True, help="Print the numbers as one JSON object.")
def stats(db, top, as_json):
    """Summarise a database: articles, facts by kind, figures by metric,
    the range of publication dates and the scopes with most figures.

    \b
    Examples:
        reform-facts stats
        reform-facts stats --db reform.db --json | jq .facts_by_kind
    """
    from .store import stats as stats_api

    numbers = stats_api(db, top=top)
    if as_json:
        click.echo(json.dumps(numbers, ensure_ascii=False, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    console = Console()
    overview = Table(title=f"reform-facts database {numbers['db']}", show_header=False,
                     title_justify="left")
    overview.add_column(style="bold")
    overview.add_column(justify="right")
    published = numbers["published"]
    for label, value in (("articles", numbers["articles"]), ("files", numbers["files"]),
                         ("facts", numbers["facts"]),
                         ("published", f"{published['first'] or '-'} … {published['last'] or '-'}"),
                         ("extractor", ", ".join(f"{v} ({n})" for v, n in numbers["extractor_versions"].items()) or "-")):
        overview.add_row(label, str(value))
    console.print(overview)
    for title, key, head in (("Facts by kind", "facts_by_kind", "kind"),
                             ("Figures by metric", "figures_by_metric", "metric"),
                             (f"Top {top} scopes (facts)", "top_scopes", "scope")):
        table = Table(title=title, title_justify="left")
        table.add_column(head)
        table.add_column("count", justify="right")
        for name, n in numbers[key].items():
            table.add_row(str(name), str(n))
        if not numbers[key]:
            table.add_row("(none)", "0")
        console.print(table)


@cli.command(name="eval", short_help="Score extraction against gold files.")
@click.argument("directory", type=click.Path(exists=True, file_okay=False))
@click.option("--errors", is_flag=True, help="Also list every missed and spurious fact.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--claims", "claims_files", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="Also score the verdicts of a claims file (JSON lines with `claim` and `verdict`) "
                   "against DIRECTORY's articles. `*.claims.jsonl` files in DIRECTORY are scored anyway.")
def eval_(directory, errors, as_json, claims_files):
    """Score extraction against gold files: every `NAME.txt` (or `.html`) in
    DIRECTORY with a `NAME.gold.json` beside it. Prints precision, recall and
    F1 per fact kind, and the accuracy of scope and period. Claims files
    (`*.claims.jsonl` in DIRECTORY, or `--claims FILE`) are checked against
    DIRECTORY's articles and their verdict accuracy is printed too.

    \b
    Examples:
        reform-facts eval ../shared/corpus/dev
        reform-facts eval ../shared/corpus/dev --errors | less
        reform-facts eval corpus/                     # also scores corpus/newsroom.claims.jsonl
        reform-facts eval ../shared/corpus/dev --claims tests/data/dev.claims.jsonl
        reform-facts eval ../shared/corpus/dev --json > reports/dev.json
    """
    try:
        from .evaluate import evaluate_dir
    except ModuleNotFoundError as exc:
        if exc.name != f"{__package__}.evaluate":
            raise
        raise click.ClickException("evaluation is not available in this version "
                                   "(extractor/evaluate.py is missing)") from exc
    report = evaluate_dir(directory)
    from pathlib import Path

    claims_paths = sorted({*map(str, Path(directory).rglob("*.claims.jsonl")), *claims_files})
    claim_reports = []
    if claims_paths:
        from .claims import evaluate_claims_against

        claim_reports = evaluate_claims_against(directory, claims_paths)
    if as_json:
        out = report.as_dict()
        if claim_reports:
            out["claims"] = claim_reports
        click.echo(json.dumps(out, ensure_ascii=False, indent=2, default=str))
        return
    click.echo(report.format(errors=errors))
    for r in claim_reports:
        click.echo(f"claim verdicts     {r['accuracy']:6.3f}  ({r['correct']}/{r['claims']})  {r['file']}")
        if errors:
            for w in r.get("wrong", []):
                click.echo(f"  wrong: expected {w['expected']}, got {w['got']}: {w['claim']}")


@cli.command(short_help="Check numeric claims against the stored articles.")
@click.argument("claim", required=False)
@click.option("--db", default=DEFAULT_DB, show_default=True, type=click.Path(),
              help="SQLite file written by `reform-facts ingest`.")
@click.option("--file", "file_", type=click.Path(exists=True, dir_okay=False),
              help="Claims, one a line: plain text, or JSON objects with `claim` (and `verdict`).")
@click.option("--article", type=click.Path(exists=True, dir_okay=False),
              help="A draft article: check every figure in it.")
@click.option("--published", default=None,
              help="Date (YYYY-MM-DD or YYYY-MM) giving the year of claims written without one.")
@click.option("--expect", is_flag=True,
              help="With --file of JSON lines: compare with each line's expected `verdict` and print the accuracy.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of results, in input order.")
def check(claim, db, file_, article, published, expect, as_json):
    """Check numeric claims against the facts of the stored articles.

    Each figure of a claim gets a verdict: `supported` (a stored figure with
    the same metric, place and period agrees within the claim's wording:
    rounding, hơn/gần/khoảng), `contradicted` (all comparable stored figures
    disagree), `disputed` (stored articles disagree among themselves),
    `not_found` (nothing comparable; the search is described). A claim with
    no figure is `no_figure`. A claim that names no place matches every place
    and is never contradicted by another place's figure.

    \b
    Examples:
        reform-facts check "Năm 2023 Bình Thuận bãi bỏ, thay thế 463 thủ tục"
        reform-facts check "TP.HCM số hóa 845 nghìn hồ sơ" --db reform.db --json
        reform-facts check --file claims.txt
        reform-facts check --file corpus/newsroom.claims.jsonl --expect
        reform-facts check --article draft.txt
    """
    from . import claims as claims_api

    if sum(x is not None for x in (claim, file_, article)) != 1:
        raise click.UsageError("give exactly one of CLAIM, --file or --article")
    conn, owner = claims_api._connect(db)
    try:
        items = []
        if claim is not None:
            items = [{"claim": claim}]
            results = [claims_api._check_with(claim, conn, published)]
        elif file_ is not None:
            items = claims_api.read_claims(file_)
            results = [claims_api._check_with(i["claim"], conn, i.get("published") or published)
                       for i in items]
        else:
            text, title, source, art_published = None, None, None, None
            try:
                from . import reading
            except ImportError:
                reading = None
            if reading is not None and hasattr(reading, "read_file"):
                read = reading.read_file(article)
                if not hasattr(read, "text"):
                    read = next(iter(read), None)
                if read is None:
                    raise click.ClickException(f"{article}: no article text")
                text, title, source, art_published = read.text, read.title, read.source, read.published
            else:
                from pathlib import Path

                text = Path(article).read_text(encoding="utf-8")
            results = [claims_api.check_article(text, conn, published=published or art_published,
                                                title=title, source=source, name=article)]
    finally:
        if owner is not None:
            owner.close()
    if as_json:
        click.echo(json.dumps([r.as_dict() for r in results], ensure_ascii=False, indent=2, default=str))
    else:
        from rich.console import Console

        console = Console(highlight=False, soft_wrap=True)
        for r in results:
            claims_api.render(r, console)
    if expect:
        score = claims_api.score_verdicts(items, results)
        if not score["claims"]:
            raise click.ClickException("--expect needs JSON lines with an expected `verdict`")
        out = click.echo if not as_json else (lambda s: click.echo(s, err=True))
        out(f"verdict accuracy: {score['correct']}/{score['claims']} = {score['accuracy']:.3f}")
        for exp, got in sorted(score["confusion"].items()):
            out(f"  expected {exp}: " + ", ".join(f"{k} {n}" for k, n in sorted(got.items())))
        for w in score["wrong"]:
            out(f"  wrong (line {w['line']}): expected {w['expected']}, got {w['got']}: {w['claim']}")


@cli.command(short_help="Write a monthly digest (HTML or Markdown) with charts.")
@click.option("--month", metavar="YYYY-MM", help="The month to summarise, e.g. 2024-07.")
@click.option("--from", "from_month", metavar="YYYY-MM", help="First month of a range (with --to).")
@click.option("--to", "to_month", metavar="YYYY-MM", help="Last month of a range (with --from).")
@click.option("--db", default=DEFAULT_DB, show_default=True, type=click.Path(),
              help="SQLite file written by `reform-facts ingest`.")
@click.option("--format", "fmt", type=click.Choice(["html", "md"]), default="html", show_default=True,
              help="html: one self-contained file, charts embedded; md: Markdown with PNG charts beside it.")
@click.option("-o", "--output", "out", type=click.Path(),
              help="File to write (one month; default digest-MONTH.FMT) or folder (a range; default digests/).")
def digest(month, from_month, to_month, db, fmt, out):
    """Write a monthly digest of the articles published in a month: how many
    and from which outlets, headline figures by metric (each linked to its
    source sentence), a province × metric table, the officials cited most,
    the legal documents referred to, and changes against earlier months.
    Articles that tell the same story (same figures, or `Trích theo`) count once
    and keep every source. Charts are drawn with matplotlib.

    With --from/--to, writes one digest per month into the -o folder plus an
    index page (`index.html` or `index.md`).

    \b
    Examples:
        reform-facts digest --month 2024-07                     # digest-2024-07.html
        reform-facts digest --month 2024-07 --format md -o digest.md
        reform-facts digest --from 2024-01 --to 2024-12 -o digests/
        xdg-open digest-2024-07.html                            # opens offline
    """
    from .digest import write_digest, write_range

    if month and (from_month or to_month):
        raise click.ClickException("give either --month or --from/--to, not both")
    if month:
        path = write_digest(db, month, fmt=fmt, out=out)
        click.echo(f"wrote {path}")
    elif from_month and to_month:
        index = write_range(db, from_month, to_month, fmt=fmt, out_dir=out or "digests")
        click.echo(f"wrote {index.parent}/ (index: {index})")
    else:
        raise click.ClickException("give --month YYYY-MM, or --from YYYY-MM --to YYYY-MM")


@cli.command(short_help="Browse the database in Datasette (needs the [serve] extra).")
@click.option("--db", default=DEFAULT_DB, show_default=True, type=click.Path(),
              help="SQLite file written by `reform-facts ingest`.")
@click.option("--port", default=8001, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (0 picks a free one).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind; only local addresses (127.0.0.1, localhost, ::1) are allowed.")
def serve(db, port, host):
    """Browse the database in Datasette, with table and column descriptions and
    canned queries: figures_for_province (scope), metric_across_provinces
    (metric), official (name) and search_articles (q, full text).

    Needs the optional extra: pip install '.[serve]'. Stop with Ctrl-C.

    \b
    Examples:
        reform-facts serve                       # http://127.0.0.1:8001/reform-facts
        reform-facts serve --db reform.db --port 8080
        curl 'http://127.0.0.1:8001/reform-facts/figures_for_province.json?scope=Thanh+Hóa&_shape=array'
    """
    from .serve import serve as serve_api

    sys.exit(serve_api(db, port=port, host=host))


def main(argv=None):
    """Console-script entry point."""
    return cli.main(args=argv, prog_name="reform-facts")


if __name__ == "__main__":
    main()
