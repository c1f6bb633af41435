#!/usr/bin/env python3
"""Pages for the vlm tier's neural-recogniser tests, rendered from text written here (exact truth).

mixed-scripts.png   a 200 dpi page: an English heading and paragraph, then two Russian lines, then an
                    English closing line, so that one page holds text PP-OCR reads (Latin) and text
                    it does not (Cyrillic). Truth: mixed-scripts.txt, in reading order.

Usage: python3 Samples/make-neural-samples.py (writes next to this script; needs Pillow and the DejaVu fonts).
"""
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

HERE = Path(__file__).parent
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf"

LINES = [
    (BOLD, 46, "Quarterly Report on Field Offices"),
    (FONT, 34, "The northern office moved to a larger building in March"),
    (FONT, 34, "and its archive of scanned contracts was checked twice."),
    (FONT, 34, "Москва и Санкт-Петербург открыли новые отделения"),
    (FONT, 34, "в прошлом году, и их отчёты приходят каждую неделю."),
    (FONT, 34, "All figures below are in thousands of euros."),
]


def main():
    width, height = 1700, 900
    page = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(page)
    y = 120
    for path, size, text in LINES:
        draw.text((150, y), text, font=ImageFont.truetype(path, size), fill=0)
        y += int(size * 1.9)
    page.save(HERE / "mixed-scripts.png", dpi=(200, 200))
    (HERE / "mixed-scripts.txt").write_text("\n".join(text for _, _, text in LINES) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
