"""Flattened tables: rows of cells joined by ``|`` or tabs, read as "label: value" items.

A scraped table arrives as lines such as ``TTHC được rà soát | 120 | 134 | 111,7%`` under a
header ``Chỉ tiêu | Kế hoạch | Thực hiện | Tỷ lệ``. Read as prose, every number in the row
would be a figure of the same metric; read as a table, only the result column is, and a
column headed by a period gives its values that period. The header words, separators and
unit notes are data: ``patterns/tables.yaml``.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

import regex

from . import patterns
from .numbers import find_numbers


@dataclass(frozen=True)
class Cell:
    """One value of a row to read: its offsets in the text, and how its column reads it."""

    start: int
    end: int
    text: str  # "97,2"
    percent: bool  # the row or column says its values are rates
    header: str  # the column's header text ("" without a header row)
    label: str  # what the value counts: the row's label, or the column's when rows are places


@dataclass(frozen=True)
class Row:
    """A data row: the label's offsets and the cells that hold results."""

    start: int  # offset of the line in the text
    label_start: int
    label_end: int
    label: str  # the label without its unit note: "Hồ sơ giải quyết đúng hạn"
    cells: tuple[Cell, ...]

    def item(self, cell: Cell) -> tuple[str, int]:
        """The row and one of its cells as a list item for the figure rules, and where the
        value starts in it: ``("TTHC được rà soát: 134", 19)``; a rate row's value gets its %."""
        lead = f"{cell.label}: "
        unit = "%" if cell.percent and "%" not in cell.text else ""
        return lead + cell.text + unit, len(lead)


@functools.lru_cache(maxsize=1)
def _conf():
    d = patterns.load("tables")
    roles = [(role, regex.compile(r"(?<!\p{L})(?:" + "|".join(regex.escape(w) for w in sorted(words, key=len, reverse=True))
                                  + r")(?!\p{L})", regex.IGNORECASE))
             for role, words in d["columns"].items()]
    order = {"ratio": 0, "plan": 1, "result": 2}  # "Tỷ lệ thực hiện" compares with the plan
    roles.sort(key=lambda r: order.get(r[0], 3))
    units = regex.compile(r"(?i)^(?:" + "|".join(regex.escape(w) for w in d["unit_columns"]) + r")$")
    return (regex.compile(d["separator"]), int(d["min_cells"]), roles, regex.compile(d["percent_label"]),
            regex.compile(d["label_note"]), regex.compile(d["empty_cell"], regex.IGNORECASE), units)


def _cells(line: str, offset: int, sep: regex.Pattern) -> list[tuple[int, int, str]]:
    """(start, end, text) of each non-blank cell; bars at the line's ends open no cell."""
    out, pos = [], 0
    for m in [*sep.finditer(line), None]:
        end = m.start() if m else len(line)
        text = line[pos:end]
        lead = len(text) - len(text.lstrip())
        text = text.strip()
        if text:
            out.append((offset + pos + lead, offset + pos + lead + len(text), text))
        elif out and m is not None:
            out.append((offset + pos, offset + pos, ""))  # an empty cell inside the row keeps the columns
        if m:
            pos = m.end()
    return out


def _role(header: str, roles) -> str | None:
    for role, rx in roles:
        if rx.search(header):
            return role
    return None


def _names_more(header: str, roles) -> bool:
    """A header with words beyond its role words: "Tỷ lệ đúng hạn" (not "Tỷ lệ", "So với KH")."""
    rest = header
    for _, rx in roles:
        rest = rx.sub(" ", rest)
    return len(regex.findall(r"\p{L}+", rest)) >= 2


def _is_value(text: str) -> bool:
    nums = find_numbers(text)
    return bool(nums) and nums[0].num_start <= 1 and len(text) - nums[-1].end <= 2


def table_lines(lines: list[str]) -> set[int]:
    """Indexes of the lines that make a table (two or more rows of cells, some holding a
    number): boilerplate rules leave them alone, however much a header looks like a menu."""
    sep, min_cells = _conf()[:2]
    out: set[int] = set()
    run: list[int] = []
    for i, line in enumerate([*lines, ""]):
        cells = _cells(line, 0, sep) if ("|" in line or "\t" in line) else []
        if len(cells) >= min_cells:
            run.append(i)
            continue
        if len(run) >= 2 and any(_is_value(c[2]) for j in run for c in _cells(lines[j], 0, sep)[1:]):
            out.update(run)
        run = []
    return out


def find_rows(text: str) -> dict[int, Row]:
    """Data rows of every flattened table in ``text``, keyed by the offset of their line.

    A table is two or more consecutive lines of ``min_cells`` cells or more; its first line
    is the header when none of its cells is a number."""
    sep, min_cells, roles, pct_label, note, empty, units = _conf()
    if "|" not in text and "\t" not in text:
        return {}
    lines, pos = [], 0
    for line in text.split("\n"):
        lines.append((pos, line))
        pos += len(line) + 1
    out: dict[int, Row] = {}
    i = 0
    while i < len(lines):
        block = []
        while i < len(lines) and len(_cells(lines[i][1], lines[i][0], sep)) >= min_cells:
            block.append(lines[i])
            i += 1
        if len(block) < 2:
            i += 1 if not block else 0
            continue
        out.update(_read_block(block, sep, roles, pct_label, note, empty, units))
    return out


def _read_block(block, sep, roles, pct_label, note, empty, units) -> dict[int, Row]:
    first = _cells(block[0][1], block[0][0], sep)
    header = [c[2] for c in first] if not any(_is_value(c[2]) for c in first[1:]) else []
    # "Địa bàn | Hồ sơ tiếp nhận | Tỷ lệ đúng hạn": rows are places, columns name what they count
    by_column = bool(header) and bool(units.match(note.sub("", header[0]).strip()))
    rows = block[1:] if header else block
    col_roles = [_role(h, roles) for h in header[1:]] if header else []
    wanted_role = "result" if "result" in col_roles else None
    out = {}
    for start, line in rows:
        cells = _cells(line, start, sep)
        if not cells or _is_value(cells[0][2]):
            continue
        ls, le, label_text = cells[0]
        label = note.sub("", label_text).strip() or label_text
        row_pct = bool(pct_label.search(label_text))
        keep = []
        for k, (cs, ce, ct) in enumerate(cells[1:]):
            role = col_roles[k] if k < len(col_roles) else None
            head = header[k + 1] if header and k + 1 < len(header) else ""
            if by_column and role == "ratio" and _names_more(head, roles):
                role = None  # "Tỷ lệ đúng hạn" names a rate, not a share of the plan
            if role in ("plan", "ratio") or (wanted_role and role != wanted_role):
                continue
            if not ct or empty.match(ct) or not _is_value(ct):
                continue
            if by_column:
                col = note.sub("", head).strip() or head
                keep.append(Cell(cs, ce, ct, bool(pct_label.search(head)), head, col))
            else:
                keep.append(Cell(cs, ce, ct, row_pct or "%" in head, head, label))
        if keep:
            out[start] = Row(start, ls, le, label, tuple(keep))
    return out
