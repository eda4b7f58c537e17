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


def records(path: Path):
    """The rows of a table as (key, numbers) tuples, read a row at a time: at 100x a table has
    millions of rows, and a dict per row would need gigabytes."""
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        table = pq.read_table(path)
        missing = [c for c in KEY + NUMBERS if c not in table.column_names]
        if missing:
            raise ValueError(f"{path}: missing columns {', '.join(missing)}")
        columns = [table.column(c).to_pylist() for c in KEY + NUMBERS]
        yield from ((row[:len(KEY)], row[len(KEY):]) for row in zip(*columns))
        return
    with path.open(newline="", encoding="utf-8") as file:
        reader = csv.reader(file)
        header = next(reader, [])
        missing = [c for c in KEY + NUMBERS if c not in header]
        if missing:
            raise ValueError(f"{path}: missing columns {', '.join(missing)}")
        keys = [header.index(c) for c in KEY]
        numbers = [header.index(c) for c in NUMBERS]
        for row in reader:
            yield [row[i] for i in keys], [row[i] for i in numbers]


def load(path: Path):
    """The table as {key: (number or None, ...) in the order of NUMBERS}; duplicate keys are an
    error."""
    table = {}
    for key, numbers in records(path):
        key = tuple(str(part).strip() for part in key)
        if key in table:
            raise ValueError(f"{path}: key {key} appears twice")
        table[key] = tuple(map(number, numbers))
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
        for column, a, b in zip(NUMBERS, reference[key], other[key]):
            if not agree(a, b):
                differences.append((key, column, a, b))
    return only_reference, only_other, differences


def main(argv) -> int:
    if len(argv) < 2:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    paths = [Path(p) for p in argv]
    try:
        reference = load(paths[0])
    except (OSError, ValueError, IndexError) as error:
        print(f"cannot read: {error}", file=sys.stderr)
        return 2
    print(f"reference {paths[0]}: {len(reference)} rows")
    ok = True
    # One other table in memory at a time, beside the reference.
    for path in paths[1:]:
        try:
            table = load(path)
        except (OSError, ValueError, IndexError) as error:
            print(f"cannot read: {error}", file=sys.stderr)
            return 2
        only_reference, only_other, differences = compare(reference, table)
        agrees = not (only_reference or only_other or differences)
        ok &= agrees
        print(
            f"{'AGREES ' if agrees else 'DIFFERS'} {path}: {len(table)} rows; "
            f"{len(only_reference)} keys missing, {len(only_other)} extra, "
            f"{len(differences)} cells differ (tolerance {TOLERANCE:g}, relative above 1)"
        )
        del table
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
            print(f"    ... and {hidden} more", flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
