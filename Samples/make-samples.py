#!/usr/bin/env python3
"""Makes the test fixtures in Samples/ from phototest.tif and from text written here.

Run once by a developer (needs Pillow and the DejaVu fonts); the outputs are committed, so the test
suite needs neither. Every generated file's ground truth is known exactly: it is the text below.
"""
import io
import zlib
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

HERE = Path(__file__).resolve().parent
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
MONO_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"
SANS_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
HOSTILE_TEXT = ["<img src=x onerror=alert(1)>", "Hostile text test page"]

LETTER_PAGES = [
    ["Invoice 2041 from Northwind Traders", "Delivery address: 12 Harbour Road, Bristol",
     "Total amount due: 1,250.00 EUR", "Payment within thirty days of receipt."],
    ["Minutes of the meeting held on Monday", "The committee approved the annual budget",
     "and agreed to review the contracts in June.", "The next meeting will be in the library."],
    ["Inventory of the reading room", "Forty chairs, twelve tables and six lamps",
     "were counted by the caretaker this morning.", "Nothing was missing from the shelves."],
]

BORN_DIGITAL_PAGES = [
    ["Quarterly report for the board", "Revenue grew by eight percent this quarter.",
     "Costs stayed within the approved budget."],
    ["Outlook for the coming year", "We expect steady demand in all regions.",
     "Hiring will continue at the current pace."],
]


def text_page(lines, width=1400, height=900, size=40):
    """A white page with the lines in black, as a 300 dpi scan of printed text would look."""
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, size)
    y = 80
    for line in lines:
        draw.text((80, y), line, font=font, fill=0)
        y += int(size * 1.8)
    return image


def write_truth(path, pages):
    path.write_text("\n\f\n".join("\n".join(lines) for lines in pages) + "\n", encoding="utf-8")


def pdf_bytes(objects):
    """Serialises numbered PDF objects (1-based; 1 must be the catalog) with a correct xref."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def stream(dictionary, data):
    return b"<< " + dictionary + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def escape(text):
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode("latin-1")


def born_digital_pdf(pages):
    """Letter-size pages with real text in Helvetica: a born-digital PDF with a clean text layer."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", None,
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"]
    kids = []
    for lines in pages:
        content = b"BT /F1 16 Tf 72 700 Td 22 TL\n" + b"".join(b"(" + escape(l) + b") Tj T*\n" for l in lines) + b"ET"
        objects.append(stream(b"", content))
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (len(objects)))
        kids.append(len(objects))
    objects[1] = b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % k for k in kids) + b"] /Count %d >>" % len(kids)
    return pdf_bytes(objects)


def scanned_pdf_with_text_layer(image, layer_text):
    """One page: a gray scan, and an invisible text layer (render mode 3) saying `layer_text`,
    as a scanner's broken OCR layer would."""
    width, height = image.size
    points_w, points_h = width * 72 / 300, height * 72 / 300
    pixels = zlib.compress(image.tobytes())
    content = b"q %.2f 0 0 %.2f 0 0 cm /Im1 Do Q\nBT 3 Tr /F1 14 Tf 20 %.2f Td (" % (points_w, points_h, points_h - 40) + escape(layer_text) + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] /Resources << /Font << /F1 4 0 R >> /XObject << /Im1 5 0 R >> >> /Contents 6 0 R >>" % (points_w, points_h),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        stream(b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode" % (width, height), pixels),
        stream(b"", content),
    ]
    return pdf_bytes(objects)


def main():
    photo = Image.open(HERE / "phototest.tif").convert("L")
    photo.save(HERE / "phototest.png")
    photo.save(HERE / "phototest.jpg", quality=92)
    photo.save(HERE / "phototest.webp", lossless=True)
    photo.save(HERE / "phototest.gif")
    photo.save(HERE / "phototest.bmp")
    photo.save(HERE / "phototest.pdf", resolution=100)  # phototest is about 100 dpi
    for degrees in (90, 180, 270):
        # Turned counter-clockwise by `degrees`: the engine must turn it back.
        photo.rotate(degrees, expand=True, fillcolor=255).save(HERE / f"phototest-rotated-{degrees}.png")

    # Poor scans for the vlm tier: a 60 dpi fax-like copy, and a page half in deep shadow.
    photo.resize((192, 144), Image.BILINEAR).save(HERE / "phototest-60dpi.png", dpi=(60, 60))
    import numpy as np
    from PIL import ImageFilter
    pixels = np.asarray(photo.filter(ImageFilter.GaussianBlur(1)), dtype=np.float32)
    rows, columns = np.mgrid[0:pixels.shape[0], 0:pixels.shape[1]]
    light = np.where(columns > pixels.shape[1] * 0.45, 0.35, 1.0) * (1 - 0.3 * rows / pixels.shape[0])
    Image.fromarray(np.clip(pixels * light, 0, 255).astype(np.uint8)).save(HERE / "phototest-shadow.png", dpi=(200, 200))

    letters = [text_page(lines) for lines in LETTER_PAGES]
    bilevel = [page.point(lambda v: 255 if v > 128 else 0, mode="1") for page in letters]
    bilevel[0].save(HERE / "letter-3pages.tif", save_all=True, append_images=bilevel[1:],
                    compression="group4", dpi=(300, 300))
    write_truth(HERE / "letter-3pages.txt", LETTER_PAGES)
    letters[0].save(HERE / "scanned-2pages.pdf", save_all=True, append_images=letters[1:2], resolution=300)
    write_truth(HERE / "scanned-2pages.txt", LETTER_PAGES[:2])

    # Ten scanned pages, for jobs that run in the background (more than five pages).
    ten = [[f"Page {n} of the ten page report"] + LETTER_PAGES[n % 3][1:] + LETTER_PAGES[(n + 1) % 3][1:] for n in range(1, 11)]
    scans = [text_page(lines, height=1300).point(lambda v: 255 if v > 128 else 0, mode="1") for lines in ten]
    scans[0].save(HERE / "report-10pages.pdf", save_all=True, append_images=scans[1:], resolution=300)
    write_truth(HERE / "report-10pages.txt", ten)

    (HERE / "born-digital-2pages.pdf").write_bytes(born_digital_pdf(BORN_DIGITAL_PAGES))
    write_truth(HERE / "born-digital-2pages.txt", BORN_DIGITAL_PAGES)

    # Russian in cp1251 read back as Latin-1: the mojibake of a font without a Unicode map.
    mojibake = "Привет, это пример текста без карты Юникода".encode("cp1251").decode("latin-1")
    (HERE / "broken-text-layer.pdf").write_bytes(scanned_pdf_with_text_layer(letters[2], mojibake))
    write_truth(HERE / "broken-text-layer.txt", LETTER_PAGES[2:3])

    # Markup as printed text, for the web page's test: it must show these characters, never run them.
    hostile = Image.new("L", (1104, 400), 255)
    draw = ImageDraw.Draw(hostile)
    draw.text((80, 80), HOSTILE_TEXT[0], font=ImageFont.truetype(MONO_FONT, 56), fill=0)
    draw.text((80, 220), HOSTILE_TEXT[1], font=ImageFont.truetype(SANS_FONT, 48), fill=0)
    hostile.save(HERE / "hostile-text.png", dpi=(300, 300), optimize=True)
    write_truth(HERE / "hostile-text.txt", [HOSTILE_TEXT])


if __name__ == "__main__":
    main()
