#!/usr/bin/env python3
"""Makes the chat fixtures in Samples/: an invoice laid out as a form (labels on the left, values in
a column on the right, as real invoices print them) and a four-page service agreement with known
facts on known pages. Run once by a developer (needs Pillow and the DejaVu fonts); the outputs are
committed. Their ground truth is exactly the text below.
"""
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

HERE = Path(__file__).resolve().parent
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"

# (left text, right text): a right text is printed in the value column, on the same row.
INVOICE = [
    ("INVOICE", None),
    ("Northwind Traders Ltd", None),
    ("12 Harbour Road, Bristol BS1 4DJ", None),
    ("Phone: +44 117 496 0321", None),
    ("", None),
    ("Invoice number:", "INV-2041"),
    ("Invoice date:", "14 March 2026"),
    ("Due date:", "13 April 2026"),
    ("Bill to:", "Contoso Pharmacy"),
    ("Customer ID:", "C-7730"),
    ("", None),
    ("Printer paper A4, 12 boxes", "$96.00"),
    ("Toner cartridges, 3 units", "$254.85"),
    ("Delivery", "$35.00"),
    ("", None),
    ("Subtotal", "$385.85"),
    ("VAT 20%", "$77.17"),
    ("Total", "$463.02"),
    ("", None),
    ("Payment within 30 days by bank transfer.", None),
    ("IBAN: GB29 NWBK 6016 1331 9268 19", None),
]

CONTRACT = [
    ["SERVICE AGREEMENT",
     "This Service Agreement is made on 2 January 2026",
     "between Fabrikam Logistics GmbH (the Client)",
     "and Tailspin Software Ltd (the Provider).",
     "",
     "The Provider will maintain the warehouse software",
     "of the Client and answer support requests within",
     "four business hours on working days."],
    ["Fees and payment",
     "The Client shall pay a monthly fee of EUR 4,800.00,",
     "invoiced on the first day of each month.",
     "",
     "Late payments carry interest of 1.5 percent a month.",
     "Travel to the site of the Client is billed separately."],
    ["Term and termination",
     "This Agreement starts on 1 February 2026 and ends",
     "on 31 January 2028.",
     "",
     "Either party may terminate it with ninety days",
     "written notice to the other party."],
    ["Governing law",
     "This Agreement is governed by the laws of Germany.",
     "Disputes go to the courts of Hamburg.",
     "",
     "Signed for the Client by Anna Becker, Managing Director.",
     "Signed for the Provider by David Okafor, Chief Executive."],
]


def bilevel(image):
    return image.point(lambda v: 255 if v > 128 else 0, mode="1")


def invoice_page():
    image = Image.new("L", (1700, 1600), 255)
    draw = ImageDraw.Draw(image)
    font, bold = ImageFont.truetype(FONT, 34), ImageFont.truetype(BOLD, 34)
    y = 100
    for left, right in INVOICE:
        if left:
            draw.text((120, y), left, font=bold if left in ("INVOICE", "Total") else font, fill=0)
        if right:
            draw.text((1150, y), right, font=font, fill=0)
        y += 60
    return image


def text_page(lines, width=1700, height=1400, size=38):
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, size)
    y = 120
    for line in lines:
        draw.text((120, y), line, font=font, fill=0)
        y += int(size * 1.7)
    return image


def main():
    bilevel(invoice_page()).save(HERE / "invoice-form.tif", compression="group4", dpi=(200, 200))
    (HERE / "invoice-form.txt").write_text(
        "\n".join(" ".join(t for t in row if t) for row in INVOICE if row[0]) + "\n", encoding="utf-8")
    pages = [bilevel(text_page(lines)) for lines in CONTRACT]
    pages[0].save(HERE / "contract-4pages.tif", save_all=True, append_images=pages[1:],
                  compression="group4", dpi=(200, 200))
    (HERE / "contract-4pages.txt").write_text(
        "\n\f\n".join("\n".join(l for l in lines if l) for lines in CONTRACT) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
