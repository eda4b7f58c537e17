"""A floor for the benchmark: polars parses every input CSV once (separator sniffed from the
first line, Windows-1252 read as lossy UTF-8, every column kept as text) and computes nothing.
What datavalley does beyond this is the cost of its checks, indicators and outputs."""

import sys

import polars as pl


def main() -> None:
    rows = 0
    for path in sys.argv[1:]:
        with open(path, "rb") as file:
            first = file.readline()
        separator = ";" if first.count(b";") > first.count(b",") else ","
        frame = pl.read_csv(
            path,
            separator=separator,
            encoding="utf8-lossy",
            infer_schema=False,
            truncate_ragged_lines=True,
        )
        rows += frame.height
    print(f"{rows} rows")


if __name__ == "__main__":
    main()
