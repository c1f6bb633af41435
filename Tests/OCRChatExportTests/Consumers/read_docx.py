"""Opens a .docx with python-docx, as a program reading Word files would, and prints JSON.

Usage: read_docx.py FILE
Prints the package's part names (zipfile, with every CRC checked), the paragraphs (text as
python-docx reads it, page breaks, right-to-left marks, each run's w:lang), the style names and core properties.
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
        "num_id": next((int(n.get(qn("w:val"))) for n in element.xpath("./w:pPr/w:numPr/w:numId")), None),
        # The w:lang of each run that has text (python-docx leaves it to the XML).
        "run_languages": [r.rPr.find(qn("w:lang")).get(qn("w:val")) if r.rPr is not None and r.rPr.find(qn("w:lang")) is not None
                          else None for r in runs if r.findall(qn("w:t"))],
    })

# Where each numbered list starts, from word/numbering.xml as python-docx loads it (numId -> start).
starts = {}
try:
    numbering = document.part.numbering_part.element
    for num in numbering.findall(qn("w:num")):
        override = num.find(".//" + qn("w:startOverride"))
        starts[num.get(qn("w:numId"))] = int(override.get(qn("w:val"))) if override is not None else 1
except (KeyError, NotImplementedError):
    pass

core = document.core_properties
json.dump({
    "parts": parts,
    "corrupt_member": corrupt,
    "paragraphs": paragraphs,
    "list_starts": starts,
    "styles": sorted(style.name for style in document.styles),
    "creator": core.author,
    "description": core.comments,
    "language": core.language,
}, sys.stdout, ensure_ascii=False)
