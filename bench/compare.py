"""Checks that indicator tables agree: datavalley's indicatori.csv and the peers' outputs.

    python bench/compare.py REFERENCE.csv OTHER.csv [OTHER.csv ...]

Each OTHER table is compared with the first on the key (territory, indicator, period): the
same set of keys, and the same value, numerator, denominator, province_value and
region_value. Two numbers agree when |a - b| <= 1e-9 * max(1, |a|, |b|): an absolute
tolerance of 1e-9 up to 1 and a relative one of 1e-9 above (sums of amounts in euro are in
the billions, where floating-point summation order shows in the last digits). An empty cell
agrees only with an empty cell. Extra columns (datavalley's labels, units, sources) are
ignored. Files ending in .parquet are read with pyarrow; CSV with the standard library.

Prints a summary per table and the first differences; exits 0 when every table agrees with
the first, 1 otherwise, 2 when a file cannot be read.
"""

import csv
import math
import sys
from pathlib import Path

KEY = ("territory", "indicator", "period")
NUMBERS = ("value", "numerator", "denominator", "province_value", "region_value")
TOLERANCE = 1e-9
SHOWN = 10


def number(text):
    if text is None:
        return None
    if isinstance(text, (int, float)):
        return None if isinstance(text, float) and math.isnan(text) else float(text)
    text = text.strip()
    if text == "" or text.lower() in ("nan", "null", "none"):
        return None
    return float(text)


def read_rows(path: Path):
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        return pq.read_table(path).to_pylist()
    with path.open(newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file))


def load(path: Path):
    """The table as {key: {column: number or None}}; duplicate keys are an error."""
    rows = read_rows(path)
    if rows:
        missing = [c for c in KEY + NUMBERS if c not in rows[0]]
        if missing:
            raise ValueError(f"{path}: missing columns {', '.join(missing)}")
    table = {}
    for row in rows:
        key = tuple(str(row[c]).strip() for c in KEY)
        if key in table:
            raise ValueError(f"{path}: key {key} appears twice")
        table[key] = {c: number(row[c]) for c in NUMBERS}
    return table


def agree(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= TOLERANCE * max(1.0, abs(a), abs(b))


def compare(reference, other):
    """Keys only in the reference, keys only in the other, and differing cells."""
    only_reference = sorted(reference.keys() - other.keys())
    only_other = sorted(other.keys() - reference.keys())
    differences = []
    for key in sorted(reference.keys() & other.keys()):
        for column in NUMBERS:
            a, b = reference[key][column], other[key][column]
            if not agree(a, b):
                differences.append((key, column, a, b))
    return only_reference, only_other, differences


def main(argv) -> int:
    if len(argv) < 2:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    paths = [Path(p) for p in argv]
    try:
        tables = [load(p) for p in paths]
    except (OSError, ValueError, KeyError) as error:
        print(f"cannot read: {error}", file=sys.stderr)
        return 2
    reference = tables[0]
    print(f"reference {paths[0]}: {len(reference)} rows")
    ok = True
    for path, table in zip(paths[1:], tables[1:]):
        only_reference, only_other, differences = compare(reference, table)
        agrees = not (only_reference or only_other or differences)
        ok &= agrees
        print(
            f"{'AGREES ' if agrees else 'DIFFERS'} {path}: {len(table)} rows; "
            f"{len(only_reference)} keys missing, {len(only_other)} extra, "
            f"{len(differences)} cells differ (tolerance {TOLERANCE:g}, relative above 1)"
        )
        for key in only_reference[:SHOWN]:
            print(f"    missing {' '.join(key)}")
        for key in only_other[:SHOWN]:
            print(f"    extra   {' '.join(key)}")
        for key, column, a, b in differences[:SHOWN]:
            print(f"    {' '.join(key)} {column}: reference {a!r}, this {b!r}")
        hidden = max(0, len(only_reference) - SHOWN) + max(0, len(only_other) - SHOWN) + max(
            0, len(differences) - SHOWN
        )
        if hidden:
            print(f"    ... and {hidden} more")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
