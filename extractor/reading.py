"""Read article files (txt, md, html, json, jsonl) into cleaned ``Article`` records.

``iter_articles`` streams files and folders; each unreadable file (or JSONL
line) becomes a ``ReadError`` and the batch goes on. Decoding, the header
block, datelines, bylines and the headline are handled here; the knowledge
behind them is data in ``patterns/metadata.yaml`` and ``patterns/encodings.yaml``.
"""
from __future__ import annotations

import datetime as dt
import functools
import json
import os
import unicodedata
from pathlib import Path
from typing import Callable, Iterable, Iterator

import regex

from . import patterns
from .article import Article
from .errors import ReadError
from .normalising import clean_body, normalize

SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".jsonl", ".json")
TEXT_FIELDS = ("text", "content", "body")
_LEGACY_HINT = "undecodable: looks like {} legacy encoding; convert to UTF-8"


# --- files and folders -------------------------------------------------------

def iter_articles(paths: Iterable[str | os.PathLike] | str | os.PathLike,
                  on_error: Callable[[ReadError], None] | str | None = None,
                  ) -> Iterator[Article | ReadError]:
    """Articles from files and folders (walked recursively, sorted), one file at a time.

    A bad file or JSONL line gives a ``ReadError``: yielded when ``on_error`` is
    None, raised when it is ``"raise"``, else passed to the callable (not yielded).
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    for given in paths:
        given = Path(given)
        if given.is_dir():
            items = (item for f in _walk(given) for item in _iter_file(f, given))
        else:
            items = _iter_file(given, given.parent)
        for item in items:
            if isinstance(item, ReadError):
                if on_error == "raise":
                    raise item
                if callable(on_error):
                    on_error(item)
                    continue
            yield item


def read_file(path: str | os.PathLike, root: str | os.PathLike | None = None) -> list[Article]:
    """The articles of one file (several for JSON lists and JSONL); raises the first ``ReadError``."""
    path = Path(path)
    articles = []
    for item in _iter_file(path, Path(root) if root is not None else path.parent):
        if isinstance(item, ReadError):
            raise item
        articles.append(item)
    return articles


#: Annotation files that live beside articles in a corpus folder.
NOT_ARTICLES = (".gold.json", ".claims.jsonl")


def _walk(folder: Path) -> Iterator[Path]:
    """Article files under ``folder`` in sorted order, lazily.

    Hidden files, gold files (``*.gold.json``) and claim files (``*.claims.jsonl``)
    are annotations beside the articles, not articles, and are skipped.
    """
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            yield from _walk(Path(entry.path))
        elif entry.name.lower().endswith(SUFFIXES) and not entry.name.endswith(NOT_ARTICLES):
            yield Path(entry.path)


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.name


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "permission denied"
    if isinstance(exc, FileNotFoundError):
        return "no such file or directory"
    if isinstance(exc, IsADirectoryError):
        return "is a directory"
    return (exc.strerror or str(exc)).lower()


def _iter_file(path: Path, root: Path) -> Iterator[Article | ReadError]:
    rel = _relative(path, root)
    suffix = path.suffix.lower()
    try:
        if suffix == ".jsonl":
            yield from _iter_jsonl(path, rel)
            return
        data = path.read_bytes()
    except OSError as exc:
        yield ReadError(rel, _os_reason(exc))
        return
    try:
        text = decode_bytes(data)
        if suffix == ".json":
            yield from _iter_json(text, rel)
        elif suffix in (".html", ".htm"):
            yield parse_html(text, rel)
        elif suffix in (".md", ".markdown"):
            yield parse_markdown(text, rel)
        else:
            yield parse_text(text, rel)
    except ReadError as exc:
        yield ReadError(rel, exc.reason) if exc.path != rel else exc


# --- decoding ----------------------------------------------------------------

@functools.lru_cache(maxsize=None)
def _encoding_rules() -> dict:
    data = patterns.load("encodings")
    vni = regex.compile(data["legacy"]["VNI"]["regex"])
    return {"ok": set(data["punctuation_ok"]), "max": float(data["max_suspicious"]),
            "tcvn3": set(data["legacy"]["TCVN3"]["chars"]), "vni": vni}


def _is_vietnamese_letter(ch: str) -> bool:
    if ch in "đĐ":
        return True
    base, *marks = unicodedata.normalize("NFD", ch)
    return base in "aeiouyAEIOUY" and all(m in "\u0300\u0301\u0303\u0309\u0323\u0302\u0306\u031b" for m in marks)


def _suspicious_share(text: str) -> float:
    """Share of non-ASCII characters that are neither Vietnamese letters nor common punctuation."""
    ok = _encoding_rules()["ok"]
    high = [c for c in text if ord(c) > 127]
    if not high:
        return 0.0
    bad = sum(1 for c in high if c not in ok and not _is_vietnamese_letter(c))
    return bad / len(high)


def legacy_encoding(data: bytes) -> str | None:
    """'TCVN3' or 'VNI' when the bytes look like that legacy Vietnamese encoding, else None."""
    rules = _encoding_rules()
    latin = data.decode("latin-1")
    tcvn3 = sum(1 for c in latin if c in rules["tcvn3"])
    vni = len(rules["vni"].findall(latin))
    if max(tcvn3, vni) < 3:
        return None
    return "TCVN3" if tcvn3 >= vni else "VNI"


def _utf16_by_nuls(sample: bytes) -> str | None:
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = max(len(sample) // 2, 1)
    if odd / half > 0.3 and even / half < 0.05:
        return "utf-16-le"
    if even / half > 0.3 and odd / half < 0.05:
        return "utf-16-be"
    return None


def decode_bytes(data: bytes) -> str:
    """Text of a file's bytes: UTF-8 (BOM or not), UTF-16, or Windows-1258; raises ReadError (path '')."""
    if not data.strip():
        raise ReadError("", "empty file")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
    elif b"\x00" in data[:4096]:
        enc = _utf16_by_nuls(data[:4096])
        if enc is None:
            raise ReadError("", "binary file (not text)")
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            raise ReadError("", "binary file (not text)") from None
    else:
        controls = sum(1 for b in data[:4096] if b < 32 and b not in b"\t\n\r\f\x1b")
        if controls > 0.01 * min(len(data), 4096):
            raise ReadError("", "binary file (not text)")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = _decode_8bit(data)
    if not text.strip():
        raise ReadError("", "empty file")
    return unicodedata.normalize("NFC", text)


def _decode_8bit(data: bytes) -> str:
    try:
        text = unicodedata.normalize("NFC", data.decode("cp1258"))
    except UnicodeDecodeError:
        text = None
    if text is not None and _suspicious_share(text) <= _encoding_rules()["max"]:
        return text
    legacy = legacy_encoding(data)
    if legacy:
        raise ReadError("", _LEGACY_HINT.format(legacy))
    raise ReadError("", "undecodable: not UTF-8, UTF-16 or Windows-1258; convert to UTF-8")


# --- formats -----------------------------------------------------------------

def _field(key: str) -> str | None:
    return patterns.load("metadata")["fields"].get(key.strip().lower().replace("-", "_"))


def _meta_from_mapping(obj: dict) -> dict:
    """Article fields from header/front matter/JSON keys (first non-empty value wins)."""
    meta: dict = {}
    for key, value in obj.items():
        name = _field(str(key))
        if name and value not in (None, "") and name not in meta:
            meta[name] = value if name == "published" else str(value).strip()
    return meta


_HEADER_LINE = regex.compile(r"^\s*([A-Za-z_ -]{2,20}?)\s*:\s*(.*?)\s*$")


def split_header(text: str) -> tuple[dict, str]:
    """A leading block of ``Key: value`` lines (known keys only) → (metadata, rest of the text)."""
    lines = text.lstrip("\ufeff").split("\n")
    header: dict = {}
    i = 0
    while i < len(lines):
        m = _HEADER_LINE.match(lines[i])
        if not m or not _field(m.group(1)):
            break
        header[m.group(1)] = m.group(2)
        i += 1
    if not header:
        return {}, text
    return _meta_from_mapping(header), "\n".join(lines[i:])


def split_front_matter(text: str) -> tuple[dict, str]:
    """YAML front matter (``---`` ... ``---``) → (metadata, rest of the text)."""
    import yaml

    m = regex.match(r"\A\ufeff?---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", text, regex.S)
    if not m:
        return {}, text
    try:
        data = yaml.safe_load(m.group(1))
    except yaml.YAMLError:
        return {}, text
    if not isinstance(data, dict):
        return {}, text
    return _meta_from_mapping(data), text[m.end():]


_MD_RULES = [
    (regex.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),             # images
    (regex.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),          # links → text
    (regex.compile(r"^#{1,6}[ \t]+(.*?)[ \t]*#*[ \t]*$", regex.M), r"\1"),  # headings
    (regex.compile(r"^>\s?", regex.M), ""),                    # quotes
    (regex.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),  # bold
    (regex.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])"), r"\1"),  # italic
    (regex.compile(r"(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])"), r"\1"),
]


def strip_markdown(text: str) -> str:
    """Markdown to plain text, lightly: headings, emphasis, links and images."""
    for pattern, repl in _MD_RULES:
        text = pattern.sub(repl, text)
    return text


def parse_text(text: str, path: str) -> Article:
    """A plain-text article with an optional ``Key: value`` header block."""
    meta, body = split_header(text)
    return build_article(path, body, meta)


def parse_markdown(text: str, path: str) -> Article:
    """A Markdown article with optional YAML front matter; the first ``#`` heading is the title."""
    meta, body = split_front_matter(text)
    more, body = split_header(body)
    meta = {**more, **meta}
    h1 = regex.search(r"^#[ \t]+(.+?)[ \t]*#*[ \t]*$", body, regex.M)
    if h1 and "title" not in meta:
        meta["title"] = strip_markdown(h1.group(1))
    return build_article(path, strip_markdown(body), meta)


def _html_extract(html: str) -> tuple[dict, str | None]:
    import trafilatura  # heavy: imported only when HTML is read

    doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                      include_tables=True,
                                      date_extraction_params={"extensive_search": False, "original_date": True})
    if doc is None:
        return {}, None
    d = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    meta = {k: d[k] for k in ("title", "author") if d.get(k)}
    if d.get("date"):
        meta["published"] = d["date"]
    if d.get("url"):
        meta["source"] = d["url"]
    return meta, _with_sapo(html, d.get("text"))


def _with_sapo(html: str, body: str | None) -> str | None:
    """Put back the lead ("sapo") that news pages keep outside the main text block and that
    trafilatura may drop: ``<div class="sapo">Sáng 4/10, ...</div>``."""
    if not body:
        return body
    classes = "|".join(regex.escape(c) for c in metadata_rules()["sapo_classes"])
    m = regex.search(r'(?is)<(div|p|h2|h3|strong|span)\b[^>]*class="[^"]*\b(?:' + classes + r')\b[^"]*"[^>]*>(.*?)</\1>', html)
    if not m:
        return body
    import html as html_lib

    sapo = normalize(html_lib.unescape(regex.sub(r"<[^>]+>", " ", m.group(2))))
    sapo = regex.sub(r"\s+", " ", sapo).strip()
    if len(sapo) < 20 or sapo[:40] in normalize(body):
        return body
    return f"{sapo}\n\n{body}"


def parse_html(html: str, path: str) -> Article:
    """An HTML page: main text and metadata (title, date, author, canonical URL) by trafilatura."""
    meta, body = _html_extract(html)
    if not body or not body.strip():
        raise ReadError(path, "no article text")
    return build_article(path, body, meta)


def parse_record(obj: dict, path: str) -> Article:
    """One JSON object: title, published/date, url/source, author, and text/content/body or html."""
    if not isinstance(obj, dict):
        raise ReadError(path, f"expected a JSON object, got {type(obj).__name__}")
    meta = _meta_from_mapping(obj)
    body = next((obj[k] for k in TEXT_FIELDS if isinstance(obj.get(k), str) and obj[k].strip()), None)
    if body is None and isinstance(obj.get("html"), str):
        html_meta, body = _html_extract(obj["html"])
        meta = {**html_meta, **meta}
    if not body or not body.strip():
        raise ReadError(path, "no article text")
    return build_article(path, body, meta)


def _iter_json(text: str, rel: str) -> Iterator[Article | ReadError]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReadError(rel, f"invalid JSON on line {exc.lineno}: {exc.msg}") from None
    if isinstance(data, list):
        for i, obj in enumerate(data, 1):
            try:
                yield parse_record(obj, f"{rel}#{i}")
            except ReadError as exc:
                yield exc
    else:
        yield parse_record(data, rel)


def _iter_jsonl(path: Path, rel: str) -> Iterator[Article | ReadError]:
    """One article per line, read line by line."""
    with open(path, "rb") as fh:
        seen = False
        for n, raw in enumerate(fh, 1):
            if not raw.strip():
                continue
            seen = True
            where = f"{rel}#{n}"
            try:
                obj = json.loads(raw.decode("utf-8-sig"))
            except UnicodeDecodeError:
                yield ReadError(where, f"undecodable line {n}: JSONL must be UTF-8")
                continue
            except json.JSONDecodeError as exc:
                yield ReadError(where, f"invalid JSON on line {n}: {exc.msg}")
                continue
            try:
                yield parse_record(obj, where)
            except ReadError as exc:
                yield exc
        if not seen:
            yield ReadError(rel, "empty file")


# --- metadata in the body ----------------------------------------------------

def _compile(rule: dict, parts: dict) -> regex.Pattern:
    source = rule["regex"]
    for name, part in parts.items():
        source = source.replace("{" + name + "}", part)
    return regex.compile(source)


@functools.lru_cache(maxsize=None)
def metadata_rules() -> dict:
    """Compiled rules of ``patterns/metadata.yaml``: datelines, bylines, attributions, headline."""
    data = patterns.load("metadata")
    parts = data["parts"]
    # a part may use an earlier one
    return {
        "window": int(data.get("dateline_window", 8)),
        "datelines": [(r["name"], _compile(r, parts)) for r in data["datelines"]],
        "bylines": [(r["name"], _compile(r, parts), r.get("where", ["end"]), r.get("max_chars", 80))
                    for r in data["bylines"]],
        "attributions": [(r["name"], _compile(r, parts), r.get("kind", "line"))
                         for r in data["attributions"]],
        "headline": data["headline"],
        "sapo_classes": data.get("sapo_classes", []),
    }


def _iso(y: int, m: int, d: int) -> str | None:
    try:
        return dt.date(y, m, d).isoformat()
    except ValueError:
        return None


def parse_date(value) -> str | None:
    """ISO ``YYYY-MM-DD`` (or ``YYYY-MM``) from a metadata value: ISO strings, ``dd/mm/yyyy``, datelines, epoch seconds."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        seconds = value / 1000 if abs(value) > 1e11 else value  # JavaScript feeds give milliseconds
        try:
            return dt.datetime.fromtimestamp(seconds, dt.timezone.utc).date().isoformat()
        except (OverflowError, OSError, ValueError):
            return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    s = normalize(str(value))
    m = regex.match(r"^((?:19|20)\d{2})[-/.](\d{1,2})(?:[-/.](\d{1,2}))?(?:$|[T\s])", s)
    if m:
        y, mo = int(m.group(1)), int(m.group(2))
        if m.group(3):
            return _iso(y, mo, int(m.group(3)))
        return f"{y:04d}-{mo:02d}" if 1 <= mo <= 12 else None
    found = match_dateline(s)
    if found:
        return found[0]
    m = regex.search(r"\b(\d{1,2})[/.-](\d{1,2})[/.-]((?:19|20)\d{2})\b", s)
    return _iso(int(m.group(3)), int(m.group(2)), int(m.group(1))) if m else None


def match_dateline(line: str) -> tuple[str, str | None, str] | None:
    """(published, author or None, rule name) when the whole line is a dateline."""
    for name, pattern in metadata_rules()["datelines"]:
        m = pattern.match(line)
        if m:
            iso = _iso(int(m.group("y")), int(m.group("m")), int(m.group("d")))
            if iso:
                author = m.groupdict().get("author")
                return iso, (author.strip() if author else None), name
    return None


def match_byline(line: str, where: str) -> tuple[str, str] | None:
    """(author, rule name) when the line is a byline allowed at ``where`` (top or end)."""
    for name, pattern, places, max_chars in metadata_rules()["bylines"]:
        if where in places and len(line) <= max_chars:
            m = pattern.match(line)
            if m:
                return m.group("author").strip(), name
    return None


def match_attribution(line: str, kind: str = "line") -> tuple[str, str | None, str] | None:
    """(source, author or None, rule name) for a source attribution line (or a mention)."""
    for name, pattern, rule_kind in metadata_rules()["attributions"]:
        if rule_kind == kind:
            m = pattern.search(line) if kind == "mention" else pattern.match(line)
            if m:
                author = m.groupdict().get("author")
                return m.group("source").strip(), author, name
    return None


def looks_like_headline(line: str) -> bool:
    """A headline: short, a few words, not ending like a sentence, not a lead's opening."""
    rules = metadata_rules()["headline"]
    if not line or len(line) > rules["max_chars"] or len(line.split()) < rules["min_words"]:
        return False
    if _is_breadcrumb(line):
        return False
    if line[-1] in rules["sentence_ends"]:
        return False
    if regex.search(r"[.!?] \p{Lu}", line):  # two sentences
        return False
    if len(line) > rules["opener_max_chars"] and any(
            line.startswith(o.rstrip() + " ") or line.startswith(o.rstrip() + ",") for o in rules["openers"]):
        return False
    return True


def _is_breadcrumb(line: str) -> bool:
    """A section path above the headline: "Thời sự > Chính trị"."""
    return bool(regex.search(metadata_rules()["headline"]["breadcrumb"], line))


def _is_label(line: str) -> bool:
    """A short section label above the headline ("Chuyển đổi số")."""
    rules = metadata_rules()["headline"]
    return len(line.split()) <= rules["label_max_words"] and not regex.search(r"\d|[.,;:]$", line)


def build_article(path: str, body: str, meta: dict) -> Article:
    """Clean ``body``, take dateline, bylines, attribution and headline out of it, and build the Article."""
    lines = clean_body(body).split("\n")
    title = normalize(meta["title"]).rstrip(" |") if meta.get("title") else None
    published = parse_date(meta.get("published"))
    author = normalize(meta["author"]) if meta.get("author") else None
    source = meta.get("source") or None

    nonblank = [i for i, line in enumerate(lines) if line]
    window = nonblank[: metadata_rules()["window"]]

    # dateline (and a byline on the same line or just after it)
    date_at = None
    for i in window:
        found = match_dateline(lines[i])
        if found:
            date_at = i
            published = published or found[0]
            author = author or found[1]
            lines[i] = ""
            nxt = next((j for j in window if j > i), None)
            if nxt is not None and match_byline(lines[nxt], "top"):
                author = author or match_byline(lines[nxt], "top")[0]
                lines[nxt] = ""
            break
    for i in window:
        if lines[i] and i != date_at:
            byline = match_byline(lines[i], "top")
            if byline and byline[1] == "labelled author":
                author = author or byline[0]
                lines[i] = ""

    # bylines and attributions at the end
    for _ in range(4):
        last = next((i for i in range(len(lines) - 1, -1, -1) if lines[i]), None)
        if last is None:
            break
        attribution = match_attribution(lines[last])
        byline = None if attribution else match_byline(lines[last], "end")
        if attribution:
            source = source or attribution[0]
            author = author or attribution[1]
        elif byline:
            author = author or byline[0]
        else:
            break
        lines[last] = ""

    # an outlet's masthead above the headline ("Báo Kon Tum điện tử") says where the article comes from
    if not source:
        for line in [x for x in lines if x][:3]:
            masthead = match_attribution(line, "masthead")
            if masthead:
                source = masthead[0]
                break

    # headline
    body_lines = [line for line in lines if line or True]
    top = [i for i, line in enumerate(body_lines) if line][:3]
    if title:
        for i in top:
            if body_lines[i].rstrip(" |") == title:
                body_lines[i] = ""
                break
    else:
        above = [i for i in top if date_at is None or i < date_at]
        for i in above:
            if _is_breadcrumb(body_lines[i]):
                body_lines[i] = ""  # "Thời sự > Chính trị": a section path, not text
        above = [i for i in above if body_lines[i]]
        below = [i for i in top if date_at is not None and i > date_at][:1]
        candidates = [above[-1]] if date_at is not None and above else (below or top[:1])
        for i in candidates:
            if looks_like_headline(body_lines[i]):
                title = body_lines[i]
                for j in range(i):  # section labels above the headline
                    if body_lines[j] and _is_label(body_lines[j]):
                        body_lines[j] = ""
                body_lines[i] = ""
                break

    if not source:
        firsts = [line for line in body_lines if line][:2] + [line for line in body_lines if line][-2:]
        for line in firsts:
            mention = match_attribution(line, "mention")
            if mention:
                source = mention[0]
                break

    rest = regex.sub(r"\n{3,}", "\n\n", "\n".join(body_lines)).strip("\n")
    if not rest and not title:
        raise ReadError(path, "no article text")
    text = f"{title}\n\n{rest}" if title and rest else (title or rest)
    return Article(path=path, text=text, title=title, published=published,
                   source=source, author=author)
