"""Checks a release's Atom feed with a real feed reader's parser (feedparser) and against the
elements RFC 4287 requires. Prints the number of entries; exit 0 when every check passes,
otherwise every failure is printed.

    python check_feed.py FEED_XML
"""

import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser

ATOM = "{http://www.w3.org/2005/Atom}"


def required(element: ET.Element, names: list[str], where: str) -> list[str]:
    return [f"{where}: no atom:{name}" for name in names if element.find(ATOM + name) is None]


def main(path: Path) -> int:
    failures = []
    parsed = feedparser.parse(path.read_bytes())
    if parsed.bozo:
        failures.append(f"feedparser: bozo ({parsed.bozo_exception})")
    if parsed.version != "atom10":
        failures.append(f"feedparser reads it as {parsed.version!r}, not Atom 1.0")
    root = ET.parse(path).getroot()
    if root.tag != ATOM + "feed":
        failures.append(f"the root element is {root.tag}, not atom:feed")
    failures += required(root, ["id", "title", "updated", "author"], "feed")
    entries = root.findall(ATOM + "entry")
    for number, entry in enumerate(entries, start=1):
        failures += required(entry, ["id", "title", "updated", "summary"], f"entry {number}")
    if len(entries) != len(parsed.entries):
        failures.append(f"{len(entries)} atom:entry elements, feedparser read {len(parsed.entries)}")
    ids = [entry.find(ATOM + "id").text for entry in entries if entry.find(ATOM + "id") is not None]
    if len(set(ids)) != len(ids):
        failures.append("two entries share an atom:id")
    print(f"entries: {len(parsed.entries)}")
    for entry in parsed.entries:
        print(f"entry: {entry.title} | {entry.summary}")
    for failure in failures:
        print(f"FAIL {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
