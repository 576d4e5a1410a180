"""Synthetic Vietnamese reform articles for benchmarks (not for evaluation).

Each article is a plain-text file with a ``Key: value`` header and a body of
2–6 KB built from paragraph templates filled with random provinces, numbers,
dates and officials. The same ``seed`` gives the same folder.

    python benchmarks/generate.py OUT_DIR [N] [--seed S]
"""
from __future__ import annotations

import argparse
import random
from pathlib import Path

PROVINCES = ["Bình Định", "Quảng Ninh", "Hà Tĩnh", "Thanh Hóa", "Đắk Lắk", "Hải Dương", "Nghệ An",
             "Cần Thơ", "Đà Nẵng", "Hà Nội", "Hồ Chí Minh", "Lào Cai", "Bắc Ninh", "Khánh Hòa",
             "Long An", "Sơn La", "Quảng Nam", "Thái Bình", "Kiên Giang", "Phú Thọ"]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Quốc", "Ngọc"]
GIVEN = ["Hà", "Bình", "Hùng", "Lan", "Tuấn", "Dũng", "Hải", "Phong", "Quang", "Thủy", "Sơn", "Long"]
TITLES = ["Phó Chủ tịch UBND tỉnh", "Chủ tịch UBND tỉnh", "Giám đốc Sở Nội vụ",
          "Phó Chủ tịch Thường trực UBND tỉnh", "Chánh Văn phòng UBND tỉnh"]
DECREES = ["61/2018/NĐ-CP", "107/2021/NĐ-CP", "45/2020/NĐ-CP", "468/QĐ-TTg", "76/NQ-CP", "30c/NQ-CP"]
PERIODS = ["Năm {y}", "6 tháng đầu năm {y}", "Quý I/{y}", "9 tháng năm {y}", "Từ đầu năm {y} đến nay",
           "Trong tháng {m}/{y}"]

PARAGRAPHS = [
    "{period}, tỉnh {p} tiếp nhận {n1} hồ sơ thủ tục hành chính, đã giải quyết {n2} hồ sơ, "
    "trong đó giải quyết đúng hạn đạt {pct}%. Số hồ sơ trễ hạn là {small}, giảm so với cùng kỳ.",
    "Theo báo cáo của Sở Nội vụ {p}, toàn tỉnh đã công bố {n3} thủ tục hành chính, trong đó "
    "{small} thủ tục mới ban hành, {small2} thủ tục sửa đổi, bổ sung và {small3} thủ tục bị bãi bỏ.",
    "Tỉnh {p} hiện cung cấp {n3} dịch vụ công trực tuyến, trong đó {small} dịch vụ công toàn trình "
    "và {small2} dịch vụ công một phần; tỷ lệ hồ sơ nộp trực tuyến đạt {pct2}%.",
    "Sáng {d}/{m}, UBND tỉnh {p} tổ chức hội nghị sơ kết công tác cải cách hành chính. "
    "Ông {name}, {title}, chủ trì hội nghị và yêu cầu các sở, ngành thực hiện nghiêm Nghị định {decree}.",
    "Chỉ số cải cách hành chính (PAR INDEX) năm {y1} của {p} đạt {score} điểm, xếp thứ {rank}/63 tỉnh, "
    "thành phố; Chỉ số hài lòng của người dân (SIPAS) đạt {pct}%.",
    "Trong kỳ, các cơ quan đã tiếp nhận {small} phản ánh, kiến nghị của người dân và doanh nghiệp, "
    "đã xử lý {small2} phản ánh, kiến nghị. Tổ công tác hoàn thành {done}/{total} nhiệm vụ được giao.",
    "Bà {name}, {title}, cho biết tỉnh phấn đấu trước ngày {d}/{m}/{y} hoàn thành số hóa {pct2}% "
    "kết quả giải quyết thủ tục hành chính, theo Quyết định {decree} của Thủ tướng Chính phủ.",
    "Việc thanh toán trực tuyến được đẩy mạnh với {n1} giao dịch thanh toán không dùng tiền mặt; "
    "đến nay {p} đã rà soát {small} văn bản quy phạm pháp luật và đề nghị sửa đổi {small2} văn bản.",
]


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _fill(template: str, rng: random.Random, province: str, year: int) -> str:
    return template.format(
        period=rng.choice(PERIODS).format(y=year, m=rng.randint(1, 12)), p=province,
        n1=_thousands(rng.randint(1_000, 900_000)), n2=_thousands(rng.randint(1_000, 800_000)),
        n3=_thousands(rng.randint(200, 2_500)), small=rng.randint(3, 400),
        small2=rng.randint(3, 300), small3=rng.randint(1, 90),
        pct=f"{rng.randint(80, 99)},{rng.randint(0, 9)}", pct2=f"{rng.randint(20, 95)},{rng.randint(0, 99)}",
        d=rng.randint(1, 28), m=rng.randint(1, 12), y=year, y1=year - 1,
        name=f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}",
        title=rng.choice(TITLES), decree=rng.choice(DECREES),
        score=f"{rng.randint(80, 93)},{rng.randint(10, 99)}", rank=rng.randint(1, 63),
        done=(done := rng.randint(5, 20)), total=done + rng.randint(0, 8))


def article(i: int, rng: random.Random) -> str:
    """One article (header + body), its body 2–6 KB of UTF-8."""
    province = rng.choice(PROVINCES)
    year = rng.randint(2019, 2024)
    published = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    header = (f"Title: {province} đẩy mạnh cải cách thủ tục hành chính (bài {i})\n"
              f"Published: {published}\nURL: https://example.gov.vn/{i}\n\n")
    target = rng.randint(2_000, 6_000)
    paragraphs: list[str] = []
    size = 0
    while size < target:
        paragraph = _fill(rng.choice(PARAGRAPHS), rng, province, year)
        paragraphs.append(paragraph)
        size += len(paragraph.encode("utf-8")) + 2
    return header + "\n\n".join(paragraphs) + "\n"


def generate(out: str | Path, n: int = 5000, seed: int = 0) -> Path:
    """Write ``n`` articles as ``OUT/NNNNN.txt`` (100 per sub-folder); returns the folder."""
    out = Path(out)
    rng = random.Random(seed)
    for i in range(n):
        folder = out / f"{i // 100:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{i:05d}.txt").write_text(article(i, rng), encoding="utf-8")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out")
    parser.add_argument("n", type=int, nargs="?", default=5000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    generate(args.out, args.n, args.seed)
    print(f"wrote {args.n} articles to {args.out}")


if __name__ == "__main__":
    main()
