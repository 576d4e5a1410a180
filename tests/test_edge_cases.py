"""Edge cases found in review: bad dates in URLs, verbatim repeats, adversarial sentences."""
import time

from extractor.officials import find_officials
from extractor.pipeline import extract


def test_impossible_date_in_url_is_not_a_publication_date():
    # "/2024/13/05/" and "/2024/02/30/" used to crash the period arithmetic
    for url in ("https://bao.vn/2024/13/05/a.html", "https://bao.vn/2024/02/30/a.html"):
        facts = extract("Năm 2024, tỉnh tiếp nhận 1.000 hồ sơ. Trong tháng, tỉnh tiếp nhận 20 hồ sơ.", source=url)
        assert [f["value"] for f in facts if f["kind"] == "figure"] == [1000, 20]


def test_a_sentence_repeated_word_for_word_is_one_fact():
    line = "Tỉnh Nam Định tiếp nhận 1.000 hồ sơ."
    facts = extract(f"{line}\n{line}\n{line}", published="2024-05-01")
    assert len([f for f in facts if f["kind"] == "figure"]) == 1


def test_long_capitalised_run_after_a_post_is_fast():
    # "Nội Vụ" reads as an organisation word or as two syllables: 2^n ways without an atomic group (20 words took 10 s)
    text = "Giám đốc Sở " + " ".join(["Nội Vụ"] * 20) + " nói"
    find_officials("Chủ tịch UBND tỉnh Nguyễn Văn An")  # load the rules outside the timing
    t0 = time.perf_counter()
    assert find_officials(text) == []
    assert time.perf_counter() - t0 < 2


def test_every_fact_text_matches_its_offsets_on_adversarial_input():
    texts = [
        " ".join(["Nguyễn", "Văn", "Hà", "Nội", "Bộ", "Sở", "Quảng", "Ninh"] * 80) + ".",
        ", ".join(str(i * 37) for i in range(500)) + " hồ sơ.",
        "." * 10000,
        "",
        "khoảng 1,5-2 triệu hồ sơ được giải quyết.",
    ]
    for text in texts:
        for f in extract(text, published="2024-05-01"):
            assert text[f["start"]:f["end"]] == f["text"]


def test_published_is_normalised_or_refused():
    import pytest

    from extractor.pipeline import extract, normalise_published

    assert normalise_published("2024-5-3") == "2024-05-03"
    assert normalise_published("31/07/2024") == "2024-07-31"
    assert normalise_published("2019-02") == "2019-02"
    assert normalise_published("") is None
    facts = extract("Sáng 8/5, tỉnh tiếp nhận 1.200 hồ sơ.", published="2024-5-10")
    assert any(f["kind"] == "date" and f["date"] == "2024-05-08" for f in facts)
    with pytest.raises(ValueError, match="published"):
        extract("Tỉnh tiếp nhận 1.200 hồ sơ.", published="hôm qua")


def test_two_indexes_with_the_same_rank_are_two_facts_but_a_repeat_is_one():
    from extractor.pipeline import extract

    text = ("Chỉ số CCHC năm 2019 của tỉnh đạt hạng 3/13 tỉnh khu vực. "
            "Chỉ số hài lòng SIPAS năm 2019 của tỉnh cũng đạt hạng 3/13 tỉnh khu vực. "
            "Như vậy, Chỉ số CCHC của tỉnh giữ hạng 3/13 tỉnh khu vực.")
    ranks = [f for f in extract(text, published="2020-05-19") if f["kind"] == "figure" and f["metric"] == "index.rank"]
    assert len(ranks) == 2


def test_scaled_values_are_exact_numbers():
    """"4,1 triệu" is stored as 4100000, not as 4099999.9999999995: claims and the digest print it."""
    from extractor.numbers import find_numbers

    values = [n.value for n in find_numbers("tiếp nhận 4,1 triệu hồ sơ, 2,3 triệu tờ khai và 0,7 nghìn phản ánh")]
    assert values == [4100000, 2300000, 700]
