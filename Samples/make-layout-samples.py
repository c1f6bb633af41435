#!/usr/bin/env python3
"""Makes the layout fixtures: pages with a known structure, rendered as 200 dpi scans.

Run once by a developer (needs Pillow and the DejaVu fonts); the outputs are committed, so the tests
need neither. Each page `layout-*.png` comes with `layout-*.json`, what was drawn on it:

  headings     [{"text", "level"}]  in reading order
  order        the text of every paragraph, heading and list item in reading order
  list_items   the items' text, without the bullet
  tables       [{"rows": [[cell, …], …], "merged": [{"row", "column", "row_span", "column_span"}]}]

Light noise (specks) and a small skew make them look scanned; the seed is fixed.
"""
import json
import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

HERE = Path(__file__).resolve().parent
FONTS = Path("/usr/share/fonts/truetype/dejavu")
WIDTH, HEIGHT = 1700, 2200  # US Letter at 200 dpi

SENTENCES = [
    "The harbour town grew slowly along the river during the eighteenth century.",
    "Merchants built warehouses near the water and traded timber, wool and grain.",
    "Each spring the floods reached the lower streets and the market moved uphill.",
    "A new bridge opened in 1791 and the old ferry service was closed soon after.",
    "Schools and a library followed, paid for by a tax on goods landed at the quay.",
    "By the end of the century the population had doubled to nearly six thousand.",
    "Visitors described the town as busy, crowded and remarkably clean for its size.",
    "The railway arrived late, and with it came the first hotels and summer houses.",
    "Fishing remained important, although the catch declined after the great storm.",
    "Today the warehouses hold galleries, small workshops and a maritime museum.",
    "Local volunteers keep the archive open three days a week throughout the year.",
    "Old maps show how the shoreline moved as land was reclaimed from the marsh.",
    "The church tower served as a landmark for ships approaching the narrow channel.",
    "Records of the customs house list every cargo that passed through the port.",
    "Families often rented rooms to sailors waiting for their ships to be repaired.",
    "A great fire in 1843 destroyed most of the wooden houses near the harbour.",
    "The council rebuilt the centre in brick and widened the main street by half.",
    "Gas lamps were installed along the quay and the market square in that decade.",
]


def font(size, bold=False, serif=True):
    name = ("DejaVuSerif" if serif else "DejaVuSans") + ("-Bold" if bold else "") + ".ttf"
    return ImageFont.truetype(str(FONTS / name), size)


def wrap(text, typeface, width):
    lines, current = [], ""
    for word in text.split():
        candidate = (current + " " + word).strip()
        if typeface.getlength(candidate) <= width:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines


class Page:
    def __init__(self):
        self.image = Image.new("L", (WIDTH, HEIGHT), 255)
        self.draw = ImageDraw.Draw(self.image)

    def text_block(self, text, x, y, width, typeface, leading=1.45, indent=""):
        for line in wrap(text, typeface, width):
            self.draw.text((x, y), indent + line, font=typeface, fill=0)
            y += int(typeface.size * leading)
        return y

    def scanned(self, path, skew, seed):
        rng = random.Random(seed)
        turned = self.image.rotate(skew, resample=Image.BICUBIC, fillcolor=255)
        binary = turned.point(lambda value: 0 if value < 150 else 255).convert("1")
        pixels = binary.load()
        for _ in range(WIDTH * HEIGHT // 4000):  # light specks
            pixels[rng.randrange(WIDTH), rng.randrange(HEIGHT)] = 0
        binary.save(path, dpi=(200, 200), optimize=True)


def columns_page(name, count, sentences_per_paragraph, skew, seed):
    page = Page()
    body = font(27)
    truth = {"headings": [], "order": [], "list_items": [], "tables": []}
    title = "Notes on a Harbour Town" if count == 2 else "Three Short Columns on Old Ports"
    page.draw.text((120, 130), title, font=font(60, bold=True), fill=0)
    truth["headings"].append({"text": title, "level": 1})
    truth["order"].append(title)
    gutter = 70
    column_width = (WIDTH - 240 - gutter * (count - 1)) // count
    sentences = iter(SENTENCES * 2)
    for column in range(count):
        x = 120 + column * (column_width + gutter)
        y = 300
        paragraphs = 3 if count == 2 else 2
        for number in range(paragraphs):
            if count == 2 and column == 1 and number == 1:
                heading = "2 Trade and Travel"
                page.draw.text((x, y), heading, font=font(38, bold=True), fill=0)
                truth["headings"].append({"text": heading, "level": 2})
                truth["order"].append(heading)
                y += 75
                for item in ["Timber from the northern forests", "Wool sold at the autumn fair",
                             "Grain shipped to the capital"]:
                    page.draw.text((x + 10, y), "\u2022", font=body, fill=0)
                    page.draw.text((x + 50, y), item, font=body, fill=0)
                    truth["list_items"].append(item)
                    truth["order"].append(item)
                    y += int(27 * 1.45)
                y += 30
            text = " ".join(next(sentences) for _ in range(sentences_per_paragraph))
            y = page.text_block(text, x, y, column_width, body)
            truth["order"].append(text)
            y += 30
    page.scanned(HERE / f"{name}.png", skew, seed)
    (HERE / f"{name}.json").write_text(json.dumps(truth, indent=1, ensure_ascii=False) + "\n")


def table_page(name, ruled, skew, seed):
    page = Page()
    body = font(28, serif=False)
    truth = {"headings": [], "order": [], "list_items": [], "tables": []}
    title = "Harbour Traffic by Quarter" if ruled else "Cargo Landed at the Quay"
    page.draw.text((140, 140), title, font=font(50, bold=True), fill=0)
    truth["headings"].append({"text": title, "level": 1})
    truth["order"].append(title)
    intro = SENTENCES[0] + " " + SENTENCES[1]
    y = page.text_block(intro, 140, 260, WIDTH - 280, font(27))
    truth["order"].append(intro)
    if ruled:
        rows = [["Vessel", "Quarterly calls", "", "Tonnage"],
                ["", "Spring", "Autumn", ""],
                ["Schooner", "42", "38", "1,250"],
                ["Brig", "17", "21", "2,480"],
                ["Steamer", "9", "14", "6,300"],
                ["Ferry", "120", "96", "410"]]
        merged = [{"row": 0, "column": 0, "row_span": 2, "column_span": 1},
                  {"row": 0, "column": 1, "row_span": 1, "column_span": 2},
                  {"row": 0, "column": 3, "row_span": 2, "column_span": 1}]
        widths = [380, 300, 300, 300]
        x0, top, row_height = 140, y + 80, 80
        edges = [x0]
        for width in widths:
            edges.append(edges[-1] + width)
        bottom = top + row_height * len(rows)
        line = {"fill": 0, "width": 3}
        # Outer border, then the inner lines with gaps where cells are merged.
        page.draw.rectangle((edges[0], top, edges[-1], bottom), outline=0, width=3)
        for r in range(1, len(rows)):
            yy = top + r * row_height
            for c in range(len(widths)):
                covered = any(m["row"] <= r - 1 and r < m["row"] + m["row_span"]
                              and m["column"] <= c < m["column"] + m["column_span"] for m in merged)
                if not covered:
                    page.draw.line((edges[c], yy, edges[c + 1], yy), **line)
        for c in range(1, len(widths)):
            xx = edges[c]
            for r in range(len(rows)):
                covered = any(m["column"] <= c - 1 and c < m["column"] + m["column_span"]
                              and m["row"] <= r < m["row"] + m["row_span"] for m in merged)
                if not covered:
                    page.draw.line((xx, top + r * row_height, xx, top + (r + 1) * row_height), **line)
        for r, row in enumerate(rows):
            for c, cell in enumerate(row):
                if cell:
                    page.draw.text((edges[c] + 20, top + r * row_height + 22), cell, font=body, fill=0)
        truth["tables"].append({"rows": rows, "merged": merged})
        y = bottom + 80
    else:
        rows = [["Cargo", "Tons", "Ships", "Value"],
                ["Timber", "1,840", "23", "12,400"],
                ["Wool", "620", "11", "8,950"],
                ["Grain", "3,210", "37", "15,700"],
                ["Coal", "5,400", "44", "9,800"],
                ["Salt", "310", "6", "1,150"]]
        lefts = [140, 620, 960, 1300]
        top = y + 80
        for r, row in enumerate(rows):
            for c, cell in enumerate(row):
                typeface = font(28, bold=(r == 0), serif=False)
                page.draw.text((lefts[c], top + r * 62), cell, font=typeface, fill=0)
        truth["tables"].append({"rows": rows, "merged": []})
        y = top + len(rows) * 62 + 60
    outro = SENTENCES[2] + " " + SENTENCES[3]
    page.text_block(outro, 140, y, WIDTH - 280, font(27))
    truth["order"].append(outro)
    page.scanned(HERE / f"{name}.png", skew, seed)
    (HERE / f"{name}.json").write_text(json.dumps(truth, indent=1, ensure_ascii=False) + "\n")


def main():
    columns_page("layout-crooked-columns", 2, 3, skew=-3.0, seed=6)
    columns_page("layout-two-columns", 2, 3, skew=0.4, seed=1)
    columns_page("layout-three-columns", 3, 2, skew=-0.3, seed=2)
    table_page("layout-ruled-table", ruled=True, skew=0.3, seed=3)
    table_page("layout-borderless-table", ruled=False, skew=-0.25, seed=4)


if __name__ == "__main__":
    main()
