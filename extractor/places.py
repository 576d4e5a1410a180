"""Places and bodies: which province, ministry or nation a figure belongs to.

Province names come from underthesea's bundled address data (loaded once,
lazily); variants, ministries and outlet domains come from ``patterns/places.yaml``.
"""
from __future__ import annotations

import functools
import json
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import regex

from . import patterns

_rx = functools.lru_cache(maxsize=None)(regex.compile)  # compile each rule once
_NUMBER = regex.compile(r"\d+(?:[.,]\d+)*")  # one number mention, for counting a list

_CAP_WORD_BEFORE = regex.compile(r"(\p{Lu}[\p{Ll}\p{M}]*)\s+$")
_CAP_WORD_AFTER = regex.compile(r"\s+\p{Lu}[\p{Ll}\p{M}]*(?:\s|,|$)")
_NEXT_CAP = regex.compile(r"\s+(\p{Lu}[\p{Ll}\p{M}]*)")

VIETNAM = "Việt Nam"


@functools.lru_cache(maxsize=4096)
def fold(s: str) -> str:
    """Lower-case ASCII skeleton: ``Đắk Lắk`` → ``daklak`` (for domains and keys)."""
    s = s.replace("Đ", "D").replace("đ", "d")
    s = unicodedata.normalize("NFD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return regex.sub(r"[^a-z0-9]", "", s.lower())


@dataclass
class Mention:
    start: int
    end: int
    scope: str
    kind: str  # province | ministry | district | nation | average | venue | publisher | street | former


@functools.lru_cache(maxsize=1)
def _address_data() -> dict:
    import importlib.util

    # the file's place, without importing underthesea itself (a third of a second)
    spec = importlib.util.find_spec("underthesea")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("underthesea is not installed: its address data names the provinces")
    path = Path(next(iter(spec.submodule_search_locations))) / "address" / "data" / "mapping.json"
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


@functools.lru_cache(maxsize=1)
def provinces() -> dict[str, str]:
    """Every province spelling → its short name (pre-2025 and post-2025 provinces)."""
    data = _address_data()
    names: dict[str, str] = {}
    for table in ("old_province_names", "province_names"):
        for info in data[table].values():
            short = info["short"]
            names[short] = short
    conf = patterns.load("places")
    for canonical, variants in conf["aliases"].items():
        names[canonical] = canonical
        for v in variants:
            names[v] = canonical
    return names


@functools.lru_cache(maxsize=1)
def successors() -> dict[str, str]:
    """Pre-2025 province short name → the short name of the province it merged into."""
    data = _address_data()
    old, new = data["old_province_names"], data["province_names"]
    return {old[k]["short"]: new[v]["short"] for k, v in data["province_mapping"].items()
            if k in old and v in new}


@functools.lru_cache(maxsize=1)
def districts() -> dict[str, str]:
    """District-level unit name (without prefix) → province short name, where unambiguous."""
    data = _address_data()
    old = data["old_province_names"]
    prefixes = patterns.load("places")["district_prefixes"]
    strip = regex.compile(r"^(?:" + "|".join(regex.escape(p) for p in sorted(prefixes, key=len, reverse=True)) + r")\s*", regex.I)
    seen: dict[str, set] = {}
    exact: dict[str, set] = {}
    for rec in data["ward_mapping"]:
        full = rec.get("old_district") or ""
        bare = strip.sub("", full)
        if bare:
            prov_name = old.get(rec["old_province_key"], {}).get("short")
            for name in (bare, full):  # "Hoàng Mai"; "Quận Hoàng Mai" tells it apart
                seen.setdefault(fold(name), set()).add(prov_name)
                exact.setdefault(_exact(name), set()).add(prov_name)
    prov = {fold(k) for k in provinces()}
    # keyed by the folded spelling, so "Đắk Glong" finds the data's "Đăk Glong"
    out = {d: next(iter(p)) for d, p in seen.items() if len(p) == 1 and None not in p and d not in prov}
    # where folding merges two names ("Phú Mỹ" in Bà Rịa - Vũng Tàu, "Phù Mỹ" in Bình Định),
    # the spelling with its tone marks still tells them apart
    for e, p in exact.items():
        if len(p) == 1 and None not in p and fold(e) not in out and fold(e) not in prov:
            out[e] = next(iter(p))
    return out


def _exact(name: str) -> str:
    """A district name as written, lower-cased with single spaces (tone marks kept)."""
    return " ".join(name.lower().split())


def district_key(dist: dict[str, str], name: str) -> str | None:
    """The key of ``name`` in :func:`districts`: its folded spelling, else its exact one."""
    for k in (fold(name), _exact(name)):
        if k in dist:
            return k
    return None


_ROLES: dict = {}


@functools.lru_cache(maxsize=1)
def _matcher():
    conf = patterns.load("places")
    prov = provinces()
    surnames = set(patterns.load("officials")["surnames"])
    names = sorted(prov, key=len, reverse=True)
    prov_re = regex.compile(r"(?<![\p{L}\d.])(" + "|".join(regex.escape(n) for n in names) + r")(?![\p{L}\d])")
    ministries = list(conf["ministries"]) + list(conf.get("ministry_aliases", {}))
    # a capitalised word right after the name makes it part of a longer name ("Bộ Tài chính Hoa Kỳ"),
    # unless it opens a person's name ("Thứ trưởng Bộ Khoa học và Công nghệ Phùng Văn Khiêm")
    person = r"(?:" + "|".join(regex.escape(x) for x in sorted(surnames, key=len, reverse=True)) + r")\s+\p{Lu}"
    min_re = regex.compile(r"(?<!\p{L})(" + "|".join(regex.escape(m) for m in sorted(ministries, key=len, reverse=True))
                           + r")(?![\p{L}&])(?!\s*(?!" + person + r")[\p{Lu}])")
    short = {}
    for m in ministries:
        if m.startswith("Bộ "):
            short[m[4:]] = m
    minister_re = regex.compile(
        r"(?:" + "|".join(regex.escape(p) for p in conf["minister_prefix"]) + r")\s+("
        + "|".join(regex.escape(s) for s in sorted(short, key=len, reverse=True)) + r")(?!\p{L})")
    nat_re = regex.compile(r"(?<!\p{L})(" + "|".join(regex.escape(p) for p in conf["nationwide_sentence"]) + r")(?!\p{L})", regex.IGNORECASE)
    natart_re = regex.compile(r"(?<!\p{L})(" + "|".join(regex.escape(p) for p in conf["nationwide_article"]) + r")(?!\p{L})")
    dist = districts()
    dprefix = "|".join(regex.escape(p) for p in conf["district_prefixes"])
    dist_re = regex.compile(r"(?<!\p{L})(" + dprefix + r")\s*((?:\p{Lu}[\p{Ll}\p{M}]*\s?){1,4})")
    strong_re = regex.compile(r"(?<!\p{L})(" + "|".join(regex.escape(p) for p in sorted(conf["nationwide_strong"], key=len, reverse=True)) + r")(?!\p{L})")
    _ROLES.update(venue_before=regex.compile(conf["venue_before"]), venue_after=regex.compile(conf["venue_after"]),
                  venue_bridge=regex.compile(conf["venue_bridge"]), publisher=regex.compile(conf["publisher_before"]),
                  venue_event=regex.compile(conf["venue_event"]), not_province=regex.compile(conf["not_province_before"]),
                  former=regex.compile(conf["former_after"]),
                  publisher_after=regex.compile(conf["publisher_after"]),
                  portal=regex.compile(conf["portal_before"]),
                  body_after=regex.compile(r"\s+(?:" + "|".join(map(regex.escape, conf["body_after"])) + r")"),
                  strong=strong_re,
                  unit_before=regex.compile(r"(" + dprefix + r")\s*$"))  # "huyện" right before a province's name
    return prov_re, min_re, minister_re, short, nat_re, natart_re, surnames, dist_re, dist


def find_places(text: str, nationwide: bool = True) -> list[Mention]:
    """Province, ministry and nation-wide mentions in ``text``, in order."""
    prov_re, min_re, minister_re, short, nat_re, _, surnames, dist_re, dist = _matcher()
    prov = provinces()
    out: list[Mention] = []
    for m in prov_re.finditer(text):
        before = text[max(0, m.start() - 12):m.start()]
        prev = _CAP_WORD_BEFORE.search(before)
        if prev and prev.group(1) in surnames:
            continue  # part of a person's name: "Trương Hòa Bình"
        after = text[m.end():m.end() + 30]
        if _CAP_WORD_AFTER.match(after) and not _ROLES["body_after"].match(after):
            # "Hà Giang Sơn" looks like a longer name, unless a body follows
            nxt = _NEXT_CAP.match(after).group(1)
            if prev and nxt not in surnames:
                continue
        unit = _ROLES["unit_before"].search(text[max(0, m.start() - 12):m.start()])
        key = district_key(dist, unit.group(1) + " " + m.group(1)) if unit else None
        if key:
            # "huyện Hòa Bình" is a district of Bạc Liêu, not the province of Hòa Bình
            out.append(Mention(m.start(), m.end(), dist[key], "district"))
            continue
        out.append(Mention(m.start(), m.end(), prov[m.group(1)], "province"))
    aliases = patterns.load("places").get("ministry_aliases", {})
    for m in min_re.finditer(text):
        out.append(Mention(m.start(), m.end(), aliases.get(m.group(1), m.group(1)), "ministry"))
    for m in minister_re.finditer(text):
        out.append(Mention(m.start(), m.end(), short[m.group(1)], "ministry"))
    for m in dist_re.finditer(text):
        words = m.group(2).split()
        # the longest run of capitalised words that names a district ("Hòa An (Cao Bằng)" → "Hòa An"),
        # with its prefix first ("quận Hoàng Mai" is in Hà Nội, "thị xã Hoàng Mai" in Nghệ An)
        for k in range(len(words), 0, -1):
            name = " ".join(words[:k])
            key = district_key(dist, m.group(1) + " " + name) or district_key(dist, name)
            if key:
                if not any(o.start <= m.start(2) < o.end for o in out):
                    out.append(Mention(m.start(), m.end(), dist[key], "district"))
                break
    if nationwide:
        for m in nat_re.finditer(text):
            out.append(Mention(m.start(), m.end(), VIETNAM, "nation"))
        for m in _rx(patterns.load("places")["nationwide_subject"]).finditer(text):
            out.append(Mention(m.start(), m.end(), VIETNAM, "nation"))  # "Cổng Dịch vụ công quốc gia đã ..."
        not_avg = _rx(patterns.load("places")["not_average_before"])
        for m in _ROLES["strong"].finditer(text):
            if not not_avg.search(text[max(0, m.start() - 15):m.start()]) and not _rx(
                    patterns.load("places")["not_average_after"]).match(text, m.end()):
                out.append(Mention(m.start(), m.end(), VIETNAM, "average"))
    conf = patterns.load("places")
    for x in out:
        before = text[max(0, x.start - 20):x.start]
        if x.kind == "province" and _ROLES["not_province"].search(before):
            x.kind = "street"  # "phường Bình Phước"
        elif x.kind == "province" and _ROLES["former"].match(text[x.end:]):
            x.kind = "former"  # "Hà Giang cũ"
        elif x.kind in ("province", "district") and (
                (_ROLES["venue_before"].search(before) and _ROLES["venue_after"].match(text[x.end:])
                 and _rx(conf["venue_sentence"]).search(text))
                or _ROLES["venue_bridge"].search(before)
                or _ROLES["venue_event"].search(text[max(0, x.start - 60):x.start])):
            x.kind = "venue"
        elif x.kind == "ministry" and (_ROLES["publisher"].search(before)
                                       or _ROLES["publisher_after"].match(text[x.end:])
                                       or _rx(conf["issuer_before"]).search(text[max(0, x.start - 60):x.start])):
            x.kind = "publisher"
        elif x.kind == "province" and _rx(conf["merged_before"]).search(text[max(0, x.start - 80):x.start]):
            x.kind = "merged"  # "sau hợp nhất với Bình Dương và Bà Rịa - Vũng Tàu": owns nothing
        elif x.kind == "ministry" and _ROLES["portal"].search(text[max(0, x.start - 40):x.start]):
            x.kind = "portal"  # "Cổng dịch vụ công Bộ Công an"
    out.sort(key=lambda x: x.start)
    return out


#: Mentions that can own a figure.
OWNERS = ("province", "ministry", "district")
#: ... and, in the body, a former province ("Vĩnh Phúc cũ"): it owns what it reported before the
#: 2025 merger; the pipeline hands later figures to its successor.
FIGURE_OWNERS = OWNERS + ("former",)


def scope_from_url(url: str | None) -> str | None:
    """A province named by an outlet's domain or the URL's slug (``baoquangninh.vn``, ``/binh-thuan-dat-...``)."""
    if not url:
        return None
    conf = patterns.load("places")
    u = url.lower()
    host = regex.sub(r"^[a-z]+://", "", u).split("/")[0].split(":")[0]
    host = regex.sub(r"^(www|m|lite)\.", "", host)
    for dom, prov in conf["outlets"].items():
        if host == dom or host.endswith("." + dom):
            return prov
    keys = {}
    for name, short in provinces().items():
        k = fold(name)
        if len(k) >= 5:
            keys[k] = short
    for tok in regex.split(r"[.\-]", host):
        for k, short in keys.items():
            if tok == k or tok == "bao" + k or (tok.startswith(k) and regex.fullmatch(r"(\d+h?|tv|online|news)", tok[len(k):] or "x")):
                return short
    path = u.split("/", 3)[3] if u.count("/") >= 3 else ""
    words = regex.split(r"[^a-z0-9]+", path)
    joined = "-".join(words)
    best = None
    for name, short in provinces().items():
        slug = "-".join(regex.split(r"[^a-z0-9]+", _ascii(name).lower()))  # "binh-thuan"
        if len(slug) >= 5 and regex.search(r"(?:^|-)" + regex.escape(slug) + r"(?:-|$)", joined):
            if best is None or len(slug) > best[0]:
                best = (len(slug), short)
    return best[1] if best else None


def _ascii(s: str) -> str:
    s = s.replace("Đ", "D").replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))


def nationwide_article(text: str) -> bool:
    """Does ``text`` name a national body or the whole country (``Chính phủ``, ``quốc gia``)?"""
    return bool(_matcher()[5].search(text or ""))


_CAPS_RUN = regex.compile(r"(?<!\p{L})\p{Lu}{2,}(?:\s+\p{Lu}{2,})+(?!\p{L})")


def _uncap(text: str) -> str:
    """Site banners shout: "QUẬN HOÀNG MAI - THÀNH PHỐ HÀ NỘI" → "Quận Hoàng Mai - Thành Phố Hà Nội"."""
    return _CAPS_RUN.sub(lambda m: " ".join(w.capitalize() for w in m.group(0).split(" ")), text)


def article_scope(title: str | None, lead: str, source: str | None, body: str = "") -> str:
    """The place an article is about: its headline, then its outlet, then its lead; then, when
    nothing in them speaks for the nation, the province the body names most; else nation-wide."""
    _, _, _, _, _, natart_re, _, _, _ = _matcher()
    lead = _uncap(lead)
    for part in (title or "",):
        ms = [m for m in find_places(part, nationwide=False) if m.kind in OWNERS]
        if ms:
            return ms[0].scope
    by_url = scope_from_url(source)
    if by_url:
        return by_url
    if source and not regex.search(r"[/.]\w", source):  # an outlet's name: "Báo Kon Tum điện tử"
        name = source.title() if source.isupper() else source
        ms = [m for m in find_places(name, nationwide=False) if m.kind in OWNERS]
        if ms:
            return ms[0].scope
    if title and natart_re.search(title):
        return VIETNAM
    ms = [m for m in find_places(lead, nationwide=False) if m.kind in OWNERS]
    nat = natart_re.search(lead)
    if ms and (not nat or ms[0].start < nat.start()):
        return ms[0].scope
    if not nat and body:
        # "UBND tỉnh tổ chức hội nghị ..." and only later "Chỉ số CCHC của tỉnh Bến Tre"
        named = [m.scope for m in find_places(body, nationwide=False) if m.kind == "province"]
        if named and not natart_re.search(body[:len(lead) + 200]):
            counts = {p: named.count(p) for p in named}
            return max(counts, key=lambda p: (counts[p], -named.index(p)))
    return VIETNAM


def merged_on() -> str:
    """The day the 2025 province mergers took effect: a former province owns only what came before."""
    return str(patterns.load("places")["merged_on"])


def same_place(a: str | None, b: str | None) -> bool:
    """True when two scopes name one place (aliases and 2025 successors folded)."""
    if not a or not b:
        return False
    prov = provinces()
    a, b = prov.get(a, a), prov.get(b, b)
    if a == b:
        return True
    succ = successors()
    return succ.get(a, a) == succ.get(b, b)


@functools.lru_cache(maxsize=1)
def ministries() -> frozenset:
    """Central bodies that can own a figure (ministries and their peers)."""
    conf = patterns.load("places")
    return frozenset(conf["ministries"]) | frozenset(conf.get("ministry_aliases", {}).values())


def in_brackets(sentence: str, pos: int) -> bool:
    return sentence.count("(", 0, pos) > sentence.count(")", 0, pos)


class ScopeTracker:
    """Whose figure it is, read sentence by sentence through one article.

    The nearest owner (province, district, ministry) before a figure in its
    sentence, else one named earlier in the same paragraph, else the article's
    place (headline, outlet, lead). Venues, ranking publishers and bodies in
    brackets own nothing; a national average is nation-wide; ``thứ 3 là Hà Nội``
    names its place after the rank.
    """

    def __init__(self, default: str):
        self.default = default
        self.para: tuple[int, str] | None = None  # (paragraph, scope)
        self.para_former = False  # the paragraph's place is a former province
        self.former = False  # the last scope_for answer came from a former province
        self.sentence = ""
        self.mentions: list[Mention] = []
        self.in_turn: list = []  # "lần lượt" in the current sentence

    def read(self, sentence: str, paragraph: int) -> list[Mention]:
        if self.para and self.para[0] != paragraph:
            self.para = None
        self.sentence, self.paragraph = sentence, paragraph
        self.mentions = find_places(sentence)
        home = self._home()
        if home:  # "Chỉ số hài lòng ... của tỉnh đạt 80,37%": the province the text is about
            taken = [(m.start, m.end) for m in self.mentions]
            self.mentions += [Mention(m.start(), m.end(), home, "province")
                              for m in _rx(patterns.load("places")["home"]).finditer(sentence)
                              if not any(a < m.end() and m.start() < b for a, b in taken)]
            self.mentions.sort(key=lambda m: m.start)
        self.in_turn = list(_rx(patterns.load("places")["respectively"]).finditer(sentence))
        return self.mentions

    def scope_for(self, start: int, end: int, metric: str) -> str:
        """Whose figure at ``start``-``end`` of the current sentence is; :attr:`former` tells
        whether that came from a former province ("Vĩnh Phúc cũ")."""
        self.former = False
        sent = self.sentence
        if metric == "index.rank":
            m = _rx(patterns.load("places")["named_after_rank"]).match(sent[end:])
            if m:
                after = [x for x in self.mentions if x.start >= end and x.start - (end + m.end()) <= 2]
                if after:
                    return after[0].scope
        listed = self._respectively(start)
        if listed:
            return listed
        # a body in brackets is an attribution ("Cục Kiểm soát TTHC (Văn phòng Chính phủ)"),
        # unless the figure stands in the same brackets ("(Bộ Nội vụ: 58; Bộ Y tế: 25)")
        before = [m for m in self.mentions if m.end <= start and m.kind in FIGURE_OWNERS + ("nation", "average")
                  and (not in_brackets(sent, m.start) or ")" not in sent[m.end:start])]
        owners = [m for m in before if m.kind in FIGURE_OWNERS]
        if any(m.kind == "average" and (not owners or m.start > owners[-1].start) and self._average_holds(m, start)
               for m in before):
            return VIETNAM  # "Giá trị trung bình ... của các tỉnh là 84,16 điểm"
        if owners and self._source_yields(owners[-1], before):
            return VIETNAM  # "Theo Bộ Kế hoạch và Đầu tư, ... các bộ, ngành đã cắt giảm ..."
        if owners:
            before = owners  # "Đà Nẵng dẫn đầu cả nước": the place wins
        if before:
            self.former = before[-1].kind in ("former", "district")  # districts are named as before the merger
            return before[-1].scope
        if self.para:
            self.former = self.para_former
            return self.para[1]
        return self.default

    def _home(self) -> str | None:
        """The province an unnamed "của tỉnh", "toàn tỉnh" refers to: the paragraph's, else the article's."""
        for scope in ((self.para[1] if self.para and not self.para_former else None), self.default):
            if scope and scope != VIETNAM and scope not in ministries():
                return scope
        return None

    def _average_holds(self, avg: Mention, start: int) -> bool:
        """Does a national average named before a figure own it? Not past a semicolon, and after
        "cao hơn mức trung bình cả nước" only the value in brackets right after it
        ("(84,08%)"), not the place's own gap ("thấp hơn ... gần 3 điểm phần trăm")."""
        between = self.sentence[avg.end:start]
        if ";" in between:
            return False
        compared = _rx(patterns.load("places")["compared_before"]).search(self.sentence[max(0, avg.start - 25):avg.start])
        # "(84,08%)", "là 79,8%", ": 79,8%": the average's own value, right after it
        if not compared:
            return True
        if between.rstrip().endswith("(") and len(between) < 70 and not _rx(r"[\d,;]").search(between):
            return True  # "cao hơn mức bình quân của các địa phương trên cả nước (95,6%)"
        return bool(_rx(r"\s*(?:\(|là\s|:)").match(between)) and not _rx(r"\d").search(
            between, 0, max(0, len(between.rstrip()) - 12))

    def _source_yields(self, owner: Mention, mentions: list[Mention]) -> bool:
        """Is ``owner`` only the source ("Theo Bộ ..., ") of a nation-wide subject named after it?"""
        return any(m.kind == "nation" and m.start > owner.end for m in mentions) and bool(
            _rx(patterns.load("places")["source_before"]).search(self.sentence[max(0, owner.start - 30):owner.start]))

    def _respectively(self, start: int) -> str | None:
        """"Bộ Tư pháp, Bộ Tài chính và Ngân hàng Nhà nước lần lượt là 90,14%, 89,87% và 89,02%":
        the k-th number after "lần lượt" belongs to the k-th owner listed before it."""
        sent = self.sentence
        clause = sent.rfind(";", 0, start) + 1
        before = [m for m in self.in_turn if clause <= m.start() and m.end() <= start]
        m = before[-1] if before else None
        if m is None or ";" in sent[m.end():start]:
            return None
        owners = [x for x in self.mentions if clause <= x.start and x.end <= m.start() and x.kind in FIGURE_OWNERS]
        if len(owners) < 2:
            return None
        k = len(_NUMBER.findall(sent, m.end(), start))
        return owners[k].scope if k < len(owners) else None

    def place_for(self, pos: int) -> str | None:
        """The place that resolves an organisation such as ``UBND tỉnh`` at ``pos``."""
        near = [m for m in self.mentions if m.kind in ("province", "district", "venue")]
        if near:
            return min(near, key=lambda m: abs(m.start - pos)).scope
        if self.para:
            return self.para[1]
        if self.default != VIETNAM and self.default not in ministries():
            return self.default
        return None

    def close(self, first_figure: int | None = None) -> None:
        owners = [m for m in self.mentions if m.kind in FIGURE_OWNERS and not in_brackets(self.sentence, m.start)]
        lead = max(30, first_figure or 0)
        if owners and self._source_yields(owners[-1], self.mentions):
            self.para, self.para_former = (self.paragraph, VIETNAM), False
        elif owners:
            self.para, self.para_former = (self.paragraph, owners[-1].scope), owners[-1].kind in ("former", "district")
        elif any(m.kind in ("nation", "average") and m.start < lead for m in self.mentions):
            self.para = (self.paragraph, VIETNAM)  # a paragraph opening "Trên phạm vi cả nước, ..."
