#!/usr/bin/env python3
"""Makes born-digital-columns.pdf: one Letter page of real Helvetica text, a title in large type over
two columns, whose content stream draws the lines across the page row by row (left line, right line,
…), as some PDF producers do; born-digital-columns.txt is the text in reading order (the title, the
left column, then the right one). Uses make-samples.py's PDF writer; run once, the outputs are committed.
"""
import importlib.util
from pathlib import Path

HERE = Path(__file__).resolve().parent
spec = importlib.util.spec_from_file_location("make_samples", HERE / "make-samples.py")
samples = importlib.util.module_from_spec(spec)
spec.loader.exec_module(samples)

TITLE = "Annual Review of the Harbour Trust"
LEFT = [f"The left column tells of the harbour in line number {n}." for n in range(1, 9)]
RIGHT = [f"The right column goes on about the trade in line {n}." for n in range(1, 9)]


def main():
    content = b"BT /F1 26 Tf 72 700 Td (" + samples.escape(TITLE) + b") Tj ET\n"
    for row, (left, right) in enumerate(zip(LEFT, RIGHT)):
        y = 640 - row * 16
        for x, text in ((72, left), (318, right)):
            content += b"BT /F1 10 Tf %d %d Td (" % (x, y) + samples.escape(text) + b") Tj ET\n"
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [5 0 R] /Count 1 >>",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
               samples.stream(b"", content),
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>"]
    (HERE / "born-digital-columns.pdf").write_bytes(samples.pdf_bytes(objects))
    (HERE / "born-digital-columns.txt").write_text("\n".join([TITLE] + LEFT + RIGHT) + "\n")


if __name__ == "__main__":
    main()
