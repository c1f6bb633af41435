#!/usr/bin/env python3
"""Writes stale-ocr-layer.pdf beside this script, the input of `--mode redo`'s tests: four pages whose text
says which reading of them is right.

1. phototest as a JPEG with an invisible text layer (render mode 3) in the page's own content, the
   way Tesseract's PDF renderer writes one, that says something else: an earlier, wrong OCR.
2. a born-digital page of visible Helvetica text: redo keeps it.
3. phototest again, its wrong invisible text in a Form XObject drawn by the page, the way OCRmyPDF
   grafts its layer.
4. phototest with the wrong invisible text and a visible caption after it that relies on the font
   the invisible text object set: the old layer goes, the caption must still print.
"""
import io
import sys
from pathlib import Path

from PIL import Image

here = Path(__file__).resolve().parent
image = Image.open(here / "phototest.png").convert("L")
jpeg = io.BytesIO()
image.save(jpeg, "JPEG", quality=85)
jpeg = jpeg.getvalue()
width, height = 640 * 72 / 300 * 2, 480 * 72 / 300 * 2  # 150 dpi: 307 x 230 pt

STALE = "(Stale words from an older reading that never matched this scan) Tj"
objects = []


def add(body):
    objects.append(body)
    return len(objects)


font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
picture = add(b"<< /Type /XObject /Subtype /Image /Width 640 /Height 480 /ColorSpace /DeviceGray "
              b"/BitsPerComponent 8 /Filter /DCTDecode /Length %d >>\nstream\n" % len(jpeg) + jpeg + b"\nendstream")


def stream(content, extra=b""):
    data = content.encode("latin-1")
    return b"<< %s/Length %d >>\nstream\n" % (extra, len(data)) + data + b"\nendstream"


image_draw = f"q {width:.2f} 0 0 {height:.2f} 0 0 cm /Im0 Do Q\n"
page_one = add(stream(image_draw + f"BT 3 Tr /F1 9 Tf 20 150 Td {STALE} ET\n"))
page_two = add(stream("BT /F1 14 Tf 30 150 Td (Visible born-digital text stays as it is) Tj "
                      "0 -20 Td (on a page that redo leaves alone.) Tj ET\n"))
form = add(stream(f"BT /F1 9 Tf 3 Tr 20 150 Td {STALE} ET\n",
                  b"/Type /XObject /Subtype /Form /BBox [0 0 %.2f %.2f] /Resources << /Font << /F1 %d 0 R >> >> "
                  % (width, height, font)))
page_three = add(stream(image_draw + "q /Fm0 Do Q\n"))
page_four = add(stream(image_draw + f"BT /F1 9 Tf 3 Tr 20 150 Td {STALE} ET\n"
                       "BT 0 Tr 20 8 Td (Printed caption in the font set before it) Tj ET\n"))
resources = f"/Resources << /Font << /F1 {font} 0 R >> /XObject << /Im0 {picture} 0 R /Fm0 {form} 0 R >> >>"
pages_id = len(objects) + 5
kids = []
for content in (page_one, page_two, page_three, page_four):
    kids.append(add(f"<< /Type /Page /Parent {pages_id} 0 R /MediaBox [0 0 {width:.2f} {height:.2f}] "
                    f"{resources} /Contents {content} 0 R >>".encode()))
pages = add(f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count 4 >>".encode())
assert pages == pages_id
catalog = add(f"<< /Type /Catalog /Pages {pages} 0 R >>".encode())

out = io.BytesIO()
out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
offsets = []
for number, body in enumerate(objects, 1):
    offsets.append(out.tell())
    out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
xref = out.tell()
out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
for offset in offsets:
    out.write(b"%010d 00000 n \n" % offset)
out.write(b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, catalog, xref))
target = Path(sys.argv[1]) if len(sys.argv) > 1 else here / "stale-ocr-layer.pdf"
target.write_bytes(out.getvalue())
print(target, len(out.getvalue()), "bytes")
