"""Officials: a named person with a public post, in either order, one fact per person.

Posts, organisation words, honorifics, ranks and family names come from
``patterns/officials.yaml``.
"""
from __future__ import annotations

import functools
import unicodedata

import regex

from . import patterns

_rx = functools.lru_cache(maxsize=None)(regex.compile)  # compile each rule once

_CAP_WORD_BEFORE = regex.compile(r"(\p{Lu}[\p{Ll}\p{M}]*)\s+$")

SYL_BODY = r"\p{Lu}[\p{Ll}\p{M}]*(?!\p{L})"  # a capitalised syllable


def _alt(words):
    return "|".join(regex.escape(w) for w in sorted(words, key=len, reverse=True))


@functools.lru_cache(maxsize=1)
def _conf():
    d = patterns.load("officials")
    marked = "(?:" + _alt(d["syllable_prefixes"]) + ")"
    SYL = marked + "?" + SYL_BODY  # "Lưu", and "H'Bla", "H’Yên" (Ê Đê and Jrai women's names)
    posts = "(?i:" + _alt(d["posts"]) + ")"
    org_heads = _alt(d["org_heads"])
    org_words = _alt(d["org_words"])
    surnames = _alt(d["surnames"])
    # an organisation: a head word then capitalised words or allowed lower-case words
    from .places import provinces
    place = _alt(provinces())
    not_surname = r"(?!(?:" + surnames + r")(?!\p{L}))"
    # each word is read one way only (atomic group): several readings of a long
    # capitalised run ("Nội Vụ" as an organisation word or two syllables) backtrack exponentially
    # a place's own name after its unit word may start like a family name: "huyện Sơn Động"
    unit_word = r"(?<=(?<!\p{L})(?:" + _alt(d["district_units"]) + r")\s)"
    def titles(word: str) -> str:
        """Posts with their organisations, a capitalised organisation word being ``word``."""
        org = (r"(?:(?:" + org_heads + r")(?:\s+(?>" + place + r"|(?i:" + org_words + r")|" + word
               + r"|" + unit_word + SYL + r"|(?<=(?:" + _alt(d["numbered_units"]) + r")\s)\d{1,2}(?!\d)"
               + r"|[A-ZĐ]{2,}|-|,(?=\s+(?:" + SYL + r")\s+(?:và|" + SYL + r"))))*)")
        # a post that ends in a unit ("Trưởng Ban", "Trưởng phòng") takes the unit's name without a head
        # word: "Trưởng Ban Thu BHXH Việt Nam", "Phó Trưởng Ban Tổ chức Trung ương"
        unit_tail = (r"(?<=(?:" + _alt(d["unit_post_ends"]) + r"))(?:\s+(?>" + place + r"|(?i:" + org_words + r")|"
                     + word + r"|[A-ZĐ]{2,}))+")
        post_org = r"(?:" + posts + r")(?:\s+" + org + r"|" + unit_tail + r")?"
        return post_org + r"(?:\s*,\s*" + post_org + r")*"

    # before a name, an organisation stops at a family name; after one it need not ("UBND huyện Lạc Dương")
    title = titles(not_surname + SYL)
    title_after = titles(SYL)
    alone = "(?:" + _alt(d["one_word_prefixes"]) + ")"  # K'Ho names may be one word: "K'Bình"
    name = (r"(?P<name>(?:" + surnames + "|" + marked + SYL_BODY + r")(?:\s+" + SYL + r"){1,3}|"
            + alone + SYL_BODY + r"(?:\s+" + SYL + r"){0,3})")
    pre = r"(?:(?:" + _alt(d["prefixes"]) + r")\s+)?(?:(?:" + _alt(d["ranks"]) + r")\s+)?"
    # a body in brackets may stand between a title and its name: "Vụ trưởng Vụ Cải cách hành chính (Bộ Nội vụ) Đỗ Minh Hiếu"
    aside = r"(?:\s*\([^()]{2,50}\))?"
    a = regex.compile(r"(?<!\p{L})" + pre + r"(?P<title>" + title + r")" + aside + r"\s+" + name + r"(?!\s*" + SYL + r")")
    b = regex.compile(r"(?<!\p{L})" + pre + name + r"\s*(?:,|-|–|\()\s*(?:(?:" + _alt(d["ranks"]) + r")\s+)?(?P<title>" + title_after + r")")
    post_re = regex.compile(r"(?:" + posts + r")")
    # the same two orders with any 2-4 capitalised syllables as the name: accepted only
    # where underthesea's word segmentation reads those syllables as one word (a name)
    any_name = r"(?P<name>" + SYL + r"(?:\s+" + SYL + r"){1,3})"
    a2 = regex.compile(r"(?<!\p{L})" + pre + r"(?P<title>" + title + r")" + aside + r"\s+" + any_name + r"(?!\s*" + SYL + r")")
    b2 = regex.compile(r"(?<!\p{L})" + pre + any_name + r"\s*(?:,|-|–|\()\s*(?:(?:" + _alt(d["ranks"]) + r")\s+)?(?P<title>" + title_after + r")")
    return d, a, b, post_re, (a2, b2)




@functools.lru_cache(maxsize=1)
def _post_keys() -> tuple:
    """The last two syllables of every post ("chủ tịch", "giám đốc", "trưởng ban"), for a quick
    substring test before the post pattern."""
    return tuple(sorted({" ".join(p.lower().split()[-2:]) for p in patterns.load("officials")["posts"]}))


@functools.lru_cache(maxsize=1)
def _any_post() -> regex.Pattern:
    """Any post, matched in lower-cased text (a case-sensitive search is much faster than ``(?i)``):
    a sentence without one has no official."""
    return regex.compile(_alt(sorted({p.lower() for p in patterns.load("officials")["posts"]})))


def fold_name(name: str) -> str:
    """Case, spacing and tone-mark placement folded: ``Thuỷ`` = ``Thủy``."""
    s = unicodedata.normalize("NFD", name.lower())
    base = "".join(ch for ch in s if not unicodedata.combining(ch) or ch in "\u0306\u0302\u031b")
    tones = sorted(ch for ch in s if unicodedata.combining(ch) and ch not in "\u0306\u0302\u031b")
    return " ".join(base.split()) + "|" + "".join(tones)


def _trim_title(title: str, d: dict) -> str:
    title = title.strip(" ,-–")
    # a trailing capitalised word run that is a place is fine; strip dangling "của"
    title = _rx(r"\s+(?:của|và)$").sub("", title)
    return title


def role_of(title: str, d: dict) -> str:
    """The head of the title: the first government post in preference order, with its organisation word."""
    parts = [p.strip() for p in _rx(r"\s*,\s*").split(title) if p.strip()]
    best = None
    for pref in d["role_preference"]:
        for p in parts:
            if p == pref or p.startswith(pref + " "):
                best = p
                break
        if best:
            break
    best = best or parts[0]
    post_re = _conf()[3]
    m = post_re.match(best)
    if not m:
        return best
    post = m.group(0)
    if post in d["role_keeps_org"]:
        org = best[m.end():].strip().split()
        keep = []
        for w in org:
            if keep and w[:1].isupper() and w not in d["role_body_words"]:
                break
            keep.append(w)
            if len(keep) >= 3:
                break
        return " ".join([post] + keep)
    return post


def organization_of(title: str, place: str | None) -> str | None:
    """The body named in the title, with the place resolved (``UBND tỉnh`` → ``UBND tỉnh Đắk Lắk``)."""
    d, _, _, post_re, _ = _conf()
    parts = [p.strip() for p in _rx(r"\s*,\s*").split(title) if p.strip()]
    for p in reversed(parts):
        m = post_re.match(p)
        org = p[m.end():].strip() if m else ""
        if org:
            if place and _rx(d["org_needs_place"]).search(org):
                org = f"{org} {place}"
            elif place and _rx(d["org_in_province"]).match(org) and place not in org:
                org = f"{org} {d['org_province_word']} {place}"
            return org
    return None


@functools.lru_cache(maxsize=1)
def _vocabulary() -> frozenset:
    d = patterns.load("officials")
    words = set(d["name_openers"])
    for key in ("prefixes", "ranks", "posts", "org_heads"):
        for phrase in d[key]:
            words.update(phrase.split())
    return frozenset(words)


def _known_word(word: str, d: dict) -> bool:
    """A capitalised word that may stand right before a name: an honorific, a rank or a post word."""
    return word in _vocabulary()


_CAP_RUN = regex.compile(r"(?<!\p{L})(\p{Lu}[\p{Ll}\p{M}]*)(?:\s+\p{Lu}[\p{Ll}\p{M}]*){1,3}(?!\p{L})")


def _unlisted_name_run(text: str, d: dict) -> bool:
    """Is there a capitalised run that could be a name with a family name we do not list?

    The generic name patterns are slow; most sentences have none.
    """
    surnames = _surname_set()
    for m in _CAP_RUN.finditer(text):
        first = m.group(1)
        run = m.group(0)
        listed = first in surnames and bool(_listed_surname().match(run))
        if not listed and not _known_word(first, d):
            return True
    return False


@functools.lru_cache(maxsize=1)
def _listed_surname() -> regex.Pattern:
    return regex.compile(r"(?:" + _alt(patterns.load("officials")["surnames"]) + r")(?!\p{L})")


@functools.lru_cache(maxsize=1)
def _surname_set() -> frozenset:
    return frozenset(w.split()[0] for w in patterns.load("officials")["surnames"])


def _segment(text: str):
    """Name-like words of the sentence (underthesea's segmentation, matched with spaCy)."""
    from .tokens import name_words

    return name_words(text)


def _known_phrase(phrase: str, d: dict) -> bool:
    """Is every word of ``phrase`` a word of the post and organisation vocabulary?"""
    return all(_known_word(w, d) for w in phrase.split())


def find_officials(text: str) -> list[dict]:
    """Every official mention in ``text``: name, title, role, organisation (place unresolved), offsets."""
    from .places import districts, fold, provinces

    d, a, b, post_re, (a2, b2) = _conf()
    low = text.lower()
    if not any(k in low for k in _post_keys()) or not _any_post().search(low):
        return []  # no post word, no official: skip the long patterns
    prov, dist = provinces(), districts()
    words = None  # underthesea's words of this sentence, segmented only when a candidate needs them
    out = []
    taken: list[tuple[int, int]] = []
    # family-name candidates first, then any capitalised run that the segmenter reads as one word
    cands = sorted((m for rx in (b, a) for m in rx.finditer(text)),
                   key=lambda m: (m.start(), -(m.end() - m.start())))
    n_surname = len(cands)
    if _unlisted_name_run(text, d):
        cands += sorted((m for rx in (b2, a2) for m in rx.finditer(text)),
                        key=lambda m: (m.start(), -(m.end() - m.start())))
    for i, m in enumerate(cands):
        s, e = m.span()
        if any(x < e and s < y for x, y in taken):
            continue
        ns, ne = m.span("name")
        if i >= n_surname:
            # a name without a known family name must be exactly one segmented word,
            # and not the words of a post or a body ("Bộ trưởng Bộ Công Thương")
            if _known_phrase(text[ns:ne], d):
                continue
            words = words if words is not None else _segment(text)
            word = next((w for w in words if w.start <= ns < w.end), None)
            if word is None or (word.start, word.end) != (ns, ne):
                continue
        else:
            prev = _CAP_WORD_BEFORE.search(text[max(0, ns - 15):ns])
            if prev and not _known_word(prev.group(1), d):
                # the name may run on to the left: "Vàng Văn Sử", not "Văn Sử"
                words = words if words is not None else _segment(text)
                word = next((w for w in words if w.start <= ns < w.end), None)
                if word is not None and word.start < ns and word.end >= ne and word.text[:1].isupper():
                    ns = word.start
                    if any(x < e and ns < y for x, y in taken):
                        continue
        name = text[ns:ne].strip()
        title = _trim_title(m.group("title"), d)
        one_word = name.startswith(tuple(d["one_word_prefixes"]))  # "K'Bình"
        if (len(name.split()) < 2 and not one_word) or name in prov or fold(name) in dist or name in d["not_names"]:
            continue
        if _rx(d["private_after"]).match(text, m.end("title")):
            continue  # a company's director: no public position
        if ns < m.start("title") and _rx(d["place_before_name"]).search(text, max(0, ns - 15), ns):
            continue  # "xã Tâm Thắng, Chủ tịch UBND xã": a place, not a person
        s = min(s, ns)
        taken.append((s, e))
        out.append({"kind": "official", "name": name, "title": title,
                    "role": role_of(title, d), "organization": None,
                    "text": text[s:e], "start": s, "end": e})
    out.sort(key=lambda f: f["start"])
    return out
