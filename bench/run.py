"""The benchmark behind `make bench`: datavalley against the pandas and DuckDB scripts a data
officer would otherwise write, each timed as a whole process on the same work, at 1x (the real
national files), 10x and 100x (their copies made by bench/grow.py).

The main comparison is datavalley's data-only run (the national pipeline with `pages = false`:
ingest, indicators, CSV, Parquet, catalog, data package) against bench/peers/pandas_italia.py
and bench/peers/duckdb_italia.py, with its variant that publishes the indicator dataset alone
(the peers' work). Beside them, at every scale: the full pipeline with pages and
the floor (`cat` of the inputs, and awk splitting every field of every line of them: a native
parse with no Python); at 1x also the peers' import time alone and the no-change reruns.

Every measured command runs as a child process under a cap of 16 GiB of address space; wall
time comes from the clock, CPU time and peak memory from the child's rusage (os.wait4). The
contenders of a scale run interleaved (A B C A B C ...), so that a slow moment of the machine
hits every contender alike; one that fails is reported as not finished and left out of the
later rounds. At every scale the data-only contenders' indicator tables must agree
(bench/compare.py) before any time is reported.

The results replace the part of BENCHMARKS.md between its two result markers.
"""

from __future__ import annotations

import argparse
import datetime
import importlib.metadata
import json
import os
import platform
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PIPELINE = REPO / "pipelines" / "italia.toml"
SAMPLE = REPO / "pipelines" / "val-d-enza.toml"
# A run that needs more address space than this fails instead of exhausting the machine.
MEMORY_LIMIT = 16 * 1024**3
BEGIN = "<!-- results: written by bench/run.py -->"
END = "<!-- /results -->"
# The native floor: every line split into its fields (NF forces the split), nothing kept.
AWK_SPLIT = '{ fields += NF } END { print NR " lines, " fields " fields" }'
# How a failed run's log says it ran out of memory (Rust, C++, Python, DuckDB, the kernel).
OUT_OF_MEMORY = re.compile(
    r"memory allocation of|bad_alloc|MemoryError|out of memory|Cannot allocate memory|"
    r"failed to allocate", re.IGNORECASE)


@dataclass
class Measure:
    wall: float
    cpu: float
    peak_mb: float
    stderr: str = ""
    returncode: int = 0


def measure(command: list[str], cwd: Path = REPO, memory_limit: int | None = None,
            may_fail: bool = False) -> Measure:
    """Runs a command to completion and measures it; a failure stops the benchmark unless
    `may_fail`. With `memory_limit` (bytes of address space) a run that would need more fails
    instead of taking the machine down."""

    def limit() -> None:
        if memory_limit is not None:
            resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))

    start = time.perf_counter()
    process = subprocess.Popen(
        command,
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        errors="replace",
        preexec_fn=limit,
    )
    # Read stderr while the process runs (a full pipe would stall it), then reap it with its
    # own resource usage.
    stderr = process.stderr.read() if process.stderr else ""
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0 and not may_fail:
        sys.exit(
            f"bench: `{' '.join(command)}` exited with {process.returncode}:\n{stderr[-4000:]}"
        )
    return Measure(
        wall=wall,
        cpu=usage.ru_utime + usage.ru_stime,
        # ru_maxrss is in kibibytes on Linux.
        peak_mb=usage.ru_maxrss / 1024,
        stderr=stderr,
        returncode=process.returncode,
    )


def summary_of(stderr: str) -> dict:
    """The fields of the last JSON log line of a datavalley run: its summary."""
    for line in reversed(stderr.splitlines()):
        try:
            event = json.loads(line)
        except json.JSONDecodeError:
            continue
        if event.get("stage") == "summary":
            return event.get("fields", {})
    sys.exit("bench: the datavalley run wrote no JSON summary line")


def failure_reason(result: Measure) -> str:
    """Why a run did not finish, in a few words for a table cell."""
    if OUT_OF_MEMORY.search(result.stderr):
        return f"out of memory within {MEMORY_LIMIT // 1024**3} GiB of address space"
    if result.returncode < 0:
        return f"killed by {signal.Signals(-result.returncode).name}"
    lines = [line.strip() for line in result.stderr.splitlines() if line.strip()]
    return (lines[-1][:80] if lines else "no message").replace("|", "/")


@dataclass
class Inputs:
    """The national pipeline's inputs, read from its own file so the peers read the same."""

    comuni: Path
    comuni_separator: str
    population: Path
    code_changes: Path
    padigitale: list[Path]
    unions: dict[str, list[str]]

    @staticmethod
    def of(pipeline: Path) -> "Inputs":
        spec = tomllib.loads(pipeline.read_text(encoding="utf-8"))
        folder = pipeline.parent
        sources = spec["source"]
        return Inputs(
            comuni=(folder / sources["comuni"]["territories"]["file"]).resolve(),
            comuni_separator=sources["comuni"]["territories"].get("separator", ";"),
            population=(folder / sources["popolazione"]["istat_population"]["file"]).resolve(),
            code_changes=(folder / spec["territories"]["code_changes"]).resolve(),
            padigitale=[(folder / f).resolve() for f in sources["pnrr"]["padigitale"]["files"]],
            unions={
                name: union["members"]
                for name, union in spec["territories"].get("union", {}).items()
            },
        )

    def files(self) -> list[Path]:
        return [self.comuni, self.population, self.code_changes, *self.padigitale]

    def peer_arguments(self, out: Path) -> list[str]:
        arguments = [
            "--comuni", str(self.comuni),
            "--population", str(self.population),
            "--code-changes", str(self.code_changes),
            "--padigitale", *map(str, self.padigitale),
        ]
        for name, members in self.unions.items():
            arguments += ["--union", f"{name}={','.join(members)}"]
        return arguments + ["--out", str(out)]

    def awk_arguments(self) -> list[str]:
        """The input files for awk, each after the separator it is split on."""
        rest = [self.population, self.code_changes, *self.padigitale]
        return [f"FS={self.comuni_separator}", str(self.comuni), "FS=,", *map(str, rest)]

    def rows(self) -> int:
        """Data rows of every input file: its lines less the header. Counted on the bytes, so
        that it costs seconds at 100x; grow.py copies records whole, so rows scale exactly."""
        total = 0
        for path in self.files():
            lines, last = 0, b"\n"
            with path.open("rb") as file:
                while chunk := file.read(1 << 24):
                    lines += chunk.count(b"\n")
                    last = chunk[-1:]
            total += lines + (last != b"\n") - 1
        return total

    def megabytes(self) -> float:
        return sum(path.stat().st_size for path in self.files()) / 1e6


def machine() -> list[str]:
    """A description of the machine and the software measured."""
    model = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    memory = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal"):
            memory = int(line.split()[1]) // (1024 * 1024)
    rustc = subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.strip()
    versions = ", ".join(
        f"{package} {importlib.metadata.version(package)}"
        for package in ("pandas", "duckdb", "pyarrow", "polars")
    )
    return [
        f"- date: {datetime.date.today().isoformat()}",
        f"- machine: {os.cpu_count()} cores ({model}), {memory} GiB of memory, "
        f"Linux {platform.release()}",
        f"- datavalley: release build, {rustc}",
        f"- peers: Python {platform.python_version()}; {versions}",
    ]


def floor_tools() -> str:
    """The versions of cat and awk, whose runs are the floor."""
    cat = subprocess.run(["cat", "--version"], capture_output=True, text=True).stdout
    # mawk answers -W version, gawk --version; each ignores or refuses the other's.
    awk = ""
    for option in (["-W", "version"], ["--version"]):
        answer = subprocess.run(["awk", *option], capture_output=True, text=True,
                                stdin=subprocess.DEVNULL)
        if answer.returncode == 0 and answer.stdout.strip():
            awk = answer.stdout.splitlines()[0].strip()
            break
    return f"- floor: {cat.splitlines()[0] if cat else 'cat'}; {awk or 'awk'}"


def without_pages(text: str) -> str:
    """The pipeline's text with `pages = false` in its `[site]` table (added when missing)."""
    site = re.compile(r"^\[site\][ \t]*$", re.MULTILINE)
    if len(site.findall(text)) > 1:
        sys.exit("bench: the national pipeline has two [site] tables")
    if site.search(text):
        return site.sub("[site]\npages = false", text, count=1)
    return text.rstrip("\n") + "\n\n[site]\npages = false\n"


def indicators_only(text: str) -> str:
    """The data-only pipeline's text with the indicator dataset alone: the other datasets'
    tables and the boundaries source (which only the pages' maps read) left out, so that
    datavalley does the work the peers do, and what the rest costs shows beside it."""
    sections = re.split(r"(?m)^(?=\[)", text)
    dataset = re.compile(r"^\[dataset\.([A-Za-z0-9_-]+)[.\]]")
    boundaries = re.compile(r"^\[source\.[A-Za-z0-9_-]+\.boundaries\]")
    dropped = set()
    for section in sections:
        named = dataset.match(section)
        if named and tomllib.loads(section).get("dataset", {}).get(named.group(1), {}).get(
                "table") not in (None, "indicators"):
            dropped.add(named.group(1))
    kept = [s for s in sections
            if not boundaries.match(s)
            and not ((named := dataset.match(s)) and named.group(1) in dropped)]
    result = "".join(kept)
    parsed = tomllib.loads(result)
    tables = {d.get("table") for d in parsed.get("dataset", {}).values()}
    if tables != {"indicators"}:
        sys.exit(f"bench: the indicators-only pipeline publishes {sorted(map(str, tables))}")
    return result


@dataclass
class Pipelines:
    """The national pipeline and its variants, as one scale runs them."""

    full: Path
    data_only: Path
    indicators_only: Path


def write_pipelines(folder: Path, data: Path, code_changes: Path) -> Pipelines:
    """The national pipeline reading its files from `data`, written into `folder` with what it
    includes: the pipeline with pages and its data-only variants beside it."""
    pipelines = folder / "pipelines"
    if pipelines.exists():
        shutil.rmtree(pipelines)
    shutil.copytree(REPO / "pipelines" / "catalog", pipelines / "catalog")
    (pipelines / "territori").mkdir(parents=True)
    shutil.copy(code_changes, pipelines / "territori" / "variazioni-codici.csv")
    text = PIPELINE.read_text(encoding="utf-8").replace("../../shared/data/", f"{data}/")
    written = Pipelines(pipelines / "italia.toml", pipelines / "italia-data.toml",
                        pipelines / "italia-indicatori.toml")
    written.full.write_text(text, encoding="utf-8")
    written.data_only.write_text(without_pages(text), encoding="utf-8")
    written.indicators_only.write_text(indicators_only(without_pages(text)), encoding="utf-8")
    return written


def national_pipeline(work: Path, data: Path) -> Pipelines:
    """The national pipeline over the real files (1x)."""
    return write_pipelines(work / "national", data, REPO / "pipelines" / "territori" /
                           "variazioni-codici.csv")


def grown_pipeline(work: Path, factor: int, python: str) -> Pipelines:
    """The national pipeline over inputs scaled by `factor`, generated once and kept."""
    folder = work / f"grow-{factor}"
    inputs = folder / "data"
    stamp = inputs / ".complete"
    if not stamp.exists():
        if inputs.exists():
            shutil.rmtree(inputs)
        print(f"generating the {factor}x inputs in {inputs}", flush=True)
        subprocess.run(
            # The copies' comuni lie in the original provinces and regions: datavalley reads
            # ISTAT's code shapes (three-digit provinces), which 100 copies would not fit.
            [python, str(REPO / "bench" / "grow.py"), "--factor", str(factor),
             "--scheme", "shared", "--out", str(inputs)],
            check=True,
        )
        stamp.write_text("")
    return write_pipelines(folder, inputs, inputs / "territori" / "variazioni-codici.csv")


@dataclass
class Contender:
    """One command measured at one scale, and what its runs gave."""

    name: str
    what: str
    command: list[str]
    # The output folder, emptied before each run so that every run does the same work.
    fresh_output: Path | None = None
    # The indicator table bench/compare.py checks (the data-only contenders only).
    indicators: Path | None = None
    # Whether stderr ends with datavalley's JSON summary.
    summarized: bool = False
    # A contender that reruns another's output is skipped once that one has failed.
    after: "Contender | None" = None
    measures: list[Measure] = field(default_factory=list)
    summaries: list[dict] = field(default_factory=list)
    failure: Measure | None = None

    def median(self, attribute: str) -> float:
        return statistics.median(getattr(m, attribute) for m in self.measures)

    def between(self, start: str, end: str) -> float | None:
        """The median over the measured runs of the time from one `seconds_at` mark to
        another, each run's own."""
        spans = [s.get("seconds_at", {}) for s in self.summaries]
        spans = [m[end] - m[start] for m in spans if start in m and end in m]
        return statistics.median(spans) if spans else None

    def phase(self, name: str) -> float | None:
        """The median of a `seconds_at` mark over the measured runs."""
        marks = [s.get("seconds_at", {}).get(name) for s in self.summaries]
        marks = [m for m in marks if m is not None]
        return statistics.median(marks) if marks else None

    @property
    def finished(self) -> bool:
        return self.failure is None and bool(self.measures)


@dataclass
class Scale:
    factor: int
    folder: Path
    rows: int
    megabytes: float
    rounds: int
    warmup: int
    contenders: list[Contender]
    agreement: str = ""

    def get(self, name: str) -> Contender | None:
        return next((c for c in self.contenders if c.name == name), None)


# The names of the rows, as the report refers to them.
DV_DATA, PANDAS, DUCKDB = "datavalley, data only", "pandas", "DuckDB"
DV_INDICATORS = "datavalley, indicators only"
DV_PAGES, DV_NO_CHANGE, SAMPLE_NO_CHANGE = ("datavalley, with pages", "datavalley no change",
                                            "sample no change")
CAT, AWK = "cat", "awk"
# Where a scale's earlier outputs wait until the scale is measured (see `run_once`).
TRASH = "earlier-outputs"
# How long ext4 without a journal keeps a freed inode from reuse once its table block is
# written (RECENTCY_MIN in fs/ext4/ialloc.c), and a second more.
EXT4_RECENT_SECONDS = 61
IMPORT_PANDAS, IMPORT_DUCKDB = "import pandas, pyarrow", "import duckdb"
# The runs whose work grows with the inputs, measured at every scale.
GROWING = [DV_DATA, DV_INDICATORS, PANDAS, DUCKDB, DV_PAGES, CAT, AWK]


def contenders_at(factor: int, folder: Path, pipelines: Pipelines, inputs: Inputs,
                  binary: str, python: str, sample_out: Path) -> list[Contender]:
    """What is measured at a scale, in the order of a round."""
    full, data_only = pipelines.full, pipelines.data_only
    data_out, pages_out = folder / "out-data", folder / "out-pages"
    indicators_out = folder / "out-indicators"
    peer_out = {name: folder / name for name in ("pandas", "duckdb")}
    dv = [binary, "--log-format", "json", "run"]
    with_pages = Contender(
        DV_PAGES, "`datavalley run italia.toml --force`: the same and every page and the feed",
        [*dv, str(full), "--output-dir", str(pages_out), "--force"],
        fresh_output=pages_out, summarized=True)
    contenders = [
        Contender(
            DV_DATA, "`datavalley run italia-data.toml --force` (`pages = false`): ingest, "
            "indicators, CSV, Parquet, DCAT-AP_IT, data package",
            [*dv, str(data_only), "--output-dir", str(data_out), "--force"],
            fresh_output=data_out, summarized=True,
            indicators=data_out / "italia" / "current" / "data" / "indicatori.csv"),
        Contender(
            DV_INDICATORS, "`datavalley run italia-indicatori.toml --force`: the same with "
            "the indicator dataset alone (no projects, no history dataset, no boundaries read)",
            [*dv, str(pipelines.indicators_only), "--output-dir", str(indicators_out),
             "--force"],
            fresh_output=indicators_out, summarized=True,
            indicators=indicators_out / "italia" / "current" / "data" / "indicatori.csv"),
        Contender(
            PANDAS, "bench/peers/pandas_italia.py: same ingest and indicators, CSV and Parquet",
            [python, str(REPO / "bench/peers/pandas_italia.py"),
             *inputs.peer_arguments(peer_out["pandas"])],
            indicators=peer_out["pandas"] / "indicatori.csv"),
        Contender(
            DUCKDB, "bench/peers/duckdb_italia.py: same, in DuckDB SQL",
            [python, str(REPO / "bench/peers/duckdb_italia.py"),
             *inputs.peer_arguments(peer_out["duckdb"])],
            indicators=peer_out["duckdb"] / "indicatori.csv"),
        with_pages,
    ]
    if factor == 1:
        contenders += [
            Contender(DV_NO_CHANGE, "`datavalley run italia.toml`, nothing changed",
                      [*dv, str(full), "--output-dir", str(pages_out)], after=with_pages),
            Contender(SAMPLE_NO_CHANGE, "`datavalley run pipelines/val-d-enza.toml`, nothing "
                      "changed", [*dv, str(SAMPLE), "--output-dir", str(sample_out)]),
        ]
    contenders += [
        Contender(CAT, "`cat` of every input file to /dev/null: the I/O floor",
                  ["cat", *map(str, inputs.files())]),
        Contender(AWK, "awk splitting every field of every line of every input file, nothing "
                  "kept: the parse floor, native, no Python",
                  ["awk", AWK_SPLIT, *inputs.awk_arguments()]),
    ]
    if factor == 1:
        # What the peers pay before reading a byte; the same at every scale, so measured once.
        contenders += [
            Contender(IMPORT_PANDAS, "`python -c \"import pandas, pyarrow\"`: the pandas "
                      "script's imports alone", [python, "-c", "import pandas, pyarrow"]),
            Contender(IMPORT_DUCKDB, "`python -c \"import duckdb\"`: the DuckDB script's "
                      "imports alone", [python, "-c", "import duckdb"]),
        ]
    return contenders


def run_once(contender: Contender, scale: Scale) -> Measure:
    """One measured run; a failure is recorded (and its log kept), not fatal."""
    if contender.fresh_output is not None and contender.fresh_output.exists():
        # Moved aside, not deleted: on ext4 without a journal (this machine's disk) an inode
        # freed in the last minute (five, while its table block is unwritten) is skipped by
        # every file created after it, and a run right after the removal of the last run's
        # tens of thousands of files paid seconds of system time for that alone (4 to 5 s
        # against 0.6 s at 1x with pages), which no nightly run pays. The old outputs are
        # removed once the scale is measured.
        trash = scale.folder / TRASH
        trash.mkdir(exist_ok=True)
        earlier = trash / f"{contender.fresh_output.name}-{len(os.listdir(trash))}"
        contender.fresh_output.rename(earlier)
    # What the commands before wrote, and the removal just done, reach the disk first, so that
    # no run pays for them (datavalley's own syncfs of its release would).
    os.sync()
    result = measure(contender.command, cwd=scale.folder, memory_limit=MEMORY_LIMIT,
                     may_fail=True)
    if result.returncode != 0:
        contender.failure = result
        log = scale.folder / f"failure-{re.sub(r'[^a-z0-9]+', '-', contender.name.lower())}.log"
        log.write_text(result.stderr, encoding="utf-8")
        print(f"  {contender.name} did not finish (exit {result.returncode}, "
              f"{failure_reason(result)}); its log is in {log}", flush=True)
    return result


def run_rounds(scale: Scale, check) -> None:
    """The scale's rounds, every contender once per round in the same order; the agreement
    check after the first round (to stop early) and after the last (the outputs measured)."""
    total = scale.warmup + scale.rounds
    for number in range(total):
        for contender in scale.contenders:
            if contender.failure or (contender.after and contender.after.failure):
                continue
            result = run_once(contender, scale)
            if result.returncode != 0:
                continue
            if number >= scale.warmup:
                contender.measures.append(result)
                if contender.summarized:
                    contender.summaries.append(summary_of(result.stderr))
            print(f"  {scale.factor}x round {number + 1}/{total} {contender.name}: "
                  f"{result.wall:.2f} s wall, {result.cpu:.2f} s CPU, "
                  f"{result.peak_mb:.0f} MB", flush=True)
        if number == 0 or number == total - 1:
            check(scale)


def check_agreement(scale: Scale, python: str) -> None:
    """bench/compare.py on the indicator tables of the data-only contenders that finished,
    datavalley's first; a disagreement stops the benchmark before any time is reported."""
    finished = [c for c in scale.contenders if c.indicators is not None and c.failure is None]
    if len(finished) < 2:
        scale.agreement = f"only {', '.join(c.name for c in finished) or 'none'} finished"
        print(f"  {scale.factor}x: {scale.agreement}, no tables to compare", flush=True)
        return
    command = [python, str(REPO / "bench/compare.py"), *(str(c.indicators) for c in finished)]
    result = subprocess.run(command, capture_output=True, text=True)
    print(result.stdout, end="", flush=True)
    if result.returncode != 0:
        sys.exit(f"bench: at {scale.factor}x the implementations disagree; no time is "
                 f"reported\n{result.stderr}")
    rows = re.search(r": (\d+) rows", result.stdout)
    scale.agreement = f"agree: {len(finished)} tables of {int(rows.group(1)):,} rows"
    unfinished = [c.name for c in scale.contenders if c.indicators and c.failure]
    if unfinished:
        scale.agreement += f" ({' and '.join(unfinished)} did not finish)"


def prepare_scale(factor: int, work: Path, data: Path, binary: str, python: str,
                  sample_out: Path, rounds: int, warmup: int) -> Scale:
    """A scale's inputs, pipelines and contenders, with the inputs read once into the page
    cache so that the first contender does not pay for reading them from disk."""
    pipelines = (national_pipeline(work, data) if factor == 1
                 else grown_pipeline(work, factor, python))
    folder = pipelines.full.parent.parent
    inputs = Inputs.of(pipelines.full)
    for name in ("pandas", "duckdb"):
        # No table from an earlier run can be compared in place of one this run failed to write.
        if (folder / name).exists():
            shutil.rmtree(folder / name)
    measure(["cat", *map(str, inputs.files())])
    contenders = contenders_at(factor, folder, pipelines, inputs, binary, python, sample_out)
    return Scale(factor, folder, inputs.rows(), inputs.megabytes(), rounds, warmup, contenders)


def grown_rounds(spec: str) -> dict[int, int]:
    """`10:3,100:1` -> {10: 3, 100: 1}."""
    rounds = {}
    for item in filter(None, (part.strip() for part in spec.split(","))):
        factor, _, count = item.partition(":")
        rounds[int(factor)] = int(count)
    return rounds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0].replace("\n", " "))
    parser.add_argument("--bin", required=True, type=Path, help="the datavalley release binary")
    parser.add_argument("--work", type=Path,
                        default=Path.home() / ".cache" / "datavalley" / "bench",
                        help="outputs and generated inputs (outside the clone)")
    parser.add_argument("--runs", type=int, default=5, help="measured rounds at 1x")
    parser.add_argument("--warmup", type=int, default=1, help="warm-up rounds at 1x")
    parser.add_argument("--growth", default="1,10,100",
                        help="input scales, comma-separated (1x is always measured)")
    parser.add_argument("--grown-runs", default="10:3,100:1",
                        help="measured rounds of the grown scales, FACTOR:ROUNDS, "
                        "comma-separated (1 for a scale not listed; no warm-up)")
    parser.add_argument("--report", type=Path, default=REPO / "BENCHMARKS.md")
    args = parser.parse_args()

    data = (REPO / ".." / "shared" / "data").resolve()
    if not data.is_dir():
        sys.exit(f"bench: the national files are not at {data} (see README: Benchmarks)")
    binary = str(args.bin.resolve())
    python = sys.executable
    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    factors = sorted({1, *(int(f) for f in args.growth.split(",") if f.strip())})
    rounds = grown_rounds(args.grown_runs)

    # The sample pipeline published once, so that its reruns have nothing to do.
    sample_out = work / "sample-out"
    measure([binary, "run", str(SAMPLE), "--output-dir", str(sample_out)])

    scales = []
    for factor in factors:
        scale = prepare_scale(factor, work, data, binary, python, sample_out,
                              args.runs if factor == 1 else rounds.get(factor, 1),
                              args.warmup if factor == 1 else 0)
        print(f"{factor}x: {scale.rows:,} input rows, {scale.megabytes:,.0f} MB; "
              f"{scale.warmup} warm-up and {scale.rounds} measured rounds", flush=True)
        started = time.perf_counter()
        run_rounds(scale, lambda s: check_agreement(s, python))
        print(f"{factor}x took {time.perf_counter() - started:.0f} s", flush=True)
        # The releases with pages of 100x are tens of gigabytes: measured, then removed (at 1x
        # the last ones are kept to look at); the next scale waits until the inodes freed are
        # no longer recent to ext4 (see `run_once`).
        for name in (TRASH, *(("out-pages", "out-data") if factor > 1 else ())):
            shutil.rmtree(scale.folder / name, ignore_errors=True)
        if factor != factors[-1]:
            os.sync()
            time.sleep(EXT4_RECENT_SECONDS)
        scales.append(scale)

    write_report(args.report, scales)


# The report.

def table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def did_not_finish(contender: Contender) -> str:
    failed = contender.failure
    return f"did not finish (exit {failed.returncode}, {failure_reason(failed)})"


def median_cell(contender: Contender | None, attribute: str, digits: int = 2) -> str:
    """The median of the measured runs; for a run that did not finish, why in the wall time's
    place and the failed run's own figure elsewhere (how much memory it had reached)."""
    if contender is None:
        return ""
    if contender.failure is not None:
        if attribute == "wall":
            return did_not_finish(contender)
        return f"{getattr(contender.failure, attribute):,.{digits}f} (the failed run)"
    if not contender.measures:
        return "not run"
    return f"{contender.median(attribute):,.{digits}f}"


def runs_cell(contender: Contender) -> str:
    if contender.failure is None:
        return str(len(contender.measures))
    return f"{len(contender.measures)} (one failed after {contender.failure.wall:,.0f} s)"


def ratio_cell(peer: Contender | None, reference: Contender | None) -> str:
    """How many times the reference's median wall time the peer's is."""
    if not (peer and reference and peer.finished and reference.finished):
        return ""
    ratio = peer.median("wall") / reference.median("wall")
    return f"{ratio:.2f}x" if ratio < 1 else f"{ratio:.1f}x"


def method(scales: list[Scale]) -> list[str]:
    """What was measured and how, as the run did it."""
    rounds = "; ".join(
        f"{s.factor}x: {s.warmup} warm-up and {s.rounds} measured round"
        f"{'s' if s.rounds != 1 else ''}" for s in scales)
    cap = MEMORY_LIMIT // 1024**3
    return [
        "Every figure is a whole process: wall time from the clock around it, CPU time (user "
        "plus system) and peak memory (maximum resident set size) from its own resource usage "
        "(`wait4`; a child starts as a copy of the harness, so no peak is below about 20 MB). "
        "At each scale the contenders run interleaved, one of each per round in the "
        "order of the tables, on the same input files: 1x is the national files, 10x and 100x "
        "their copies by bench/grow.py (10 and 100 times the comuni and the PA digitale "
        "applications, in the same provinces and regions). The comparison is datavalley's "
        "data-only run (the national pipeline with `pages = false` under `[site]`: ingest, "
        "indicators, CSV, Parquet, the DCAT-AP_IT catalog and the data package; no pages, no "
        "feed) against the pandas and DuckDB scripts, which read the same files and write the "
        "indicator table as CSV and Parquet; beside it the same run with the indicator dataset "
        "alone (the projects and the history datasets and the boundaries, which only the maps "
        "read, left out: the peers' work); the peers' times include starting Python and "
        "their imports, measured alone at 1x. The floor is `cat` of every input file and awk "
        "splitting every field of every line of them (a native parse, no Python, nothing "
        "kept). The full pipeline with pages is measured beside them.",
        "",
        f"Every process runs under a cap of {cap} GiB of address space (RLIMIT_AS); a "
        "contender that fails or is killed is reported as not finished and left out of the "
        "scale's later rounds (the DuckDB script sets DuckDB's memory limit to three quarters "
        "of the cap, so that it spills to disk rather than fail). Each datavalley run starts "
        "from an empty output folder (`--force`, a first publication; the earlier run's "
        "folder is moved aside and removed once the scale is measured, with a minute's pause "
        "before the next scale, since ext4 without a journal makes every file created within "
        "a minute of a large removal pay for it in system time); the inputs are read "
        "once before a scale's rounds, so that every contender finds them in the page cache, "
        "and `sync` runs before every measured command, so that none pays for the write-back "
        "of what came before (datavalley's run ends with a `syncfs` of its release, part of "
        "its work; the peers write theirs and exit). At every scale bench/compare.py checked that the indicator "
        "tables of the data-only contenders agree to 1e-9 (relative above 1) after the first round and after the last, "
        f"before any time was reported. Rounds: {rounds}; the tables give medians.",
    ]


def headline(scales: list[Scale]) -> list[str]:
    lines = ["### Data only: datavalley against the peers", ""]
    rows = []
    for scale in scales:
        dv, pandas, duckdb = scale.get(DV_DATA), scale.get(PANDAS), scale.get(DUCKDB)
        alone = scale.get(DV_INDICATORS)
        rows.append([
            f"{scale.factor}x", f"{scale.rows:,}", median_cell(dv, "wall"),
            median_cell(alone, "wall"), median_cell(pandas, "wall"),
            median_cell(duckdb, "wall"), ratio_cell(pandas, dv), ratio_cell(duckdb, dv),
            ratio_cell(duckdb, alone), scale.agreement,
        ])
    lines += table(["inputs", "input rows", "datavalley, data only (s)",
                    "datavalley, indicators only (s)", "pandas (s)", "DuckDB (s)",
                    "pandas / datavalley", "DuckDB / datavalley",
                    "DuckDB / datavalley indicators only", "indicator tables"], rows)
    first = scales[0]
    lines += [
        "",
        f"Peers' import time (whole process, median wall, included in their times above): "
        f"`import pandas, pyarrow` {median_cell(first.get(IMPORT_PANDAS), 'wall')} s, "
        f"`import duckdb` {median_cell(first.get(IMPORT_DUCKDB), 'wall')} s.",
    ]
    return lines


def per_scale(scale: Scale) -> list[str]:
    title = "the national files" if scale.factor == 1 else "bench/grow.py"
    lines = ["", f"### {scale.factor}x ({title}: {scale.rows:,} input rows, "
             f"{scale.megabytes:,.0f} MB)", ""]
    reference = scale.get(DV_DATA)
    rows = [[
        c.name, median_cell(c, "wall"), median_cell(c, "cpu"), median_cell(c, "peak_mb", 0),
        runs_cell(c), ratio_cell(c, reference) if c is not reference else "",
        c.what,
    ] for c in scale.contenders]
    return lines + table(["run", "median wall (s)", "median CPU (s)",
                          "median peak memory (MB)", "runs", "wall / datavalley data only",
                          "what"], rows)


def growth(scales: list[Scale]) -> list[str]:
    """Seconds per million input rows of each contender measured at every scale."""
    last = scales[-1]
    rows = []
    for name in GROWING:
        cells, per_unit = [], []
        for scale in scales:
            contender = scale.get(name)
            if contender and contender.finished:
                per_unit.append(contender.median("wall") / (scale.rows / 1e6))
                cells.append(f"{per_unit[-1]:.3f}")
            else:
                per_unit.append(None)
                cells.append(median_cell(contender, "wall"))
        if len(scales) > 1:
            cells.append(f"{per_unit[-1] / per_unit[0]:.2f}" if per_unit[0] and per_unit[-1]
                         else "")
        rows.append([name, *cells])
    header = ["run", *(f"{s.factor}x (s per million rows)" for s in scales)]
    if len(scales) > 1:
        header.append(f"{last.factor}x / 1x per row")
    last_column = ("; the last column is the cost of a row at the largest scale against 1x "
                   "(1.00: linear)" if len(scales) > 1 else "")
    return ["", "### Growth per unit of input", "",
            "Median wall time per million input rows (the lines of the input files less their "
            "headers: " + ", ".join(f"{s.rows:,} at {s.factor}x" for s in scales) + ")"
            + last_column + ".", "", *table(header, rows)]


def breakdown(scales: list[Scale]) -> list[str]:
    """datavalley's own phase marks, the old internal figure among them."""
    rows = []
    for scale in scales:
        for name in (DV_DATA, DV_PAGES):
            contender = scale.get(name)
            if not contender or not contender.finished:
                continue
            marks = {m: contender.phase(m) for m in ("ingest", "compute", "data")}
            wall = contender.median("wall")
            rest = wall - marks["data"] if marks["data"] is not None else None
            rows.append([f"{scale.factor}x", name, f"{wall:.2f}",
                         *("" if v is None else f"{v:.2f}" for v in (*marks.values(), rest))])
    return ["", "### Breakdown: datavalley's own phase times", "",
            "From the runs' JSON summaries (`seconds_at`: seconds from the start of the run "
            "until ingest, compute and the data files are done; medians). `seconds_at.data` of "
            "the run with pages is the figure earlier reports compared with the peers: it leaves "
            "out everything after the data files, and the peers' whole processes are not split "
            "alike, so it is a breakdown only.", "",
            *table(["inputs", "run", "whole process (s)", "ingest done (s)",
                    "compute done (s)", "data files done (s)", "after the data files (s)"],
                   rows)]


def targets(scales: list[Scale]) -> list[str]:
    """The speed issue's targets, each with what this run measured."""
    first, last = scales[0], scales[-1]

    def finished(scale: Scale, name: str) -> Contender | None:
        contender = scale.get(name)
        return contender if contender and contender.finished else None

    def faster(scale: Scale) -> float | None:
        dv, duckdb = finished(scale, DV_DATA), finished(scale, DUCKDB)
        return duckdb.median("wall") / dv.median("wall") if dv and duckdb else None

    def per_row(scale: Scale) -> float | None:
        dv = finished(scale, DV_DATA)
        return dv.median("wall") / scale.rows if dv else None

    pages = finished(first, DV_PAGES)
    no_change = finished(first, DV_NO_CHANGE)
    rows = [(f"data only at least 2x faster than DuckDB at {scale.factor}x (DuckDB / "
             "datavalley)", ">= 2", faster(scale), lambda v: v >= 2) for scale in scales]
    if len(scales) > 1:
        growth = (per_row(last) / per_row(first)
                  if per_row(last) and per_row(first) else None)
        largest = finished(last, DV_DATA)
        rows += [
            (f"data only: time per input row at {last.factor}x against 1x", "<= 1.1", growth,
             lambda v: v <= 1.1),
            (f"data only: peak memory at {last.factor}x (MB)", "< 2,048",
             largest.median("peak_mb") if largest else None, lambda v: v < 2048),
        ]
    rows += [
        ("national pipeline with all pages, whole process (s)", "< 1.5",
         pages.median("wall") if pages else None, lambda v: v < 1.5),
        ("its pages, from the data files done to the pages done (s)", "< 1",
         pages.between("data", "pages") if pages else None,
         lambda v: v < 1),
        ("national rerun with nothing changed (s)", "< 0.2",
         no_change.median("wall") if no_change else None, lambda v: v < 0.2),
    ]
    return ["", "### Targets", "",
            "The speed issue's targets, from the medians above (the pages' time from the run's "
            "own `seconds_at` marks).", "", *table(
                ["target", "goal", "measured", "met"],
                [[name, goal, "did not finish" if value is None else f"{value:,.2f}",
                  "**no**" if value is None or not met(value) else "yes"]
                 for name, goal, value, met in rows])]


def write_report(path: Path, scales: list[Scale]) -> None:
    lines = [BEGIN, "", *machine(), floor_tools(), "", *method(scales), "", *headline(scales)]
    for scale in scales:
        lines += per_scale(scale)
    lines += growth(scales) + breakdown(scales) + targets(scales) + ["", END]
    text = path.read_text(encoding="utf-8") if path.exists() else f"{BEGIN}\n{END}\n"
    if BEGIN not in text or END not in text:
        text = text.rstrip("\n") + f"\n\n{BEGIN}\n{END}\n"
    before, rest = text.split(BEGIN, 1)
    _, after = rest.split(END, 1)
    path.write_text(before + "\n".join(lines) + after, encoding="utf-8")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
