"""Periods: the ISO interval a figure covers, from the words around it."""
from __future__ import annotations

import calendar
import functools
from dataclasses import dataclass

import regex

from . import patterns

_rx = functools.lru_cache(maxsize=None)(regex.compile)  # compile each rule once



def _count(word: str) -> int | None:
    """``6`` or a number word (``sáu``, ``chín``; the words live in patterns/numbers.yaml)."""
    if word.isdigit():
        return int(word)
    from .numbers import parse_words

    digits = patterns.load("numbers")["digit_words"]
    value = digits.get(word.lower()) if word.lower() in digits else parse_words(word)
    return int(value) if value else None


@dataclass
class Period:
    start: int
    end: int
    interval: str | None
    type: str
    comparison: bool = False
    parenthetical: bool = False
    local: bool = False
    same_period: bool = False  # "cùng kỳ năm 2018": the figure's own period, in that year
    attached: bool = False  # "38.722 hồ sơ của tháng 8/2022": the period of the figure just before it


@functools.lru_cache(maxsize=1)
def _conf():
    data = patterns.load("periods")
    rules = [(r["name"], r["type"], regex.compile(r["regex"]), tuple(r.get("needs", ()))) for r in data["rules"]]
    comp = regex.compile(r"(?:" + "|".join(regex.escape(w) for w in sorted(data["comparison"], key=len, reverse=True)) + r")\s*(?:với\s+)?(?:cùng\s+kỳ\s+)?(?:mức\s+)?$", regex.IGNORECASE)
    snap = regex.compile(data["snapshot"])
    baseline = regex.compile(data["baseline"])
    local = regex.compile(r"(?:" + "|".join(regex.escape(w) for w in data["local"]) + r")\s*(?:trong\s+|vào\s+)?$")
    return data, rules, comp, snap, local, baseline


def _month_end(y: int, m: int) -> str:
    return f"{y:04d}-{m:02d}-{calendar.monthrange(y, m)[1]:02d}"


def _iv(y1, m1, d1, y2, m2, d2) -> str | None:
    try:
        import datetime as dt
        a = dt.date(y1, m1, d1)
        b = dt.date(y2, m2, d2)
    except (ValueError, TypeError):
        return None
    if b < a:
        return None
    return f"{a.isoformat()}/{b.isoformat()}"


def _int(g):
    return int(g) if g else None


def resolve(kind: str, g: dict, ref: str | None, last_year: int | None, roman: dict,
            carried: str | None = None, last_month: str | None = None,
            last_quarter: str | None = None) -> str | None:
    """Turn one matched rule into an interval; ``ref`` is the publication date (YYYY-MM[-DD])."""
    # without a publication date, the year last stated ("9 tháng năm 2023 ... Riêng quý III")
    ref_y = int(ref[:4]) if ref and _rx(r"\d{4}").match(ref) else last_year
    ref_m = int(ref[5:7]) if ref and len(ref) >= 7 else None
    ref_d = int(ref[8:10]) if ref and len(ref) >= 10 else None
    y = _int(g.get("y")) or None
    if kind == "first_months":
        n = g["n"]
        n = _count(n)
        if not n or n > 12:
            return None
        if not y:
            y = ref_y
            if y and ref_m and n > ref_m:
                y -= 1
        return f"{y:04d}-01-01/{_month_end(y, n)}" if y else None
    if kind == "half":
        y = y or ref_y
        if not y:
            return None
        return f"{y:04d}-01-01/{y:04d}-06-30" if g["h"].lower() == "đầu" else f"{y:04d}-07-01/{y:04d}-12-31"
    if kind == "last_months":
        n = _count(g["n"])
        y = y or ref_y
        return f"{y:04d}-{13 - n:02d}-01/{_month_end(y, 12)}" if y and n and n <= 12 else None
    if kind == "quarter":
        q = g["q"].upper()
        q = roman.get(q) or int(q)
        y = y or ref_y
        return f"{y:04d}-{3 * q - 2:02d}-01/{_month_end(y, 3 * q)}" if y else None
    if kind == "month":
        m = int(g["m"])
        if not y and ref_y:
            y = ref_y - 1 if ref_m and m > ref_m else ref_y  # "tháng 11" in an article of March: last year
        return f"{y:04d}-{m:02d}-01/{_month_end(y, m)}" if y and 1 <= m <= 12 else None
    if kind == "year":
        return f"{y:04d}-01-01/{y:04d}-12-31" if y else None
    if kind == "period_back":
        return carried
    if kind == "years_back":
        n = _count(g["n"])
        if carried and n and int(carried[11:15]) - int(carried[:4]) + 1 == n and carried[5:10] == "01-01":
            return carried
        return None
    if kind == "month_back":
        if last_month:
            return last_month
        if ref_y and ref_m:
            return f"{ref_y:04d}-{ref_m:02d}-01/{_month_end(ref_y, ref_m)}"
        return None
    if kind == "year_past":
        if not ref_y:
            return None
        y = ref_y - 1 if ref_m and ref_m <= 6 else ref_y
        return f"{y:04d}-01-01/{y:04d}-12-31"
    if kind == "ytd_month":
        m = int(g["m"])
        if not 1 <= m <= 12:
            return None
        if not y and ref_y:
            y = ref_y - 1 if ref_m and m > ref_m else ref_y
        return f"{y:04d}-01-01/{_month_end(y, m)}" if y else None
    if kind == "since_date":
        if not (ref_y and ref_m and ref_d):
            return None
        y1 = _int(g.get("y1")) or ref_y
        return _iv(y1, int(g["m1"]), int(g["d1"]), ref_y, ref_m, ref_d)  # "từ ngày 01/7/2025 đến nay"
    if kind == "years_ago":  # "hai năm trước": that many years before publication
        n = _count(g["n"])
        return f"{ref_y - n:04d}-01-01/{ref_y - n:04d}-12-31" if ref_y and n else None
    if kind == "quarter_last_year":
        q = g["q"].upper()
        q = roman.get(q) or int(q)
        y = (ref_y - 1) if ref_y else None
        return f"{y:04d}-{3 * q - 2:02d}-01/{_month_end(y, 3 * q)}" if y else None
    if kind == "month_last_year":
        m = int(g["m"])
        y = (ref_y - 1) if ref_y else None
        return f"{y:04d}-{m:02d}-01/{_month_end(y, m)}" if y and 1 <= m <= 12 else None
    if kind in ("year_rel", "month_rel", "quarter_rel"):
        off = patterns.load("periods")["relative"].get(g["rel"].lower())
        if off is None or not ref_y:
            return None
        if kind == "year_rel":
            y = ref_y + off
            return f"{y:04d}-01-01/{y:04d}-12-31"
        if not ref_m:
            return None
        if kind == "month_rel":
            k = ref_y * 12 + ref_m - 1 + off
            y, m = divmod(k, 12)
            return f"{y:04d}-{m + 1:02d}-01/{_month_end(y, m + 1)}"
        k = ref_y * 4 + (ref_m - 1) // 3 + off
        y, q = divmod(k, 4)
        return f"{y:04d}-{3 * q + 1:02d}-01/{_month_end(y, 3 * q + 3)}"
    if kind == "same_period_prev":
        return shift_to_year(carried, int(carried[:4]) - 1) if carried else None
    if kind == "month_past":
        if not (ref_y and ref_m):
            return None
        y, m = (ref_y, ref_m - 1) if ref_m > 1 else (ref_y - 1, 12)
        return f"{y:04d}-{m:02d}-01/{_month_end(y, m)}"
    if kind == "week":
        return None  # known only from a range that glosses it
    if kind == "year_end":
        y = last_year or ref_y  # "năm 2023 ... giao 48 nhiệm vụ; đến cuối năm đã hoàn thành 45/48"
        return f"{y:04d}-01-01/{y:04d}-12-31" if y else None
    if kind == "quarter_back":
        return last_quarter  # "Trong quý, Trung tâm cũng nhận 27 phản ánh": the quarter stated before
    if kind == "year_back":
        y = last_year or ref_y
        return f"{y:04d}-01-01/{y:04d}-12-31" if y else None
    if kind == "years":
        y1, y2 = int(g["y1"]), int(g["y2"])
        return f"{y1:04d}-01-01/{y2:04d}-12-31" if y1 <= y2 else None
    if kind == "day":
        y = y or ref_y
        return _iv(y, int(g["m"]), int(g["d"]), y, int(g["m"]), int(g["d"])) if y else None
    if kind == "ytd":
        if g.get("m0") and ref_y and ref_m and ref_d:
            return _iv(int(g["y"]), int(g["m0"]), 1, ref_y, ref_m, ref_d)  # "từ tháng 10/2017 đến nay"
        if g.get("y") and not g.get("d") and ref_y and ref_m and ref_d and int(g["y"]) < ref_y:
            return _iv(int(g["y"]), 1, 1, ref_y, ref_m, ref_d)  # "từ năm 2018 đến nay"
        if g.get("d"):
            yy = _int(g.get("y2")) or y or ref_y
            return _iv(yy, 1, 1, yy, int(g["m"]), int(g["d"])) if yy else None
        if ref_y and ref_m and ref_d:
            yy = y or ref_y
            return _iv(yy, 1, 1, ref_y, ref_m, ref_d)
        return None
    if kind == "month_range":
        m1, m2 = int(g["m1"]), int(g["m2"])
        y2 = _int(g.get("y2")) or _int(g.get("y1")) or ref_y
        y1 = _int(g.get("y1")) or (y2 if m1 <= m2 else (y2 - 1 if y2 else None))
        if not (y1 and y2 and 1 <= m1 <= 12 and 1 <= m2 <= 12):
            return None
        return _iv(y1, m1, 1, y2, m2, calendar.monthrange(y2, m2)[1])
    if kind == "range_to_month_end":
        y2 = _int(g.get("y2")) or _int(g.get("y1")) or ref_y
        y1 = _int(g.get("y1")) or y2
        if not (y1 and y2 and 1 <= int(g["m2"]) <= 12):
            return None
        return _iv(y1, int(g["m1"]), int(g["d1"]), y2, int(g["m2"]), calendar.monthrange(y2, int(g["m2"]))[1])
    if kind == "range":
        y2 = _int(g.get("y2")) or _int(g.get("y1")) or ref_y
        y1 = _int(g.get("y1")) or y2
        m2 = int(g["m2"])
        m1 = _int(g.get("m1")) or m2
        if y1 and y2 and not g.get("y2") and (m2, int(g["d2"])) < (m1, int(g["d1"])):
            y2 = y1 + 1  # "từ 1/12/2023 đến 31/1": the end is in the next year
        return _iv(y1, m1, int(g["d1"]), y2, m2, int(g["d2"])) if y1 and y2 else None
    return None


def find_periods(text: str, ref: str | None, last_year: int | None = None,
                 carried: str | None = None, last_month: str | None = None,
                 last_quarter: str | None = None) -> list[Period]:
    """Period expressions in ``text`` (one sentence or paragraph), in order, non-overlapping."""
    data, rules, comp, _, local, baseline = _conf()
    found: list[Period] = []
    low = text.lower()
    for name, kind, rx, needs in rules:
        if needs and not any(w in low for w in needs):
            continue  # none of the words the rule is built on
        for m in rx.finditer(text):
            if any(p.start < m.end() and m.start() < p.end for p in found):
                continue
            g = {k: v for k, v in m.groupdict().items()}
            iv = resolve(kind, g, ref, last_year, data["roman"], carried, last_month, last_quarter)
            before = text[max(0, m.start() - 25):m.start()]
            is_comp = (kind in ("month", "day", "year_rel", "month_last_year")
                       and bool(_rx(data["announced_before"]).search(before))) \
                or bool(comp.search(before.rstrip())) or bool(baseline.search(text[max(0, m.start() - 40):m.start()]))
            depth = text[:m.start()].count("(") - text[:m.start()].count(")")
            is_local = bool(local.search(text[max(0, m.start() - 20):m.start()]))
            same = kind == "year" and bool(_rx(data["same_period_before"]).search(before))
            attached = bool(_rx(data["attached_before"]).search(text[max(0, m.start() - 60):m.start()]))
            is_local = is_local or kind == "same_period_prev"  # "Cùng kỳ năm trước, tỷ lệ ... chỉ đạt 97,12%"
            found.append(Period(m.start(), m.end(), iv, kind, is_comp, depth > 0, is_local, same, attached))
    found.sort(key=lambda p: p.start)
    # "Riêng tháng 6/2022, ... tỷ lệ ... trong tháng đạt 38,8%": a look back finds the month
    # (or quarter) named earlier in its own sentence before any stated in earlier sentences
    named = {"month_back": ("month",), "quarter_back": ("quarter",), "year_end": ("year", "first_months", "quarter")}
    before_words = tuple(w for w, off in data["relative"].items() if off == -1)  # "quý trước"
    for i, p in enumerate(found):
        if p.type in ("quarter_rel", "month_rel") and p.interval and text[p.start:p.end].lower().endswith(before_words):
            # "trong quý là 2.471 hồ sơ, gấp đôi quý trước": the one before the quarter (month) named
            # earlier in the sentence, not the one before publication
            kinds = ("quarter", "quarter_back") if p.type == "quarter_rel" else ("month", "month_back")
            own = [q for q in found[:i] if q.type in kinds and q.interval and not q.comparison]
            if own:
                y, m = int(own[-1].interval[:4]), int(own[-1].interval[5:7])
                step = 3 if p.type == "quarter_rel" else 1
                y, m = (y, m - step) if m > step else (y - 1, 13 - step)
                p.interval = f"{y:04d}-{m:02d}-01/{_month_end(y, m + step - 1)}"
            continue
        if p.type == "same_period_prev":
            # "8 tháng đạt 40,6%; cùng kỳ năm ngoái ... 26,3%": the period named before it in the sentence
            own = [q for q in found[:i] if q.interval and not q.comparison and q.type != "same_period_prev"]
            if own:
                p.interval = shift_to_year(own[-1].interval, int(own[-1].interval[:4]) - 1)
            continue
        if p.type in named:
            same = [q for q in found[:i] if q.type in named[p.type] and q.interval and not q.comparison]
            if same and p.type == "year_end":
                y = int(same[-1].interval[:4])
                p.interval = f"{y:04d}-01-01/{y:04d}-12-31"
            elif same:
                p.interval = same[-1].interval
    return found


def shift_to_year(interval: str, year: int) -> str:
    """The same stretch of the calendar in another year: ``2019-07-01/2019-09-30`` → 2018's third quarter."""
    import datetime as dt

    a, b = (dt.date.fromisoformat(x) for x in interval.split("/"))
    dy = year - a.year

    def move(d):
        last = calendar.monthrange(d.year + dy, d.month)[1]
        return d.replace(year=d.year + dy, day=min(d.day, last))
    return f"{move(a).isoformat()}/{move(b).isoformat()}"


def glossed(text: str, ref: str | None) -> dict[str, tuple[str, str]]:
    """Named periods that the article glosses with an explicit range, anywhere in it:
    "6 tháng đầu năm 2023 (từ ngày 15/12/2022 đến ngày 14/6/2023)" makes every
    "6 tháng đầu năm 2023" of the article mean that range. Maps the named interval to
    (the kind of expression that named it, the range)."""
    out: dict[str, tuple[str, str]] = {}
    if not _rx(patterns.load("periods")["gloss_opens"]).search(text):
        return out
    between = _rx(patterns.load("periods")["gloss_between"])
    for para in text.split("\n"):
        if not _rx(patterns.load("periods")["gloss_opens"]).search(para):
            continue
        found = find_periods(para, ref)
        for prev, p in zip(found, found[1:]):
            if (p.type == "range" and p.interval and prev.interval
                    and prev.type != "range" and not prev.comparison
                    and between.fullmatch(para, prev.end, p.start)):
                out.setdefault(prev.interval, (prev.type, p.interval))
    return out


def continues(sentence: str) -> bool:
    """Does ``sentence`` open by continuing the one before ("Trong đó, ...")?"""
    return bool(_rx(patterns.load("periods")["continuation"]).match(sentence))


def snapshots(text: str) -> list[int]:
    """Positions of snapshot words (``hiện nay``, ``đến nay``): figures after them have no period."""
    snap = _conf()[3]
    low = text.lower()
    if not any(w in low for w in patterns.load("periods")["snapshot_needs"]):
        return []  # the snapshot rule is costly: skip sentences without any of its words
    return [m.start() for m in snap.finditer(text)]


# --------------------------------------------------------------------------- carrying a period through an article


def ref_end(ref: str) -> str:
    """The last day the publication date allows: ``2024-05`` → ``2024-05-31``."""
    if len(ref) >= 10:
        return ref[:10]
    y, m = int(ref[:4]), int(ref[5:7])
    return f"{ref[:7]}-{calendar.monthrange(y, m)[1]:02d}"


def _days_after(day: str, ref_day: str) -> int:
    import datetime as dt

    return (dt.date.fromisoformat(day) - dt.date.fromisoformat(ref_day)).days


def is_plan(interval: str, ref_day: str) -> bool:
    """A period ending over a month after publication, most of it still ahead, is a plan, not a report."""
    start, end = interval.split("/")
    span = _days_after(end, start) + 1
    return _days_after(end, ref_day) > 31 and _days_after(ref_day, start) < 0.75 * span


class PeriodTracker:
    """The period each figure covers, read sentence by sentence through one article.

    A period stated in a sentence holds for the figures after it and carries to
    later sentences, except comparisons (``so với năm 2022``), periods in
    brackets or after ``riêng``, and plans (a plan's period holds only to the end
    of its paragraph). A snapshot (``hiện nay``, ``đến nay``)
    gives its figures no period, and so does a ``Trong đó`` sentence that
    continues one. ``trong năm``, ``trong kỳ``, ``trong quý``, ``trong tháng`` and
    ``trong 5 năm`` refer back to what was stated before.
    """

    def __init__(self, ref: str | None):
        self.ref = ref
        self.carried: str | None = None
        self.carried_type: str | None = None  # the kind of expression the carried period came from
        self.plan: tuple[str, int | None] | None = None  # a plan's period holds to its paragraph's end
        self.last_period: str | None = None  # even across a snapshot, for "trong kỳ"
        self.last_month: str | None = None   # for "trong tháng"
        self.last_quarter: str | None = None  # for "trong quý"
        self.week: str | None = None  # the range a "tuần" was glossed with
        self.last_year: int | None = None    # for "trong năm"
        self.prev_snapshot = False
        self.first_reported: str | None = None  # the first period the article reports (for its headline)
        self.paragraph: int | None = None
        self.snapshot_paragraph = False
        self.inherited_snapshot = False
        self.sentence = ""
        self.periods: list[Period] = []
        self.snaps: list[int] = []

    def read(self, sentence: str, paragraph: int | None = None) -> list[Period]:
        """Find the periods and snapshots of the next sentence; returns its periods.

        A paragraph that opens with a snapshot ("Đến nay, ...") stays one: its later
        sentences' figures have no period unless they state their own."""
        self.sentence = sentence
        self.periods = find_periods(sentence, self.ref, self.last_year, self.last_period, self.last_month,
                                    self.last_quarter)
        for p in self.periods:
            if p.type == "week" and p.interval is None and self.week:
                p.interval = self.week  # "Cũng trong tuần, ..."
        self.snaps = [x for x in snapshots(sentence) if not any(p.start <= x < p.end for p in self.periods)]
        new_paragraph = paragraph != self.paragraph
        # a snapshot carried from the sentence before: weaker than a period this sentence states
        self.inherited_snapshot = bool((self.prev_snapshot and continues(sentence))
                                       or (self.snapshot_paragraph and not new_paragraph))
        if new_paragraph:
            self.paragraph, self.snapshot_paragraph = paragraph, bool(self.snaps and self.snaps[0] < 3)
        return self.periods

    def source_type(self, interval: str | None) -> str | None:
        """The kind of expression ("first_months", "ytd", ...) that gave the current sentence's
        figures ``interval``: one stated in the sentence, else the carried one."""
        own = [p.type for p in self.periods if p.interval == interval]
        if own:
            return own[0]
        return self.carried_type if interval == self.carried else None

    def period_for(self, pos: int, same_object_at: int | None = None) -> str | None:
        """The period of a figure at ``pos`` in the current sentence.

        ``same_object_at``: where an earlier figure of this sentence counts the same object;
        a "đến nay" after it continues its count ("tiếp nhận 146 phản ánh trong năm; đến nay,
        139 phản ánh đã được xử lý") rather than opening a snapshot."""
        sent = self.sentence
        so_far = _rx(patterns.load("periods")["so_far"])
        snaps = [x for x in self.snaps
                 if not (same_object_at is not None and x > same_object_at and so_far.match(sent, x))]
        quoted = [p for p in self.periods if p.comparison and p.interval and p.end <= pos
                  and _rx(r"\s*\(").match(sent, p.end) and ")" not in sent[p.end:pos]]
        own = self._own_bracket(pos)
        if own:
            return own  # "tăng từ 12 dịch vụ (năm 2012) lên 35 dịch vụ (năm 2013)"
        if quoted:
            q = quoted[-1]
            if q.same_period:  # "cao hơn cùng kỳ năm 2018 (96,9%)": this report's period, in 2018
                own = self._period_ignoring(pos, q)
                if own:
                    return shift_to_year(own, int(q.interval[:4]))
            return q.interval  # "So với năm 2020 (tiếp nhận 684 phản ánh)": that year's figure
        before = [p for p in self.periods if p.end <= pos and not p.comparison and p.interval]
        snap_before = [x for x in snaps if x < pos]
        if before:
            last = before[-1]
            if snap_before and snap_before[-1] > last.start:
                return None
            if snap_before and snap_before[0] < 5 and "," in sent[last.end:pos]:
                return None  # "Tính đến nay, ... giai đoạn 2016-2020 ..., X": the snapshot governs
            inner = self._narrower_after(pos, last.interval)
            return inner or last.interval
        if snap_before or self.inherited_snapshot:
            # only a period right after the figure is its own: "Tỉnh hiện cung cấp 46 dịch vụ ..., chỉ 312 hồ sơ trong quý"
            close_after = [p for p in self.periods if p.start >= pos and p.interval and not p.comparison
                           and p.start - pos < 25 and not _rx(r"[,;:]").search(sent, pos, p.start)]
            return close_after[0].interval if close_after else None
        after = [p for p in self.periods if p.start >= pos and not p.comparison and not p.parenthetical
                 and not p.attached and ";" not in sent[pos:p.start]
                 and not _rx(patterns.load("periods")["after_stop"]).search(sent, pos, p.start)]
        if after and after[0].start - pos < 90:
            return after[0].interval
        if self.plan is not None and self.plan[1] == self.paragraph:
            return self.plan[0]  # "... Kế hoạch cải cách hành chính năm 2024 ... Tỉnh phấn đấu ... 70%"
        return self.carried

    def _own_bracket(self, pos: int) -> str | None:
        """A period in brackets, or joined by "của", right after the figure and its noun:
        "12 dịch vụ (năm 2012)", "38.722 hồ sơ của tháng 8/2022"."""
        for p in self.periods:
            if (p.parenthetical or p.attached) and p.interval and 0 < p.start - pos < 45:
                between = self.sentence[pos:p.start]
                words = _rx(r"^\D*\d[\d.,]*(?:\s*/\s*\d+)?").sub("", between)  # past the figure's own number ("từ 12", "95,9%", "19/63")
                joined = between.rstrip().endswith("(") or p.attached
                if joined and not _rx(r"[,;:]|\d").search(words):  # no clause break, no second number
                    if p.same_period:  # "mức 41,5% của cùng kỳ năm 2022": this report's period, in 2022
                        base = self._period_ignoring(pos, p)
                        return shift_to_year(base, int(p.interval[:4])) if base else p.interval
                    return p.interval
        return None

    def _period_ignoring(self, pos: int, skip: Period) -> str | None:
        """The period a figure at ``pos`` would have without the comparison ``skip``."""
        kept = self.periods
        self.periods = [p for p in kept if p is not skip]
        try:
            return self.period_for(pos)
        finally:
            self.periods = kept

    def _narrower_after(self, pos: int, outer: str) -> str | None:
        """A period later in the figure's own clause that lies within ``outer`` wins:
        "Năm 2019, ... hoàn thành 21/25 nhiệm vụ trong 6 tháng đầu năm"."""
        for p in self.periods:
            if (p.start >= pos and p.interval and not p.comparison and p.interval != outer
                    and not _rx(r"[,;.]").search(self.sentence, pos, p.start)
                    and outer[:10] <= p.interval[:10] and p.interval[11:] <= outer[11:]):
                return p.interval
        return None

    def close(self, first_figure: int | None) -> None:
        """Carry what the current sentence stated to the sentences after it."""
        first = first_figure if first_figure is not None else 20
        self.prev_snapshot = bool(self.snaps and self.snaps[0] < max(first, 20)
                                  and not [p for p in self.periods if p.start > self.snaps[0] and p.interval]) \
            or (self.inherited_snapshot and not [p for p in self.periods if p.interval])
        if self.snapshot_paragraph and any(p.interval and not p.comparison and not p.parenthetical
                                           and (not self.snaps or p.start > self.snaps[0]) for p in self.periods):
            # "Hiện tỉnh cung cấp 612 dịch vụ ...; trong 9 tháng đã tích hợp thêm 326": a period stated
            # after the snapshot ends it for the rest of the paragraph
            self.snapshot_paragraph = False
        prev = None
        carried_here: str | None = None
        for p in self.periods:
            gloss = (p.parenthetical and p.type == "range"
                     # "năm 2015 (từ ...)", "trong kỳ báo cáo (từ ngày 1/10/2016 đến ngày 30/9/2017)"
                     and ((prev is not None and _rx(patterns.load("periods")["gloss_lead"]).fullmatch(self.sentence, prev.end, p.start))
                          # "sau một năm vận hành (từ ngày 9-12-2019 đến ngày 8-12-2020), Cổng đã ...":
                          # dates in brackets before any figure gloss the time the sentence opens with
                          or (prev is None and (first_figure is None or p.end <= first_figure))))
            if gloss and prev is not None and prev.type == "week":
                self.week = p.interval  # "Trong tuần (từ ngày 14/10 đến ngày 18/10/2024)"
            planned = bool(self.ref and len(self.ref) >= 7 and p.interval and is_plan(p.interval, ref_end(self.ref))) \
                or (p.type == "year_end" and p.interval is not None)
            # a look back ("Năm 2013, tỉnh chỉ xếp thứ 27") ends before what the article reports: it does not carry
            # (unless the sentence introduces a list or table: "... số liệu 6 tháng đầu năm 2025 của ba tỉnh:")
            looking_back = bool(p.interval and self.first_reported and p.interval[11:] < self.first_reported[:10]
                                and not self.sentence.rstrip().endswith(":"))
            narrower_before = p.type in ("year_back", "period_back") and p.interval is not None and any(
                q.interval and not q.comparison and not q.parenthetical and not q.local and not q.attached
                and q.start < p.start and q.interval != p.interval
                and p.interval[:10] <= q.interval[:10] and q.interval[11:] <= p.interval[11:]
                for q in self.periods)  # "Tính đến ngày 30/6, ... 27/34 nhiệm vụ được giao trong năm"
            # "Trong 9 tháng đầu năm 2020, ... bám sát Kế hoạch CCHC năm 2020": a broader period named after
            # the one the sentence reports does not replace it
            broader = (not gloss and carried_here is not None and p.interval is not None and p.interval != carried_here
                       and p.interval[:10] <= carried_here[:10] and carried_here[11:] <= p.interval[11:])
            if p.interval and not p.comparison and not planned and not looking_back and not p.attached \
                    and not narrower_before and not broader and (gloss or (not p.parenthetical and not p.local)):
                self.carried = self.last_period = p.interval  # an explicit range glossing a period wins
                carried_here = p.interval
                self.carried_type = p.type
                self.plan = None
                if self.first_reported is None:
                    self.first_reported = p.interval
                if p.type in ("year", "year_past", "first_months", "quarter", "month"):
                    self.last_year = int(p.interval[:4])
            if planned and not p.comparison and not p.parenthetical and not p.local:
                self.plan = (p.interval, self.paragraph)
            # a look back ("Quý II, tỷ lệ ... là 96,9%" in a report on quý III) is not what "trong quý" means
            if p.interval and p.type == "month" and not p.comparison and not p.attached and not looking_back:
                self.last_month = p.interval
            if (p.interval and p.type == "quarter" and not p.comparison and not p.parenthetical
                    and not p.attached and not looking_back):
                self.last_quarter = p.interval
            prev = p
