#!/usr/bin/env python3
"""Writes stale-ocr-layer.pdf beside this script, the input of `--mode redo`'s tests: four pages
whose text says which reading of them is right. Uses make-samples.py's PDF writer; run once, the
output is committed.

1. phototest as a JPEG with an invisible text layer (render mode 3) in the page's own content, the
   way Tesseract's PDF renderer writes one, that says something else: an earlier, wrong OCR.
2. a born-digital page of visible Helvetica text: redo keeps it.
3. phototest again, its wrong invisible text in a Form XObject drawn by the page, the way OCRmyPDF
   grafts its layer.
4. phototest with the wrong invisible text and a visible caption after it that relies on the font
   the invisible text object set: the old layer goes, the caption must still print.
"""
import importlib.util
import io
from pathlib import Path

from PIL import Image

HERE = Path(__file__).resolve().parent
spec = importlib.util.spec_from_file_location("make_samples", HERE / "make-samples.py")
samples = importlib.util.module_from_spec(spec)
spec.loader.exec_module(samples)

STALE = b"(Stale words from an older reading that never matched this scan) Tj"


def main():
    jpeg = io.BytesIO()
    Image.open(HERE / "phototest.png").convert("L").save(jpeg, "JPEG", quality=85)
    width, height = 640 * 72 / 150, 480 * 72 / 150  # 150 dpi: 307.2 x 230.4 pt
    size = b"%.2f %.2f" % (width, height)
    draw_image = b"q %.2f 0 0 %.2f 0 0 cm /Im0 Do Q\n" % (width, height)
    # 1 catalog, 2 pages, 3 font, 4 image, 5 form, 6-9 contents, 10-13 pages.
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [10 0 R 11 0 R 12 0 R 13 0 R] /Count 4 >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        samples.stream(b"/Type /XObject /Subtype /Image /Width 640 /Height 480 /ColorSpace /DeviceGray "
                       b"/BitsPerComponent 8 /Filter /DCTDecode", jpeg.getvalue()),
        samples.stream(b"/Type /XObject /Subtype /Form /BBox [0 0 " + size + b"] /Resources << /Font << /F1 3 0 R >> >>",
                       b"BT /F1 9 Tf 3 Tr 20 150 Td " + STALE + b" ET\n"),
        samples.stream(b"", draw_image + b"BT 3 Tr /F1 9 Tf 20 150 Td " + STALE + b" ET\n"),
        samples.stream(b"", b"BT /F1 14 Tf 30 150 Td (Visible born-digital text stays as it is) Tj "
                            b"0 -20 Td (on a page that redo leaves alone.) Tj ET\n"),
        samples.stream(b"", draw_image + b"q /Fm0 Do Q\n"),
        samples.stream(b"", draw_image + b"BT /F1 9 Tf 3 Tr 20 150 Td " + STALE + b" ET\n"
                            b"BT 0 Tr 20 8 Td (Printed caption in the font set before it) Tj ET\n"),
    ]
    resources = b"/Resources << /Font << /F1 3 0 R >> /XObject << /Im0 4 0 R /Fm0 5 0 R >> >>"
    for contents in range(6, 10):
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 " + size + b"] " + resources
                       + b" /Contents %d 0 R >>" % contents)
    target = HERE / "stale-ocr-layer.pdf"
    target.write_bytes(samples.pdf_bytes(objects))
    print(target)


if __name__ == "__main__":
    main()
