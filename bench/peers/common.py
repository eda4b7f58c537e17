"""Command-line arguments shared by the benchmark's peer implementations.

Only argument parsing lives here: every peer reads the raw files and computes the indicators
itself, idiomatically in its own library.

    --comuni FILE          ISTAT "Elenco comuni italiani" (Windows-1252, `;`)
    --population FILE      ISTAT `pro_com_t,<12,>=12,totale`
    --code-changes FILE    `old_code,new_code,date` (comuni merged or renumbered)
    --padigitale FILE...   PA digitale 2026 funded-project files
    --union NAME=c1,c2,... a declared union of comuni (repeatable)
    --out DIR              where indicatori.csv and indicatori.parquet are written
"""

import argparse
from pathlib import Path


def parse_args(description: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--comuni", required=True, type=Path)
    parser.add_argument("--population", required=True, type=Path)
    parser.add_argument("--code-changes", required=True, type=Path)
    parser.add_argument("--padigitale", required=True, type=Path, nargs="+")
    parser.add_argument(
        "--union",
        action="append",
        default=[],
        metavar="NAME=CODE,CODE,...",
        help="a union of comuni, by the six-digit ISTAT codes of its members (repeatable)",
    )
    parser.add_argument("--out", required=True, type=Path)
    args = parser.parse_args()
    unions = {}
    for spec in args.union:
        name, sep, codes = spec.partition("=")
        members = sorted({c.strip() for c in codes.split(",") if c.strip()})
        if not sep or not name.strip() or not members:
            parser.error(f"--union {spec!r}: write NAME=code,code,...")
        unions[name.strip()] = members
    args.unions = unions
    args.out.mkdir(parents=True, exist_ok=True)
    return args
