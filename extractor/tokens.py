"""Vietnamese words with character offsets: the one module that imports underthesea.

``words(text)`` segments a span with underthesea's ``word_tokenize`` and aligns
every word back to the original string, so ``text[t.start:t.end] == t.text``
always holds (spaCy's ``get_words_and_spaces`` does the same for its own
segmenters). ``doc(text)`` builds a spaCy ``Doc`` from those words and spaces,
and ``match(text)`` runs the spaCy Matcher rules of ``patterns/tokens.yaml``
over it, so rules see real Vietnamese words (``hồ sơ``, ``thủ tục``,
``Phó Thủ tướng`` as single tokens). Only the sentences a rule
needs should be tokenised: segmentation is the slowest step of the pipeline.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int


def words(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Words of ``text[start:end]`` with offsets into ``text``."""
    from underthesea import word_tokenize

    end = len(text) if end is None else end
    span = text[start:end]
    out: list[Token] = []
    pos = 0
    for w in word_tokenize(span):
        parts = w.split()
        if not parts:
            continue
        i = span.find(parts[0], pos)
        if i < 0:
            continue  # underthesea normalised something away: skip rather than misalign
        j = i
        ok = True
        for p in parts:
            k = span.find(p, j)
            if k < 0 or span[j:k].strip():
                ok = False
                break
            j = k + len(p)
        if not ok:
            j = i + len(parts[0])
        out.append(Token(span[i:j], start + i, start + j))
        pos = j
    return out


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans of ``text`` from underthesea's sentence splitter, aligned to offsets."""
    from underthesea import sent_tokenize

    out, pos = [], 0
    for s in sent_tokenize(text):
        s = s.strip()
        if not s:
            continue
        i = text.find(s, pos)
        if i < 0:
            continue
        out.append((i, i + len(s)))
        pos = i + len(s)
    return out


@functools.lru_cache(maxsize=1)
def _vocab():
    from spacy.vocab import Vocab

    return Vocab()


def doc(text: str, start: int = 0, end: int | None = None):
    """A spaCy ``Doc`` of the words of ``text[start:end]`` (token.idx is relative to ``start``)."""
    from spacy.tokens import Doc

    toks = words(text, start, end)
    stop = len(text) if end is None else end
    spaces = [(toks[i + 1].start if i + 1 < len(toks) else stop) > t.end for i, t in enumerate(toks)]
    return Doc(_vocab(), words=[t.text for t in toks], spaces=spaces)


def _syllables(token) -> int:
    return len(token.text.split())


def _title_case(token) -> bool:
    """Every syllable capitalised, the rest lower case: how a person's name is written."""
    return all(x[:1].isupper() and x[1:].islower() for x in token.text.split() if x)


@functools.lru_cache(maxsize=1)
def _matcher():
    """One spaCy Matcher holding every rule of ``patterns/tokens.yaml``, labelled by its key."""
    from spacy.matcher import Matcher
    from spacy.tokens import Token as SpacyToken

    from . import patterns

    for name, getter in (("syllables", _syllables), ("title_case", _title_case)):
        if not SpacyToken.has_extension(name):
            SpacyToken.set_extension(name, getter=getter)
    matcher = Matcher(_vocab())
    for label, rules in patterns.load("tokens")["matchers"].items():
        matcher.add(label, rules)
    return matcher


def match(text: str, start: int = 0, end: int | None = None) -> list[tuple[str, Token]]:
    """(label, span) for every match of the token rules in ``text[start:end]``, offsets into ``text``."""
    d = doc(text, start, end)
    out = []
    for label_id, s, e in _matcher()(d):
        span = d[s:e]
        a = start + span.start_char
        out.append((_vocab().strings[label_id], Token(span.text, a, a + len(span.text))))
    return out


def name_words(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Words of ``text[start:end]`` that look like a person's name (the NAME rule of
    ``patterns/tokens.yaml``): ``Trần Lưu Quang``, ``Vàng Văn Sử``, with offsets into ``text``."""
    return [t for label, t in match(text, start, end) if label == "NAME"]
