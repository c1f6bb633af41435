"""Opens a .docx with python-docx, as a program reading Word files would, and prints JSON.

Usage: read_docx.py FILE
Prints the package's part names (zipfile, with every CRC checked), the paragraphs (text as
python-docx reads it, page breaks, right-to-left marks), the style names and core properties.
"""
import json
import sys
import zipfile

import docx
from docx.oxml.ns import qn

path = sys.argv[1]
with zipfile.ZipFile(path) as package:
    parts = package.namelist()
    corrupt = package.testzip()

document = docx.Document(path)
paragraphs = []
for paragraph in document.paragraphs:
    element = paragraph._p
    properties = element.pPr
    runs = element.findall(qn("w:r"))
    paragraphs.append({
        "text": paragraph.text,
        "style": paragraph.style.name,
        "page_breaks": len(element.xpath('.//w:br[@w:type="page"]')),
        "bidi": properties is not None and properties.find(qn("w:bidi")) is not None,
        "rtl_runs": sum(1 for r in runs if r.rPr is not None and r.rPr.find(qn("w:rtl")) is not None),
        "text_runs": sum(1 for r in runs if r.findall(qn("w:t"))),
    })

core = document.core_properties
json.dump({
    "parts": parts,
    "corrupt_member": corrupt,
    "paragraphs": paragraphs,
    "styles": sorted(style.name for style in document.styles),
    "creator": core.author,
    "description": core.comments,
}, sys.stdout, ensure_ascii=False)
