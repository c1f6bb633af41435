"""Parses an ALTO file with xml.etree and prints its layout as JSON.

Usage: read_alto.py FILE
Prints the root's namespace, the measurement unit, and each Page with its PrintSpace, TextBlocks,
TextLines and, per line, the String and SP children in document order with their attributes.
"""
import json
import sys
import xml.etree.ElementTree as ET

ALTO = "{http://www.loc.gov/standards/alto/ns-v4#}"


def attributes(element):
    return dict(element.attrib)


root = ET.parse(sys.argv[1]).getroot()
unit = root.find(f"{ALTO}Description/{ALTO}MeasurementUnit")
software = root.find(f"{ALTO}Description/{ALTO}Processing/{ALTO}processingSoftware/{ALTO}softwareName")
pages = []
for page in root.iter(ALTO + "Page"):
    spaces = page.findall(ALTO + "PrintSpace")
    blocks = []
    for block in page.iter(ALTO + "TextBlock"):
        lines = []
        for line in block.findall(ALTO + "TextLine"):
            items = [{"kind": child.tag.removeprefix(ALTO), **attributes(child)} for child in line]
            lines.append({"attributes": attributes(line), "items": items})
        blocks.append({"attributes": attributes(block), "lines": lines})
    pages.append({
        "attributes": attributes(page),
        "print_spaces": [attributes(space) for space in spaces],
        "blocks": blocks,
    })

json.dump({
    "root": root.tag,
    "unit": unit.text if unit is not None else None,
    "software": software.text if software is not None else None,
    "pages": pages,
}, sys.stdout, ensure_ascii=False)
