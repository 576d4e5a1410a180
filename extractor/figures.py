"""Figures: which numbers of a sentence count or rate a reform object, and what happened to it.

The rules live in ``patterns/figures.yaml``; this module only interprets them.
A sentence is read as a sequence of number mentions; around each one the
clause structure decides the object (the noun right after the number, or the
head noun of the clause before a rate) and the action (a status next to the
object, else the nearest verb before the number, else one after it).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

import regex

from . import patterns
from .numbers import Number

_WORD_NEXT = regex.compile(r"\s*\p{L}")
_COUNTED = regex.compile(r"\d\s+$")  # an object right after a number that made no figure: "25 nghị quyết"


def _alt(words):
    return "|".join(regex.escape(w) for w in sorted(words, key=len, reverse=True))


@dataclass
class _Conf:
    obj_re: regex.Pattern
    obj_of: dict
    fillers_re: regex.Pattern
    act_re: dict
    act_of: dict
    specific: set
    default_action: dict
    restating: regex.Pattern
    rank_before: regex.Pattern
    rank_after: regex.Pattern
    rank_total_after: regex.Pattern
    rank_context: regex.Pattern
    score_after: regex.Pattern
    day_after: regex.Pattern
    day_needs: regex.Pattern
    day_not_when: regex.Pattern
    not_before: regex.Pattern
    not_after: regex.Pattern
    levels: dict
    index_obj: regex.Pattern
    needs: dict
    alias: dict
    not_numbers: regex.Pattern
    not_actions: regex.Pattern
    denominator: regex.Pattern
    rate_word: regex.Pattern
    narrower: dict
    by_action: list
    aux: regex.Pattern
    passive: regex.Pattern
    list_end: regex.Pattern
    named_rate: regex.Pattern
    out_of: regex.Pattern
    label: regex.Pattern
    breakdown: regex.Pattern
    bare_general: regex.Pattern
    bare_unit: regex.Pattern
    rank_move: regex.Pattern
    level_is: regex.Pattern
    denominator_in: regex.Pattern
    respectively: regex.Pattern
    verb_fillers: regex.Pattern
    not_objects: regex.Pattern
    total_link: regex.Pattern
    index_name_re: regex.Pattern
    index_name_of: dict
    adjacent_only: frozenset
    before_only: frozenset
    current_total: regex.Pattern
    current_objects: tuple
    current_action: str
    ordinal_before: regex.Pattern
    not_rate_of: regex.Pattern
    year_like: regex.Pattern
    bare_unit_object: str
    bare_unit_needs: regex.Pattern
    points_after: regex.Pattern
    share_of: regex.Pattern
    level_res: list
    gloss: regex.Pattern
    apposition: regex.Pattern
    list_label: regex.Pattern
    anaphora: regex.Pattern
    bare_rate: regex.Pattern
    coordination: regex.Pattern
    shared_verb: regex.Pattern
    rank_total_before: regex.Pattern
    compared_to: regex.Pattern
    rate_level: regex.Pattern
    object_modifier: regex.Pattern
    rate_total: regex.Pattern
    defined_after: regex.Pattern
    defined_count: regex.Pattern
    change_to: regex.Pattern
    count_only: frozenset
    year_list: regex.Pattern
    comma_pairs: regex.Pattern
    growth_before: regex.Pattern
    growth_after: regex.Pattern
    set_total: regex.Pattern
    purpose: regex.Pattern
    denominator_before: regex.Pattern
    period_rate: regex.Pattern
    corresponding: regex.Pattern


@functools.lru_cache(maxsize=1)
def conf() -> _Conf:
    d = patterns.load("figures")
    obj_of = {}
    for obj, phrases in d["objects"].items():
        for p in phrases:
            obj_of[p.lower()] = obj
    obj_re = regex.compile(r"(?<!\p{L})(" + _alt(obj_of) + r")(?!\p{L})", regex.IGNORECASE)
    act_re, act_of = {}, {}
    for obj, acts in d["actions"].items():
        m = {}
        for act, phrases in acts.items():
            for p in phrases:
                m.setdefault(p.lower(), act)
        act_of[obj] = m
        act_re[obj] = regex.compile(r"(?<!\p{L})(" + _alt(m) + r")(?!\p{L})", regex.IGNORECASE)
    levels = {}
    for act, phrases in d["service_level"].items():
        for p in phrases:
            levels[p] = act
    levels = dict(sorted(levels.items(), key=lambda kv: -len(kv[0])))  # "mức độ 3, 4" before "mức độ 3"
    return _Conf(
        obj_re=obj_re, obj_of=obj_of,
        fillers_re=regex.compile(r"^\s*(?:(?:" + _alt(d["fillers"]) + r")\s+)*", regex.IGNORECASE),
        act_re=act_re, act_of=act_of, specific=set(d["specific"]),
        default_action=d["default_action"],
        restating=regex.compile(d["restating_rate"], regex.IGNORECASE),
        rank_before=regex.compile(d["rank_before"], regex.IGNORECASE),
        rank_after=regex.compile(d["rank_after"], regex.IGNORECASE),
        rank_total_after=regex.compile(d["rank_total_after"]),
        rank_context=regex.compile(_alt(d["rank_context"])),
        score_after=regex.compile(d["score_unit_after"], regex.IGNORECASE),
        day_after=regex.compile(d["day_unit_after"]),
        day_needs=regex.compile(r"(?<!\p{L})(?:" + _alt(d["day_needs"]) + r")(?!\p{L})", regex.IGNORECASE),
        day_not_when=regex.compile(r"(?<!\p{L})(?:" + _alt(d["day_not_when"]) + r")(?!\p{L})", regex.IGNORECASE),
        not_before=regex.compile(d["not_before"]),
        not_after=regex.compile(d["not_after"]),
        levels=levels,
        index_obj=regex.compile(r"(?<!\p{L})(?:" + _alt(d["objects"]["index"]) + r")(?!\p{L})"),
        needs={k.lower(): regex.compile(r"(?i)" + _alt(v)) for k, v in d.get("object_needs", {}).items()},
        alias=d.get("object_alias", {}),
        not_numbers=regex.compile("|".join(d.get("not_numbers", [])) or r"(?!)"),
        denominator=regex.compile(d["denominator_after"]),
        narrower=d.get("narrower", {}),
        **{k: regex.compile(v) for k, v in d["grammar"].items()},
        bare_unit=regex.compile(r"\s*" + regex.escape(d["bare_unit"]["word"]) + r"(?!\s*\p{L})" + d["bare_unit"]["not_before"]),
        bare_unit_object=d["bare_unit"]["object"],
        rank_move=regex.compile(d["rank_move"]),
        level_is=regex.compile(d["level_is"]),
        denominator_in=regex.compile(d["denominator_in"]),
        respectively=regex.compile(d["respectively"]),
        verb_fillers=regex.compile(r"(?:\s+(?:" + _alt(d["verb_number_fillers"]) + r"))+\s*$", regex.IGNORECASE),
        not_objects=regex.compile(r"(?<!\p{L})(?:" + _alt(d["not_objects"]) + r")(?!\p{L})", regex.IGNORECASE),
        total_link=regex.compile(d["total_link"]),
        index_name_re=regex.compile(r"(?<!\p{L})(" + _alt([w for ws in d["index_names"].values() for w in ws]) + r")(?!\p{L})"),
        index_name_of={w: k for k, ws in d["index_names"].items() for w in ws},
        adjacent_only=frozenset(w.lower() for w in d.get("adjacent_only", [])),
        before_only=frozenset(w.lower() for w in d.get("before_only", [])),
        current_total=regex.compile(d["current_total"]["when"]),
        current_objects=tuple(d["current_total"]["objects"]),
        current_action=d["current_total"]["action"],
        ordinal_before=regex.compile(d["ordinal_before"]),
        not_rate_of=regex.compile(d["not_rate_of"]),
        year_like=regex.compile(d["year_like"]),
        bare_unit_needs=regex.compile(regex.escape(d["bare_unit"]["needs"]), regex.IGNORECASE),
        by_action=d.get("object_by_action", []),
        points_after=regex.compile(d["points_after"]),
        share_of=regex.compile(d["share_of"]),
        gloss=regex.compile(d["gloss"]),
        apposition=regex.compile(d["apposition"]),
        list_label=regex.compile(d["list_label"]),
        anaphora=regex.compile(d["anaphora"]),
        bare_rate=regex.compile(d["bare_rate"]),
        named_rate=regex.compile(d["named_rate"]),
        coordination=regex.compile(d["coordination"]),
        shared_verb=regex.compile(d["shared_verb"]),
        rank_total_before=regex.compile(d["rank_total_before"]),
        compared_to=regex.compile(d["compared_to"]),
        rate_level=regex.compile(d["rate_level"]),
        object_modifier=regex.compile(d["object_modifier"]),
        rate_total=regex.compile(d["rate_total"]),
        defined_after=regex.compile(d["defined_after"]),
        defined_count=regex.compile(d["defined_count"]),
        change_to=regex.compile(d["change_to"]),
        count_only=frozenset(d.get("count_only_metrics", [])),
        year_list=regex.compile(d["year_list_before"]),
        growth_before=regex.compile(d["growth"]["before"]),
        growth_after=regex.compile(d["growth"]["after"]),
        comma_pairs=regex.compile(r"(?<!\p{L})(?:" + _alt(d["comma_pairs"]) + r")(?!\p{L})", regex.IGNORECASE),
        set_total=regex.compile(d["current_total"]["set"]),
        purpose=regex.compile(d["purpose"]),
        denominator_before=regex.compile(d["denominator_before"]),
        period_rate=regex.compile(d["period_rate"]),
        corresponding=regex.compile(d["corresponding"]),
        level_res=[(regex.compile(regex.escape(p) + r"(?!\d)"), a) for p, a in levels.items()],
        rate_word=regex.compile(r"(?<!\p{L})(?:" + _alt(d["rate_words"]) + r")(?!\p{L})"),
        not_actions=regex.compile(r"(?i)(?<!\p{L})(?:" + _alt(d.get("not_actions", [])) + r")(?!\p{L})"),
    )


def _ends_with(rx: regex.Pattern, s: str, pos: int) -> bool:
    """Does ``rx`` (anchored with ``$``) match the text just before ``pos``?

    The window keeps one character before it so that word-boundary lookbehinds
    see the letter they guard against ("danh mục 312" is no "Mục 312").
    """
    lo = max(0, pos - 40)
    window = s[lo:pos]
    m = rx.search(window)
    while m and m.start() == 0 and lo > 0 and s[lo - 1].isalpha():
        m = rx.search(window, 1)
    return bool(m)


def _bare_object(c: _Conf, s: str, sentence: str) -> bool:
    """An object noun right after a number word, with no filler between ("hai nhiệm vụ")."""
    m = c.obj_re.match(s.lstrip())
    return bool(m) and _allowed(c, m.group(1), sentence)


def _object_at_start(c: _Conf, s: str, sentence: str) -> tuple[str, int] | None:
    """The object named at the start of ``s`` (after fillers): (object, end offset in s)."""
    f = c.fillers_re.match(s)
    pos = f.end() if f else 0
    m = c.obj_re.match(s, pos)
    if m and m.start() == pos and _allowed(c, m.group(1), sentence):
        return c.obj_of[m.group(1).lower()], m.end()
    # a bare first word: "59.010 bộ." stands for dossiers in a dossier sentence
    return None


def _allowed(c: _Conf, phrase: str, sentence: str) -> bool:
    """An ambiguous object word counts only when its sentence (or the one before it in the
    paragraph: "... 142 điều kiện kinh doanh. Riêng số điều kiện bị bãi bỏ là 64.") has
    one of its `object_needs`."""
    need = c.needs.get(phrase.lower())
    return need is None or bool(need.search(sentence))


def _head_object(c: _Conf, left: str, sentence: str) -> tuple[str, int, int] | None:
    """The object a rate is about: the head noun of the nearest comma-clause before it that
    names one ("1.102 dịch vụ ..., tỷ lệ thanh toán trực tuyến phí, lệ phí đạt 64,8%")."""
    inside = [m.span() for m in c.obj_re.finditer(left)]  # "hồ sơ, kết quả giải quyết TTHC" is one object
    inside += [m.span() for m in c.comma_pairs.finditer(left)]  # "người dân, doanh nghiệp" is one subject
    commas = [i for i, ch in enumerate(left) if ch == "," and not any(a <= i < b for a, b in inside)]
    bounds = [-1] + commas + [len(left)]
    for k in range(len(bounds) - 1, 0, -1):
        found = _first_object(c, left[bounds[k - 1] + 1:bounds[k]], sentence)
        if found:
            return found
    return None


def _first_object(c: _Conf, s: str, sentence: str) -> tuple[str, int, int] | None:
    for m in c.obj_re.finditer(s):
        if _allowed(c, m.group(1), sentence):
            return c.obj_of[m.group(1).lower()], m.start(), m.end()
    return None


def _actions(c: _Conf, obj: str, s: str, ends: bool = False) -> list[tuple[int, str]]:
    """The actions of ``obj`` named in ``s``, as (start, action) or, with ``ends``, (end, action).

    Matches inside a compound noun ("kết quả giải quyết") are not actions."""
    return list(_actions_of(obj, s, ends))


@functools.lru_cache(maxsize=8192)
def _actions_of(obj: str, s: str, ends: bool) -> tuple[tuple[int, str], ...]:
    """:func:`_actions` for the one rule set, cached: a sentence asks about the same spans many times."""
    return tuple(_find_actions(conf(), obj, s, ends))


def _find_actions(c: _Conf, obj: str, s: str, ends: bool) -> list[tuple[int, str]]:
    rx = c.act_re.get(obj)
    if not rx:
        return []
    blocked = [m.span() for m in c.not_actions.finditer(s)]
    near_end = len(s.rstrip()) - 2
    return [(m.end() if ends else m.start(), c.act_of[obj][m.group(1).lower()])
            for m in rx.finditer(s) if not any(a <= m.start() and m.end() <= b for a, b in blocked)
            and (m.group(1).lower() not in c.adjacent_only or not ends or m.end() >= near_end)
            and (m.group(1).lower() not in c.before_only or (ends and m.end() >= near_end))]


@functools.lru_cache(maxsize=None)
def _stops(stops: str) -> regex.Pattern:
    return regex.compile(r"[" + regex.escape(stops) + r"]")


def _clause_end(s: str, start: int, stops: str) -> int:
    m = _stops(stops).search(s, start)
    return m.start() if m else len(s)


def classify(sentence: str, numbers: list[Number], context: str = "", last_rate: str | None = None) -> list[dict]:
    """Figure facts (metric, value, unit, total, approx, local offsets) of one sentence.

    ``context`` is the sentence before in the paragraph; ``last_rate`` the metric of the last rate
    read before this sentence, which "tỷ lệ này" refers back to."""
    if not numbers:
        return []
    c = conf()
    around = f"{context}\n{sentence}" if context else sentence  # where an ambiguous object word looks for its need
    figs: list[dict] = []
    masked = [m.span() for m in c.not_numbers.finditer(sentence)]
    numbers = [n for n in numbers if not any(a <= n.num_start < b for a, b in masked)]
    has_index = bool(c.rank_context.search(sentence)) or bool(c.index_obj.search(sentence))
    prev_num_end = 0
    prev_fig: dict | None = None
    numbers = [n for n in numbers  # "trong 11 tháng ước đạt 95%": the word before "ước đạt" does not count
               if not (_ends_with(c.not_before, sentence, n.num_start if n.approx != "exact" and not n.range_part else n.start)
                       and not (has_index and _ends_with(c.rank_before, sentence, n.start))
                       and not (n.percent and _ends_with(c.rate_level, sentence, n.start)))]  # "so với mức 95,9%"
    numbers = [n for n in numbers if not (c.year_like.match(n.raw.strip()) and _ends_with(c.year_list, sentence, n.start))]
    numbers = [n for n in numbers if not n.single_word or _bare_object(c, sentence[n.end:], around)]
    numbers = [n for n in numbers
               if not _ends_with(c.ordinal_before, sentence, n.start)
               and not (c.year_like.match(n.raw.strip()) and not _object_at_start(c, sentence[n.end:], around))]
    consumed: set[int] = set()
    waiting: list[Number] = []
    item = _list_item(c, sentence, around)  # "- Phản ánh, kiến nghị: tiếp nhận 215, xử lý 209."
    forced = _respectively(c, sentence, numbers, around)
    corr = c.corresponding.search(sentence)  # "...; con số tương ứng của Hà Nội là 18.750 hồ sơ và 98,9%"
    for i, n in enumerate(numbers):
        if i in consumed:
            continue
        if corr and n.start > corr.end() and i not in forced:
            before_corr = [f for f in figs if f["_start"] < corr.start()]
            k = sum(1 for m in numbers[:i] if m.start > corr.end())
            if k < len(before_corr) and (before_corr[k]["unit"] == "percent") == n.percent:
                forced[i] = before_corr[k]["metric"]  # the k-th figure after it repeats the k-th one's metric
        if i in forced:
            fig = dict(metric=forced[i], unit="percent" if n.percent else "count", total=n.total)
            fig.update(value=n.value, approx=n.approx, _start=n.start, _end=n.end, _num_end=n.end)
            figs.append(fig)
            prev_fig, prev_num_end = fig, n.end
            continue
        nxt_start = numbers[i + 1].num_start if i + 1 < len(numbers) else len(sentence)
        before = sentence[:n.start]
        after = sentence[n.end:]
        colon = before.rstrip().rfind(":")
        if colon >= 0 and colon >= len(before.rstrip()) - 4:
            colon = before.rfind(":", 0, colon)  # "X là: 69,7%": the label before the colon is the clause
        left_start = max(prev_num_end, before.rfind(";") + 1, colon + 1)
        left = sentence[left_start:n.start]
        right_long = sentence[n.end:min(_clause_end(sentence, n.end, ",;()"), nxt_start)]
        fig = None
        # --- ranks: "xếp thứ 9/63", "tăng 3 bậc"
        if has_index and not n.percent and (c.rank_before.search(before[-25:]) or c.rank_after.match(after)
                                            or (n.total is not None and c.rank_move.search(before[-25:]))):
            total = n.total
            if total is None:
                mt = c.rank_total_after.match(after + " ")
                if mt:
                    total = float(mt.group(1))
            if total is None:
                mb = c.rank_total_before.search(before)  # "Trong 14 tỉnh ..., Bình Định đứng thứ 5"
                if mb and ";" not in before[mb.end():]:
                    total = float(mb.group(1))
            fig = dict(metric="index.rank", unit="rank", total=total)
        elif c.not_after.match(after) and not n.percent:
            continue
        else:
            unit = "percent" if n.percent else "count"
            obj = None
            obj_end = 0
            if c.day_after.match(after) and not n.percent:
                if not c.day_needs.search(sentence) or c.day_not_when.search(sentence):
                    continue
                fig = dict(metric="procedure.time_reduced", unit="day", total=None)
            elif not n.percent and c.score_after.match(after) and (has_index or n.value != int(n.value)):
                # "88,51 điểm" (a decimal score needs no index word nearby: "Bình Định (78,41 điểm)")
                fig = dict(metric="index.score", unit="score", total=n.total)
            elif not n.percent and c.points_after.match(after) and has_index:
                fig = dict(metric="index.score", unit="percent", total=None)  # "2,58 điểm phần trăm"
            elif (n.percent and prev_fig is not None and prev_fig["unit"] == "percent"
                  and c.change_to.fullmatch(sentence, prev_num_end, n.start)):
                # "tăng từ 94,6% năm 2021 lên 99,3% năm 2024": where the rate went
                fig = dict(metric=prev_fig["metric"], unit="percent", total=None)
            elif n.percent and c.growth_after.match(after) and _ends_with(c.growth_before, sentence, n.start):
                continue  # "tiếp nhận 46.218 hồ sơ, tăng 31% so với năm 2018": a growth, no rate of the metric
            elif n.percent and (c.not_rate_of.match(after) or (not has_index and c.not_after.match(after))):
                continue  # "20% chi phí tuân thủ", "100% cơ quan cấp huyện"
            elif (n.percent and prev_fig is not None and prev_fig["unit"] == "percent"
                  and c.compared_to.search(left) and not _object_at_start(c, after, around)):
                # "đạt 97,6%, cải thiện so với mức 95,9% của 6 tháng đầu năm 2018": the same rate, another period
                fig = dict(metric=prev_fig["metric"], unit="percent", total=None)
            elif c.defined_after.match(after) and (
                    n.percent or c.defined_count.match(after, c.defined_after.match(after).end())):
                # "96,3% – đó là tỷ lệ ...", "Con số 1.139, đó là số dịch vụ công trực tuyến mức độ 4 ..."
                fig = _defined_after(c, after[c.defined_after.match(after).end():], unit, prev_fig, around)
                if fig is None:
                    continue
            elif (n.percent and prev_fig is not None and _restates(c, sentence, prev_fig, n)
                  and (not _object_at_start(c, after, around) or c.denominator.match(after)
                       or c.share_of.search(sentence[prev_fig["_num_end"]:n.start])
                       or c.apposition.search(sentence[prev_fig["_num_end"]:n.start]))):
                # a rate right after a count restates it: "904.225 hồ sơ, đạt tỷ lệ 99,99%"
                fig = dict(metric=prev_fig["metric"], unit="percent", total=None)
            else:
                found = None if (n.percent and (c.denominator.match(after) or _rate_named_before(c, left, sentence)
                                                 or _labelled(c, left, sentence))) \
                    else _object_at_start(c, after, around)
                if found:
                    obj, obj_end = found
                elif c.bare_unit.match(after) and c.bare_unit_needs.search(sentence):
                    obj, obj_end = c.bare_unit_object, c.bare_unit.match(after).end()  # "59.010 bộ"
                elif _WORD_NEXT.match(after) and not n.percent and not (
                        c.passive.match(after) and _head_object(c, left, around)):
                    # a count of something else ("63 địa phương"), unless a label precedes it or the
                    # object named before it is the subject of a passive ("58.943 hồ sơ, có 41.270 được nộp ...")
                    continue
                if fig is None and obj is None and not n.percent:
                    unpaired = c.comma_pairs.sub(lambda m: m.group(0).replace(",", " "), left)  # "người dân, doanh nghiệp"
                    seg = left[unpaired.rfind(",") + 1:]
                    heads = [m.start() for m in c.not_objects.finditer(seg)]
                    first_obj = c.obj_re.search(seg)
                    if heads and (not first_obj or heads[0] < first_obj.start()):
                        continue  # "số tài khoản đăng ký gần 9,1 triệu"
                rates = list(c.rate_word.finditer(left)) if n.percent and fig is None and obj is None else []
                named = c.obj_re.match(left, rates[-1].start()) if rates else None
                if named and c.obj_of.get(named.group(1).lower()) == "index":
                    # "Tỷ lệ hài lòng của người dân ... đối với việc giải quyết TTHC ... đạt 96,8%"
                    fig = dict(metric="index.score", unit="percent", total=None)
                if fig is None and obj is None:
                    fo = _head_object(c, left, around)
                    if fo:
                        obj = fo[0]
                    elif c.rate_word.search(left) or c.label.search(left):
                        obj = _object_by_action(c, left)  # "tỷ lệ giải quyết đúng hạn 99,4%"
                if (obj is not None and prev_fig is not None and c.narrower.get(obj)
                        and prev_fig["metric"].startswith(c.narrower[obj] + ".")
                        and (c.breakdown.search(sentence, prev_fig["_num_end"], n.start)
                             or c.bare_general.match(after))):
                    obj = c.narrower[obj]  # "42 TTHC nội bộ, trong đó ... 17 thủ tục"
                if fig is None and obj is None and prev_fig is not None:
                    prev_obj = next((o for o, a in c.alias.items() if prev_fig["metric"].startswith(a + ".")),
                                    prev_fig["metric"].split(".")[0])
                    if _actions(c, prev_obj, left):
                        obj = prev_obj  # "hồ sơ đã tiếp nhận là 48.326, trong khi số đã giải quyết xong là 46.905"
                if fig is None and obj is None and item and n.start >= item[2]:
                    obj = item[0]  # the list item's label names the object
                if fig is None and obj is None:
                    here = next((f["metric"] for f in reversed(figs) if f["unit"] == "percent"), None)
                    earlier = here or last_rate
                    if n.percent and earlier and (c.anaphora.search(left) or c.bare_rate.search(left)):
                        # "Năm 2022, tỷ lệ này chỉ là 91,7%", "Riêng huyện Tư Nghĩa đạt tỷ lệ 21,5%"
                        fig = dict(metric=earlier, unit="percent", total=None)
                    elif n.percent and (here or (context and last_rate)) and (
                            c.named_rate.search(left[left.rfind(",") + 1:]) or not left.strip(" ,;")
                            or left.strip() == "và" or (here and c.period_rate.search(left))):
                        # places side by side after the rate is named: "Năm 2022, Cần Thơ đạt 99,2%,
                        # An Giang 98,7%", "Bạc Liêu và Sóc Trăng lần lượt chỉ đạt 18,7% và 15,3%"
                        fig = dict(metric=here or last_rate, unit="percent", total=None)
                    elif n.percent and has_index:
                        fig = dict(metric="index.score", unit="percent", total=None)
                    elif prev_fig is not None and c.list_end.match(after):
                        fig = dict(metric=prev_fig["metric"], unit=unit, total=n.total)
                    else:
                        if n.percent and c.list_end.match(after):
                            waiting.append(n)  # "Quảng Ninh đạt 91,2%, Hải Phòng 89,5% ... hồ sơ đúng hạn"
                        continue
                if fig is None:
                    if not found:  # the object was named before the number: its words are there too
                        right_long = ""
                    levels_span = sentence[n.end:min(_clause_end(sentence, n.end, ";()"), nxt_start)]
                    cut = c.breakdown.search(levels_span)  # "1.536, trong đó mức độ 3 là 212": the parts' levels
                    levels_span = levels_span[:cut.start()] if cut else levels_span
                    # the object's own words end where the next number starts ("1.012 dịch vụ mức độ 2 và 34 ..."),
                    # past a gloss ("812 thủ tục, tức khoảng 46%, được cung cấp ...")
                    gloss = c.gloss.match(after[obj_end:])
                    words_from = obj_end + (gloss.end() if gloss else 0)
                    stop = next((m.num_start - n.end for m in numbers[i + 1:] if m.num_start - n.end >= words_from),
                                len(after))
                    coord = c.coordination.search(after, words_from, stop) if stop < len(after) else None
                    stop = coord.start() if coord else stop  # "đơn giản hóa 61 thủ tục và rút ngắn ... 38 thủ tục"
                    # a denominator's verbs are its own, not the numerator's before it:
                    # "97,8% hồ sơ được giải quyết đúng hạn trên tổng số 186.420 hồ sơ đã giải quyết"
                    own_left = "" if (found and prev_fig is not None and prev_fig["unit"] == "percent"
                                      and c.rate_total.search(left)) else left
                    fig = _with_action(c, obj, unit, own_left, after[obj_end:stop],
                                       levels_span, right_long, prev_fig,
                                       object_after=bool(found))
                    if fig is None and item and item[1] and n.start >= item[2] and obj == item[0]:
                        # "Tỷ lệ hồ sơ nộp trực tuyến tăng qua từng năm: năm 2021 đạt 35,2%": the label's status
                        fig = dict(metric=f"{c.alias.get(obj, obj)}.{item[1]}", unit=unit, total=None)
                    if fig is None:
                        continue
                    if item and item[1] and n.start >= item[2]:
                        o, a = fig["metric"].split(".")
                        if o == c.alias.get(item[0], item[0]) and a not in c.specific:
                            fig["metric"] = f"{o}.{item[1]}"  # "- DVC toàn trình: công bố thêm 214 dịch vụ"
        fig.update(value=n.value, approx=n.approx)
        if fig.get("total") is None and fig["metric"] != "index.rank":
            fig["total"] = n.total if n.total is not None else _total_before(c, sentence, numbers, i, fig)
        if fig.get("total") is None and fig["unit"] == "count" and i + 1 < len(numbers) \
                and c.total_link.match(sentence[n.end:numbers[i + 1].start]):
            fig["total"] = numbers[i + 1].value  # "1.347 hồ sơ trễ hạn trong tổng số 9.862 hồ sơ"
            consumed.add(i + 1)
        if fig["metric"].startswith("index."):
            named = c.index_name_re.findall(sentence, 0, n.start)
            fig["_index"] = c.index_name_of.get(named[-1]) if named else None
        fig["_start"], fig["_end"] = n.start, n.end
        # a total read with the figure ends it: "187.432 hồ sơ trên tổng số 190.118 hồ sơ ..., đạt 98,59%"
        fig["_num_end"] = numbers[i + 1].end if i + 1 in consumed else n.end
        # rates listed before the one that names their object share it
        for w in waiting:
            if fig["unit"] == "percent" and _bare_list(c, sentence[w.end:n.start], around):
                figs.append(dict(fig, value=w.value, approx=w.approx, total=w.total,
                                 _start=w.start, _end=w.end, _num_end=w.end))
        waiting = []
        figs.append(fig)
        prev_fig = fig
        prev_num_end = fig["_num_end"]
    figs.extend(_rates_in_turn(c, sentence, numbers, figs))
    # a stock of procedures is counted, never rated: "58%" with only "thủ tục" before it is no total
    figs = [f for f in figs if not (f["unit"] == "percent" and f["metric"] in c.count_only)]
    figs.sort(key=lambda f: f["_start"])
    return figs


def _rates_in_turn(c: _Conf, sentence: str, numbers: list, figs: list) -> list[dict]:
    """"389 thủ tục mức độ 3 và 226 thủ tục mức độ 4 (lần lượt chiếm 20% và 11,6%)": rates after
    "lần lượt" that found no object of their own rate the counts listed before it, in order."""
    m = c.respectively.search(sentence)
    if not m:
        return []
    done = {f["_start"] for f in figs}
    rates = [n for n in numbers if n.start >= m.end() and n.percent and n.start not in done]
    counts = [f for f in figs if f["_start"] < m.start() and f["unit"] == "count"]
    if not rates or len(counts) < len(rates) or ";" in sentence[counts[-len(rates)]["_start"]:rates[-1].start]:
        return []
    return [dict(metric=f["metric"], unit="percent", total=None, value=n.value, approx=n.approx,
                 _start=n.start, _end=n.end, _num_end=n.end)
            for f, n in zip(counts[-len(rates):], rates)]


def _list_item(c: _Conf, sentence: str, around: str) -> tuple[str, str | None, int] | None:
    """A list item opening with a label: (its object, its status if it names one, where the label ends).
    "- Dịch vụ công trực tuyến toàn trình: công bố thêm 214 dịch vụ" → online_service, full_process."""
    m = c.list_label.match(sentence)
    if not m:
        return None
    found = _first_object(c, m.group(1), around)
    if not found:
        return None
    statuses = [a for _, a in _actions(c, found[0], m.group(1)) if a in c.specific and a != "skip" and "." not in a]
    return found[0], (statuses[-1] if statuses else None), m.end()


def _bare_list(c: _Conf, between: str, around: str) -> bool:
    """Only places, commas and "và" between two listed rates: no verb, no object, no clause break."""
    if ";" in between or "." in between or _first_object(c, between, around):
        return False
    return not any(_actions(c, obj, between) for obj in c.act_re)


_CLAUSE_STOP = regex.compile(r";|\.(?!\d)")
_PUNCT = regex.compile(r"[,;:()]")


def _respectively(c: _Conf, sentence: str, numbers: list, around: str) -> dict[int, str]:
    """"A và B lần lượt là X và Y": number index → the metric of the action named in its place."""
    m = c.respectively.search(sentence)
    if not m:
        return {}
    clause_start = sentence.rfind(";", 0, m.start()) + 1
    head = sentence[clause_start:m.start()]
    stop = _CLAUSE_STOP.search(sentence, m.end())
    after = [i for i, n in enumerate(numbers) if n.start >= m.end() and (not stop or n.start < stop.start())]
    found = _head_object(c, head, around) or (None,)
    obj = found[0] or _object_by_action(c, head)
    if not obj or len(after) < 2:
        return {}
    acts = [a for _, a in _actions(c, obj, head) if a != "skip"]
    if not acts or len(after) % len(acts):
        acts = [a for a in acts if a in c.specific]  # "giải quyết đúng hạn và trễ hạn": the statuses
    if not acts or len(after) % len(acts):
        return {}
    # "trước hạn, đúng hạn và quá hạn lần lượt là 121.538, 72.114 và 13.794, tương ứng 58,6%, 34,8% và 6,6%"
    return {i: (a if "." in a else f"{c.alias.get(obj, obj)}.{a}")
            for k, i in enumerate(after) for a in [acts[k % len(acts)]]}


def _total_before(c: _Conf, sentence: str, numbers: list, i: int, fig: dict) -> float | None:
    """"Trong số 28 nhiệm vụ ..., đã hoàn thành 6 nhiệm vụ": 6 of 28."""
    if i == 0 or fig["unit"] != "count":
        return None
    for prev in reversed(numbers[:i]):  # "Trong số 209.877 hồ sơ, có 204.630 hồ sơ đúng hạn và 5.247 hồ sơ trễ hạn"
        if ";" in sentence[prev.end:numbers[i].start]:
            return None
        if not c.out_of.search(sentence[max(0, prev.start - 20):prev.start]):
            continue
        if prev.value < numbers[i].value:
            return None
        a = _object_at_start(c, sentence[prev.end:], sentence)
        b = _object_at_start(c, sentence[numbers[i].end:], sentence)
        if a and b is None and fig["metric"].split(".")[0] == c.alias.get(a[0], a[0]):
            return prev.value  # "trong số 12 nhiệm vụ ..., Bộ đã hoàn thành 7": the part names no object again
        return prev.value if a and b and a[0] == b[0] else None
    return None


def _labelled(c: _Conf, left: str, sentence: str) -> bool:
    """"- Thanh toán trực tuyến: 62,7% số hồ sơ ...": a label before a colon names the rate."""
    m = c.label.search(left)
    return bool(m) and _first_object(c, m.group(1), sentence) is not None


def _rate_named_before(c: _Conf, left: str, sentence: str) -> bool:
    """"Tỷ lệ <object> ... đạt N%": the rate's object stands before the number."""
    m = c.rate_word.search(left)
    return bool(m) and _first_object(c, left[m.end():], sentence) is not None


def _restates(c: _Conf, sentence: str, prev_fig: dict, n: Number) -> bool:
    if prev_fig["unit"] in ("percent", "rank", "score"):
        return False
    obj = prev_fig["metric"].split(".")[0]
    lead = c.aux.match(sentence, n.end).end()
    if any(p == 0 and a in c.specific for p, a in _actions(c, obj, sentence[lead:lead + 40])):
        return False  # "giải quyết 2.611 hồ sơ, 100% đúng hạn": the rate has its own status
    between = sentence[prev_fig["_num_end"]:n.start]
    # numbers between that made no figure are counts of other things ("theo 25 nghị quyết chuyên đề")
    if ";" in between or len(between) > 120:
        return False
    own = _object_at_start(c, between, sentence)
    if own and any(not _COUNTED.search(between, 0, m.start()) for m in c.obj_re.finditer(between, own[1])):
        return False  # "21.760 hồ sơ, trong đó hồ sơ trực tuyến (chiếm 64%)": a new object, a new rate
    return bool(c.restating.search(between))


def _defined_after(c: _Conf, definition: str, unit: str, prev_fig, around: str) -> dict | None:
    """"96,3% – đó là tỷ lệ hồ sơ giải quyết đúng hạn": the clause after the dash names the rate,
    read as if it stood before the number."""
    definition = definition[:min(_clause_end(definition, 0, ";."), 160)]
    found = _first_object(c, definition, around)
    obj = found[0] if found else _object_by_action(c, definition)
    if obj is None:
        return None
    return _with_action(c, obj, unit, definition, "", definition, "", prev_fig, object_after=False)


def rate_named(sentence: str) -> str | None:
    """The metric of a rate a sentence names without giving it ("Nếu xét tỷ lệ giải quyết hồ sơ
    đúng hạn, khoảng cách ... không còn"): the rate that bare figures after it rate."""
    c = conf()
    last = None
    for m in c.rate_word.finditer(sentence):
        last = m
    if last is None:
        return None
    phrase = sentence[last.end():_clause_end(sentence, last.end(), ",;.:()")]
    found = _first_object(c, phrase, sentence)
    obj = found[0] if found else _object_by_action(c, phrase)
    if obj is None:
        return None
    acts = [a for _, a in _actions(c, obj, phrase) if a in c.specific and a != "skip"]
    if not acts:
        return None
    return acts[0] if "." in acts[0] else f"{c.alias.get(obj, obj)}.{acts[0]}"


def _object_by_action(c: _Conf, left: str) -> str | None:
    """The object a rate is about when the clause names only its status ("tỷ lệ giải quyết đúng hạn")."""
    for obj in c.by_action:
        if any(a in c.specific for _, a in _actions(c, obj, left)):
            return obj
    return None


def _with_action(c, obj, unit, left, after_obj, levels_span, right_long, prev_fig, object_after=True):
    """The metric of a number whose object is known, from the verbs around it (see the module doc)."""
    left = c.denominator_in.sub(lambda m: " " * len(m.group(0)), left)  # "... trên tổng số hồ sơ tiếp nhận"
    # older reports: a thủ tục "ở mức độ 3/4" is an online service ("mức độ 3, 4" both: provided)
    if obj in ("procedure", "online_service"):
        tail = left[-25:]
        level = None
        for rx, act in c.level_res:
            m = rx.search(tail)
            if m and c.level_is.match(tail, m.end()):
                level = act  # "mức độ 3 là 212 dịch vụ"
                break
        if level is None:
            hits = [(m.start(), -len(m.group(0)), act) for rx, act in c.level_res for m in [rx.search(levels_span)] if m]
            level = min(hits)[2] if hits else None  # the nearest: "1.012 dịch vụ mức độ 2 và 34 dịch vụ mức độ 3"
        if level is not None and level != "none":
            return dict(metric=f"online_service.{level}", unit=unit, total=None)
    if obj in c.current_objects and unit == "count" and c.set_total.search(left):
        return dict(metric=f"{c.alias.get(obj, obj)}.{c.current_action}", unit=unit, total=None)  # "Bộ TTHC của tỉnh gồm 1.983 thủ tục"
    gloss = c.gloss.match(after_obj)  # "1.187 thủ tục, tức gần 95%, được cung cấp ...": the verb is past the gloss
    if gloss:
        after_obj = after_obj[gloss.end():]
    field = c.object_modifier.match(after_obj)  # "20 thủ tục trong lĩnh vực đất đai, xây dựng được rút ngắn ..."
    if field and not _actions(c, obj, after_obj[:field.end()]):
        after_obj = after_obj[field.end():]
    rs = _clause_end(after_obj, 0, ",;():")
    purpose = c.purpose.search(after_obj, 0, rs)  # "rà soát 265 thủ tục để đề xuất cắt giảm ...": an aim, no status
    rs = purpose.start() if purpose else rs
    right_acts = _actions(c, obj, after_obj[:rs])
    # after a rate whose object came before it, only a verb right after the number counts
    # ("99,12% được trả kết quả đúng hạn"), not a status further on ("... và tỷ lệ đúng hạn")
    spec = [a for _, a in right_acts if a in c.specific]
    # a verb right after the object, often passive: "14 TTHC bị bãi bỏ", "24 thủ tục được công bố"
    lead = c.aux.match(after_obj)
    near = [a for p, a in right_acts if p <= lead.end()]
    if not near and c.passive.match(after_obj):
        # a passive with its agent: "3.104 phản ánh, kiến nghị đã được các bộ, ngành, địa phương xử lý",
        # also after a part of a total named before: "..., trong đó 95,4% đã được các bộ xử lý"
        stop = _stops(";.").search(after_obj)
        agent = _actions(c, obj, after_obj[:min(stop.start() if stop else len(after_obj), 90)])
        near = [a for _, a in agent[:1]]
    if not object_after and not near:
        spec = []  # a status further on belongs to another clause: "đạt 70% và tỷ lệ đúng hạn ..."
    left_acts = _actions(c, obj, left, ends=True)
    tight = len(c.verb_fillers.sub("", left.rstrip()).rstrip())  # "rà soát toàn bộ 445": still adjacent
    adjacent = [a for e, a in left_acts if tight - e <= 2 and not _PUNCT.search(left, e)]
    pick = spec[0] if spec else (adjacent[-1] if adjacent else (near[0] if near else None))
    if (pick == c.current_action and adjacent and near and near[0] != pick
            and not c.denominator_before.search(left)):  # "trong tổng số 1.251 thủ tục ... đã được niêm yết"
        pick = near[0]  # "với tổng số 312 thủ tục được công bố": the verb after the object says what happened
    if pick is None and left_acts:
        pick = left_acts[-1][1]
    if pick is None:
        long_acts = _actions(c, obj, right_long)
        if long_acts:
            pick = long_acts[0][1]
    if pick is None and obj in c.current_objects and c.current_total.search(left):
        pick = c.current_action  # "Hiện Kiên Giang có 1.893 thủ tục hành chính"
    if pick is None and prev_fig is not None and c.shared_verb.search(left):
        act = prev_fig["metric"].split(".")[1]  # "cắt giảm, đơn giản hóa 182 điều kiện kinh doanh và 96 TTHC"
        if act in c.act_of.get(obj, {}).values():
            pick = act
    if pick is None and prev_fig is not None and prev_fig["metric"].split(".")[0] == c.alias.get(obj, obj):
        return dict(metric=prev_fig["metric"], unit=unit, total=None)
    if pick is None:
        pick = c.default_action.get(obj)
    if pick is None or pick == "skip":
        return None
    metric = pick if "." in pick else f"{c.alias.get(obj, obj)}.{pick}"
    return dict(metric=metric, unit=unit, total=None)
