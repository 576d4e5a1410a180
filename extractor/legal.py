"""Legal references: ``Nghị định 61/2018/NĐ-CP`` → ref ``61/2018/NĐ-CP``, doc_type ``Nghị định``;
the Party's ``Nghị quyết số 57-NQ/TW`` keeps its written form, ``57-NQ/TW``."""
from __future__ import annotations

import functools

import regex

from . import patterns


@functools.lru_cache(maxsize=1)
def _conf():
    data = patterns.load("legal_refs")
    types = "|".join(regex.escape(t) for t in sorted(data["doc_types"], key=len, reverse=True))
    ref = (r"(?P<ref>\d+[a-z]?\s*(?:/|-(?=(?:19|20)\d{2}\s*/))\s*(?:(?:19|20)\d{2}\s*/\s*)?"
           r"[\p{Lu}Đ][\p{L}\d]*(?:\s*-\s*[\p{Lu}Đ][\p{L}\d]*)*)")
    # Party documents number their type before the issuer: "57-NQ/TW", "126-KL/TW", "05-CT/TU"
    party = r"(?P<party>\d+[a-z]?-(?P<code>[\p{Lu}Đ]{1,5})/[\p{Lu}Đ][\p{L}\d]*(?:-[\p{Lu}Đ][\p{L}\d]*)?)"
    rx = regex.compile(r"(?:(?P<type>" + types + r")\s+(?:số\s+)?)?(?:" + party + "|" + ref + r")(?![\p{L}\d/])")
    return data, rx


def _type_from_suffix(ref: str, data: dict) -> str | None:
    parts = ref.split("/")
    suffix = parts[-1]
    code = suffix.split("-")[0]
    if code in data["suffix_types"]:
        return data["suffix_types"][code]
    if "-" in suffix:
        return data["issuer_first_type"]
    return None


def find_legal_refs(text: str) -> list[dict]:
    """Every legal reference in ``text`` as a fact dict (without sentence)."""
    data, rx = _conf()
    out = []
    for m in rx.finditer(text):
        if m.group("party"):
            typ = m.group("type") if m.group("type") not in (None, *data["generic_words"]) else None
            typ = typ or data["suffix_types"].get(m.group("code"))
            if typ is None:
                continue
            start = m.start("type") if m.group("type") else m.start("party")
            out.append({"kind": "legal_ref", "ref": m.group("party"), "doc_type": typ,
                        "text": text[start:m.end()], "start": start, "end": m.end()})
            continue
        ref = regex.sub(r"\s+", "", m.group("ref"))
        ref = regex.sub(r"^(\d+[a-z]?)-((?:19|20)\d{2}/)", r"\1/\2", ref)  # "19-2017/NQ-CP" → "19/2017/NQ-CP"
        parts = ref.split("/")
        suffix = parts[-1]
        if not regex.search(r"\p{Lu}", suffix) or len(parts) < 2:
            continue
        if suffix.split("-")[0] in data.get("not_codes", []):
            continue
        if len(parts) == 2 and "-" not in suffix and not m.group("type"):
            continue  # "24/24", "3/QN" without a type word
        typ = m.group("type")
        if not typ or typ in data["generic_words"]:
            typ = _type_from_suffix(ref, data) or (typ.capitalize() if typ else None)
        start = m.start("type") if m.group("type") else m.start("ref")
        out.append({"kind": "legal_ref", "ref": ref, "doc_type": typ,
                    "text": text[start:m.end()], "start": start, "end": m.end()})
    return out
