"""Scales the national inputs of pipelines/italia.toml by a factor, for the growth benchmark.

    python bench/grow.py --factor 10 --out DIR [--scheme synthetic|shared]

writes DIR/istat/, DIR/padigitale2026/ and DIR/territori/ with the same file names, encodings,
separators, quoting and line endings as the inputs the pipeline reads (the ISTAT list of comuni,
the ISTAT population, every PA digitale 2026 file, the file of code changes), and copies the
boundaries files into DIR/boundaries/ unchanged (the maps are the real comuni's). Each output file
is copy 0, the original bytes unchanged, followed by copies 1..N-1 of its rows: synthetic
territories that are the original ones with derived codes and names. Factor 1 reproduces the
inputs byte for byte; the output is deterministic, and the 10x files are the first bytes of the
100x ones. Only the parsed inputs and one copy are in memory (about 200 MB); 100x (2.7 GB)
takes about half a minute.

Copy k of a row:

* comune codes (`cod_comune`, the list's code, `pro_com_t`, old and new codes of the changes,
  the historical numeric codes) go through one table: every distinct comune code found in the
  inputs (the list's, the population's, PA digitale's, the changes', ~8,600) gets its rank r in
  sorted order, and copy k of it is the six-digit code BASE + (k-1)*COUNT + r, where BASE is
  the first multiple of 10,000 above the largest code (120000) and COUNT the number of codes.
  Derived codes stay six-digit, never collide with a real code or with each other, and are
  written in the form of the column (with leading zeros, or as a number in `pro_com_t`). Codes
  of comuni that are not in the list (created later, or changed) get derived codes too, so the
  copies warn and harmonize exactly like the originals. 100 copies fit in six digits.
* with `--scheme synthetic` (the default) each copy has its own provinces and regions: province
  (and supra-municipal unit) codes become `kk` + the three digits ("035" -> "03035"), region
  codes `kk` + the two digits ("08" -> "0308"), NUTS codes get `-kk` appended, and province and
  region names " (copia k)". Datavalley as of this writing reads only three-digit provinces and
  two-digit regions (`territory::level_of_istat_code`, and the patterns of
  schemas/indicators.json), so these copies need it to accept five-digit provinces and
  four-digit regions. With `--scheme shared` the copies' comuni lie in the original provinces
  and regions, which every datavalley accepts: 100x comuni, but not 100x provinces and regions.
* names of comuni and bodies (and the changes' notes) get " (copia k)", IPA codes `_kk`, CUP
  codes `-kk`, cadastral codes `kk`; everything else (amounts, dates, statuses, populations) is
  copied, so every copy has the distributions of the original and, per comune, province and
  region, the same indicators. The unions the pipeline declares are not copied.

Python 3.11 standard library only.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_PIPELINE = REPO / "pipelines" / "italia.toml"

# What a column holds, and so how copy k rewrites it.
CODE = "code"  # comune code as six-digit text
NUM = "num"  # comune code as a number (no leading zeros)
PROV = "prov"  # province (or supra-municipal unit) code, three digits
REG = "reg"  # region code, two digits
NAME = "name"  # name of a comune or a body, a note: " (copia k)"
TNAME = "tname"  # name of a province or a region: " (copia k)" in the synthetic scheme
NUTS = "nuts"  # NUTS code: "-kk" appended in the synthetic scheme
IPA = "ipa"  # IPA code of a body: "_kk"
CUP = "cup"  # CUP of a project: "-kk"
CAT = "cat"  # cadastral code of a comune: "kk"

# ISTAT's list of comuni: headers matched by prefix after normalizing spaces and case, as
# datavalley does (the layouts differ in footnote marks and trailing spaces). First match wins.
LIST_COLUMNS = [
    ("codice regione", REG),
    ("codice dell'unit", PROV),
    ("codice provincia", PROV),
    ("codice comune formato alfanumerico", CODE),
    ("codice comune formato numerico", NUM),
    ("codice comune numerico", NUM),
    ("denominazione (italiana", NAME),
    ("denominazione in italiano", NAME),
    ("denominazione altra lingua", NAME),
    ("denominazione regione", TNAME),
    ("denominazione dell'unit", TNAME),
    ("codice catastale", CAT),
    ("codice nuts", NUTS),
]
POPULATION_COLUMNS = {"pro_com_t": NUM}
PADIGITALE_COLUMNS = {
    "codice_ipa": IPA,
    "ente": NAME,
    "comune": NAME,
    "cod_comune": CODE,
    "cod_provincia": PROV,
    "regione": TNAME,
    "cod_regione": REG,
    "codice_cup": CUP,
}
CHANGES_COLUMNS = {"old_code": CODE, "new_code": CODE, "note": NAME}

DIGITS = re.compile(r'"?(\d+)"?')


def normalize_header(header: str) -> str:
    return " ".join(header.strip().strip('"').split()).lower()


@dataclass
class Parsed:
    """A delimited file split into raw fields (quotes kept) and record terminators."""

    header: list[str]
    columns: list[list[str]]  # the data records of the header's width, column by column
    terms: list[str]  # the terminator of every data record ("\r\n", "\n", "" at the end)
    odd: dict[int, list[str]]  # data records of another width, by position
    header_term: str

    @property
    def rows(self) -> int:
        return len(self.terms)


def parse(text: str, sep: str) -> tuple[list[list[str]], list[str]]:
    """Splits CSV text into records of raw fields, keeping quotes, doubled quotes and each
    record's own terminator; quoted fields may hold separators and line breaks."""
    esc = re.escape(sep)
    field_re = re.compile(rf'"(?:[^"]|"")*"(?=[{esc}\r\n]|$)|[^{esc}\r\n]*')
    records: list[list[str]] = []
    terms: list[str] = []
    pos, end = 0, len(text)
    match = field_re.match
    while pos < end:
        fields = []
        while True:
            m = match(text, pos)
            fields.append(m.group())
            pos = m.end()
            if pos < end and text[pos] == sep:
                pos += 1
                continue
            break
        if text.startswith("\r\n", pos):
            term = "\r\n"
        elif pos < end and text[pos] in "\r\n":
            term = text[pos]
        elif pos >= end:
            term = ""
        else:
            raise ValueError(f"cannot split the record at offset {pos}: {text[pos:pos + 40]!r}")
        pos += len(term)
        records.append(fields)
        terms.append(term)
    return records, terms


def load(path: Path, sep: str) -> tuple[bytes, Parsed]:
    raw = path.read_bytes()
    # Latin-1 maps every byte to one character and back: Windows-1252 and UTF-8 files pass
    # through unchanged, and everything this script adds is ASCII.
    text = raw.decode("latin-1")
    records, terms = parse(text, sep)
    if not records:
        raise SystemExit(f"{path}: empty file")
    rebuilt = "".join(sep.join(r) + t for r, t in zip(records, terms))
    if rebuilt != text:
        raise SystemExit(f"{path}: the CSV reader does not reproduce the file; not generating")
    header, header_term = records[0], terms[0]
    width = len(header)
    body = records[1:]
    odd = {i: r for i, r in enumerate(body) if len(r) != width}
    regular = [r for r in body if len(r) == width]
    columns = [list(c) for c in zip(*regular)] if regular else [[] for _ in range(width)]
    return raw, Parsed(header, columns, terms[1:], odd, header_term)


@dataclass
class Input:
    kind: str  # territories, istat_population, padigitale, code_changes
    source: Path
    target: str  # path under DIR
    sep: str
    raw: bytes = b""
    parsed: Parsed | None = None
    kinds: dict[int, str] = field(default_factory=dict)  # column index -> what it holds


def kinds_of(kind: str, header: list[str]) -> dict[int, str]:
    found: dict[int, str] = {}
    names = [normalize_header(h) for h in header]
    for index, name in enumerate(names):
        if kind == "territories":
            for prefix, what in LIST_COLUMNS:
                if name.startswith(prefix):
                    found[index] = what
                    break
        else:
            table = {
                "istat_population": POPULATION_COLUMNS,
                "padigitale": PADIGITALE_COLUMNS,
                "code_changes": CHANGES_COLUMNS,
            }[kind]
            if name in table:
                found[index] = table[name]
    needed = {
        "territories": {CODE, PROV, REG},
        "istat_population": {NUM},
        "padigitale": {CODE},
        "code_changes": {CODE},
    }[kind]
    if not needed <= set(found.values()):
        raise SystemExit(f"{kind}: no column of comune codes in the header {header}")
    return found


def inputs_of(pipeline: Path) -> tuple[list[Input], list[tuple[Path, str]]]:
    """The files the pipeline reads, each with where it goes under DIR (its folder's name and
    its own name, as bench/run.py expects: istat/, padigitale2026/, territori/), and the
    boundaries files, which are copied unchanged: the copies' comuni have no shapes, so the
    maps stay those of the real comuni (and the run warns of the copies without one)."""
    spec = tomllib.loads(pipeline.read_text(encoding="utf-8"))
    base = pipeline.parent
    found: list[Input] = []
    unchanged: list[tuple[Path, str]] = []

    def add(kind: str, relative: str, sep: str) -> None:
        path = (base / relative).resolve()
        found.append(Input(kind, path, f"{path.parent.name}/{path.name}", sep))

    for name, kinds in spec.get("source", {}).items():
        for kind, source in kinds.items():
            if kind == "territories":
                add(kind, source["file"], source.get("separator", ";"))
            elif kind == "istat_population":
                add(kind, source["file"], ",")
            elif kind == "padigitale":
                for file in source["files"]:
                    add(kind, file, ",")
            elif kind == "boundaries":
                for file in source["files"]:
                    path = (base / file).resolve()
                    unchanged.append((path, f"{path.parent.name}/{path.name}"))
            else:
                raise SystemExit(f"source `{name}`: kind `{kind}` is not one this script scales")
    changes = spec.get("territories", {}).get("code_changes")
    if changes:
        add("code_changes", changes, ",")
    targets = [i.target for i in found] + [target for _, target in unchanged]
    if len(set(targets)) != len(targets):
        raise SystemExit(f"two inputs would be written to the same file: {targets}")
    return found, unchanged


class Plan:
    """The derived codes: one table of comune codes, the province and region codes."""

    def __init__(self, inputs: list[Input], factor: int, scheme: str):
        self.scheme = scheme
        comuni: set[str] = set()
        provinces: set[str] = set()
        regions: set[str] = set()
        for item in inputs:
            for index, what in item.kinds.items():
                values = set(item.parsed.columns[index])
                values.update(r[index] for r in item.parsed.odd.values() if index < len(r))
                for value in values:
                    m = DIGITS.fullmatch(value)
                    if not m:
                        continue
                    digits = m.group(1)
                    if what == CODE and len(digits) == 6:
                        comuni.add(digits)
                    elif what == NUM and len(digits) <= 6:
                        comuni.add(digits.zfill(6))
                    elif what == PROV and len(digits) == 3:
                        provinces.add(digits)
                    elif what == REG and len(digits) == 2:
                        regions.add(digits)
        self.comuni = sorted(comuni)
        self.rank = {code: r for r, code in enumerate(self.comuni)}
        self.provinces = sorted(provinces)
        self.regions = sorted(regions)
        self.base = (int(self.comuni[-1]) // 10000 + 1) * 10000
        self.count = len(self.comuni)
        largest = self.base + (factor - 1) * self.count - 1
        if factor > 1 and largest > 999999:
            most = (1000000 - self.base) // self.count + 1
            raise SystemExit(
                f"{self.count} comune codes from {self.base}: at most {most} copies fit in six digits"
            )
        if scheme == "synthetic" and factor > 100:
            raise SystemExit("the synthetic scheme numbers copies with two digits: factor <= 100")

    def comune(self, code: str, copy: int) -> str:
        """Copy `copy` of a six-digit comune code."""
        if copy == 0:
            return code
        return f"{self.base + (copy - 1) * self.count + self.rank[code]:06d}"

    def copy(self, k: int) -> dict[str, object]:
        """For copy k: a lookup table or a suffix per kind of column (absent: unchanged)."""
        def quoted(table: dict[str, str]) -> dict[str, str]:
            table.update({f'"{a}"': f'"{b}"' for a, b in list(table.items())})
            return table

        codes = {c: self.comune(c, k) for c in self.comuni}
        numbers = dict(codes)
        numbers.update({str(int(c)): str(int(d)) for c, d in codes.items()})
        how: dict[str, object] = {
            CODE: quoted(codes),
            NUM: quoted(numbers),
            NAME: f" (copia {k})",
            IPA: f"_{k:02d}",
            CUP: f"-{k:02d}",
            CAT: f"{k:02d}",
        }
        if self.scheme == "synthetic":
            how[PROV] = quoted({p: f"{k:02d}{p}" for p in self.provinces})
            how[REG] = quoted({r: f"{k:02d}{r}" for r in self.regions})
            how[TNAME] = f" (copia {k})"
            how[NUTS] = f"-{k:02d}"
        return how


def rewrite(value: str, how: object) -> str:
    if isinstance(how, dict):
        return how.get(value, value)
    if value in ("", '""'):
        return value
    if value.startswith('"'):
        return value[:-1] + how + '"'
    return value + how


def rewrite_column(values: list[str], how: object) -> list[str]:
    if isinstance(how, dict):
        get = how.get
        return [get(v, v) for v in values]
    suffix = how
    return [
        v if (v == "" or v == '""') else (v[:-1] + suffix + '"' if v[0] == '"' else v + suffix)
        for v in values
    ]


def copy_text(item: Input, how: dict[str, object]) -> str:
    """One copy of the data records of a file, as text."""
    parsed = item.parsed
    columns = list(parsed.columns)
    for index, what in item.kinds.items():
        if what in how:
            columns[index] = rewrite_column(columns[index], how[what])
    rows = list(map(item.sep.join, zip(*columns))) if columns and columns[0] else []
    if parsed.odd:
        merged, regular = [], iter(rows)
        for position in range(parsed.rows):
            record = parsed.odd.get(position)
            if record is None:
                merged.append(next(regular))
            else:
                merged.append(item.sep.join(
                    rewrite(v, how[item.kinds[i]]) if item.kinds.get(i) in how else v
                    for i, v in enumerate(record)
                ))
        rows = merged
    terms = parsed.terms
    if terms and len(set(terms[:-1])) <= 1 and terms[-1] in (terms[0], ""):
        term = terms[0]
        text = term.join(rows) + terms[-1]
    else:
        text = "".join(r + t for r, t in zip(rows, terms))
    return text


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="\n".join(__doc__.splitlines()[2:]),
    )
    parser.add_argument("--factor", type=int, required=True, help="copies of the inputs (1 = the inputs)")
    parser.add_argument("--out", type=Path, required=True, help="the folder to write")
    parser.add_argument("--pipeline", type=Path, default=DEFAULT_PIPELINE,
                        help="the pipeline whose inputs are scaled (default: pipelines/italia.toml)")
    parser.add_argument("--scheme", choices=["synthetic", "shared"], default="synthetic",
                        help="synthetic: each copy has its own provinces and regions (5- and "
                             "4-digit codes); shared: copies lie in the original ones")
    args = parser.parse_args()
    if args.factor < 1:
        parser.error("--factor is 1 or more")

    started = time.perf_counter()
    inputs, unchanged = inputs_of(args.pipeline.resolve())
    for source, target in unchanged:
        (args.out / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, args.out / target)
    for item in inputs:
        item.raw, item.parsed = load(item.source, item.sep)
        item.kinds = kinds_of(item.kind, item.parsed.header)
    plan = Plan(inputs, args.factor, args.scheme)

    # Copy-major: the lookup tables of a copy are built once, and every file grows together.
    written = 0
    files = []
    for item in inputs:
        target = args.out / item.target
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partial")
        out = open(partial, "wb")
        out.write(item.raw)
        written += len(item.raw)
        # A file without a final line break gets one before each copy; the last copy ends
        # without it, as the original does.
        bridge = b""
        if item.parsed.rows and item.parsed.terms[-1] == "":
            bridge = (item.parsed.terms[0] or item.parsed.header_term).encode("latin-1")
        files.append((item, out, bridge, partial, target))
    for k in range(1, args.factor):
        how = plan.copy(k)
        for item, out, bridge, _, _ in files:
            chunk = copy_text(item, how).encode("latin-1")
            out.write(bridge)
            out.write(chunk)
            written += len(bridge) + len(chunk)
    for _, out, _, partial, target in files:
        out.close()
        os.replace(partial, target)
    seconds = time.perf_counter() - started
    print(
        f"grow: {args.factor}x ({args.scheme}) in {args.out}: {len(inputs)} files scaled, "
        f"{len(unchanged)} copied, "
        f"{written / 1e6:.0f} MB, {len(plan.comuni)} comune codes per copy from {plan.base}, "
        f"{seconds:.1f} s",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
