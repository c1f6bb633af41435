"""Parses an hOCR file as XHTML with xml.etree (which fails on anything not well-formed) and prints JSON.

Usage: read_hocr.py FILE
Prints the meta tags, every id (to check they are unique), and the tree of ocr_page → ocr_carea →
ocr_par → ocr_line → ocrx_word with each element's title properties parsed as hOCR defines them.
"""
import json
import sys
import xml.etree.ElementTree as ET

XHTML = "{http://www.w3.org/1999/xhtml}"


def properties(element):
    """The title attribute: properties separated by ';', each a name then its values."""
    result = {}
    for item in element.get("title", "").split(";"):
        item = item.strip()
        if item:
            name, _, value = item.partition(" ")
            result[name] = value
    return result


def children(element, cls):
    return [child for child in element.iter() if child is not element and cls in child.get("class", "").split()]


root = ET.parse(sys.argv[1]).getroot()
head = root.find(XHTML + "head")
meta = {m.get("name"): m.get("content") for m in head.iter(XHTML + "meta") if m.get("name")}
ids = [element.get("id") for element in root.iter() if element.get("id")]

pages = []
for page in children(root, "ocr_page"):
    areas = []
    for area in children(page, "ocr_carea"):
        paragraphs = []
        for par in children(area, "ocr_par"):
            lines = []
            for line in children(par, "ocr_line"):
                words = [{"text": "".join(word.itertext()), "title": properties(word), "tag": word.tag}
                         for word in children(line, "ocrx_word")]
                lines.append({"title": properties(line), "text": "".join(line.itertext()), "words": words})
            paragraphs.append({"title": properties(par), "dir": par.get("dir"), "lines": lines})
        areas.append({"title": properties(area), "paragraphs": paragraphs})
    pages.append({"id": page.get("id"), "title": properties(page), "lang": page.get("lang"), "areas": areas})

json.dump({"root": root.tag, "lang": root.get("lang"), "meta": meta, "ids": ids, "pages": pages}, sys.stdout,
          ensure_ascii=False)
