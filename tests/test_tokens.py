"""Word offsets from underthesea stay aligned with the text they came from."""
from pathlib import Path

import pytest

from extractor import tokens

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
DEV = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "dev"


def test_multi_syllable_words_are_single_tokens():
    text = "Phó Thủ tướng Chính phủ Trần Lưu Quang yêu cầu giải quyết hồ sơ thủ tục hành chính đúng hạn."
    got = [t.text for t in tokens.words(text)]
    assert "hồ sơ" in got
    assert any(t in got for t in ("thủ tục", "thủ tục hành chính"))
    for t in tokens.words(text):
        assert text[t.start:t.end] == t.text


def test_offsets_into_a_span():
    text = "Mở đầu. Tỉnh tiếp nhận 860.246 hồ sơ, đạt 98,8% đúng hạn."
    start = text.index("Tỉnh")
    toks = tokens.words(text, start)
    assert toks[0].start == start
    assert all(text[t.start:t.end] == t.text for t in toks)
    assert any(t.text == "860.246" for t in toks)


def test_spacy_doc_keeps_the_text():
    text = "Năm 2023, tỉnh Bình Định đã cắt giảm 45 thủ tục hành chính."
    d = tokens.doc(text)
    assert d.text == text
    assert any(t.text == "thủ tục hành chính" or t.text == "thủ tục" for t in d)


@pytest.mark.parametrize("folder", [CORPUS, DEV], ids=["corpus", "dev"])
def test_every_token_of_every_article_is_aligned(folder):
    files = sorted(p for p in folder.glob("*") if p.suffix in (".txt", ".md"))
    if not files:
        pytest.skip(f"no articles in {folder}")
    for path in files:
        text = path.read_text(encoding="utf-8")
        for s, e in tokens.sentences(text)[:40]:
            for t in tokens.words(text, s, e):
                assert text[t.start:t.end] == t.text, (path.name, t)


def test_spacy_matcher_finds_names_as_single_words():
    text = "Tại hội nghị, Đại tá Vàng Văn Sử, Phó Giám đốc Công an tỉnh cho biết; ông Xồng Bá Dếnh phát biểu."
    names = tokens.name_words(text)
    got = [t.text for t in names]
    assert "Vàng Văn Sử" in got and "Xồng Bá Dếnh" in got
    assert all(text[t.start:t.end] == t.text for t in names)
    assert "Công an" not in got  # a capitalised body word pair is not a name
