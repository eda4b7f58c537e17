"""The benchmark behind `make bench`: datavalley against the pandas and DuckDB scripts a data
officer would otherwise write, on the real national files, plus the incremental path, the raw
cost of reading the inputs, and growth to 10x and 100x synthetic inputs.

Every measured command runs as a child process; wall time comes from the clock, CPU time and
peak memory from the child's rusage (os.wait4). Runs are interleaved (A B C A B C ...) after a
warm-up round, so that a slow moment of the machine hits every contender alike. Before any time
is reported, the three implementations must produce the same indicator table (bench/compare.py).

The results replace the part of BENCHMARKS.md between its two result markers.
"""

from __future__ import annotations

import argparse
import datetime
import importlib.metadata
import json
import os
import platform
import resource
import shutil
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
# A growth run that needs more address space than this fails instead of exhausting the machine.
GROWTH_MEMORY_LIMIT = 16 * 1024**3
BEGIN = "<!-- results: written by bench/run.py -->"
END = "<!-- /results -->"


@dataclass
class Measure:
    wall: float
    cpu: float
    peak_mb: float
    stderr: str = ""
    returncode: int = 0


@dataclass
class Series:
    name: str
    what: str
    measures: list[Measure] = field(default_factory=list)
    # The data part of a datavalley run (ingest, indicators, CSV, Parquet, catalog), from the
    # run's JSON summary.
    data_seconds: list[float] = field(default_factory=list)

    def median(self, attribute: str) -> float:
        return statistics.median(getattr(m, attribute) for m in self.measures)


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


@dataclass
class Inputs:
    """The national pipeline's inputs, read from its own file so the peers read the same."""

    comuni: Path
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


def interleaved(series: list[tuple[Series, list[str]]], rounds: int, warmup: int,
                after_warmup) -> None:
    for round_number in range(warmup + rounds):
        for entry, command in series:
            result = measure(command)
            if entry.name.startswith("datavalley"):
                fields = summary_of(result.stderr)
                data = fields.get("seconds_at", {}).get("data")
            else:
                data = None
            if round_number >= warmup:
                entry.measures.append(result)
                if data is not None:
                    entry.data_seconds.append(data)
            print(
                f"  round {round_number + 1}/{warmup + rounds} {entry.name}: "
                f"{result.wall:.2f} s wall, {result.cpu:.2f} s CPU, {result.peak_mb:.0f} MB",
                flush=True,
            )
        if round_number == warmup - 1:
            after_warmup()


def grown_pipeline(work: Path, factor: int, data: Path, python: str) -> Path:
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
    pipelines = folder / "pipelines"
    if pipelines.exists():
        shutil.rmtree(pipelines)
    shutil.copytree(REPO / "pipelines" / "catalog", pipelines / "catalog")
    (pipelines / "territori").mkdir(parents=True)
    shutil.copy(inputs / "territori" / "variazioni-codici.csv", pipelines / "territori")
    text = PIPELINE.read_text(encoding="utf-8").replace("../../shared/data/", f"{inputs}/")
    pipeline = pipelines / "italia.toml"
    pipeline.write_text(text, encoding="utf-8")
    return pipeline


def table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", required=True, type=Path, help="the datavalley release binary")
    parser.add_argument("--work", type=Path,
                        default=Path.home() / ".cache" / "datavalley" / "bench",
                        help="outputs and generated inputs (outside the clone)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--growth", default="1,10,100",
                        help="factors of the growth table, comma-separated; empty for none")
    parser.add_argument("--report", type=Path, default=REPO / "BENCHMARKS.md")
    args = parser.parse_args()

    data = (REPO / ".." / "shared" / "data").resolve()
    if not data.is_dir():
        sys.exit(f"bench: the national files are not at {data} (see README: Benchmarks)")
    binary = str(args.bin.resolve())
    python = sys.executable
    work = args.work
    work.mkdir(parents=True, exist_ok=True)
    inputs = Inputs.of(PIPELINE)
    out = work / "out"
    sample_out = work / "sample-out"
    peers = {name: work / name for name in ("pandas", "duckdb")}

    # The sample pipeline and the national one published once, so that reruns have nothing to do.
    measure([binary, "run", str(SAMPLE), "--output-dir", str(sample_out)])

    series = [
        (Series("datavalley", "`datavalley run pipelines/italia.toml --force`, end to end "
                "(ingest, indicators, CSV, Parquet, DCAT-AP_IT, every page)"),
         [binary, "--log-format", "json", "run", str(PIPELINE), "--output-dir", str(out),
          "--force"]),
        (Series("pandas", "bench/peers/pandas_italia.py: same ingest and indicators, CSV and "
                "Parquet"),
         [python, str(REPO / "bench/peers/pandas_italia.py"),
          *inputs.peer_arguments(peers["pandas"])]),
        (Series("duckdb", "bench/peers/duckdb_italia.py: same, in DuckDB SQL"),
         [python, str(REPO / "bench/peers/duckdb_italia.py"),
          *inputs.peer_arguments(peers["duckdb"])]),
        (Series("datavalley no change", "`datavalley run pipelines/italia.toml`, nothing changed"),
         [binary, "--log-format", "json", "run", str(PIPELINE), "--output-dir", str(out)]),
        (Series("sample no change", "`datavalley run pipelines/val-d-enza.toml`, nothing changed"),
         [binary, "--log-format", "json", "run", str(SAMPLE), "--output-dir", str(sample_out)]),
        (Series("cat", "`cat` of every input file to /dev/null: the I/O floor"),
         ["cat", *map(str, inputs.files())]),
        (Series("polars scan", "bench/floor_polars.py: every input CSV parsed by polars, "
                "nothing computed"),
         [python, str(REPO / "bench/floor_polars.py"), *map(str, inputs.files())]),
    ]

    def check_agreement() -> None:
        command = [python, str(REPO / "bench/compare.py"),
                   str(out / "italia/current/data/indicatori.csv"),
                   *(str(peers[name] / "indicatori.csv") for name in ("pandas", "duckdb"))]
        result = subprocess.run(command, capture_output=True, text=True)
        print(result.stdout, end="")
        if result.returncode != 0:
            sys.exit(f"bench: the implementations disagree; no time is reported\n{result.stderr}")

    print(f"national pipeline: {args.warmup} warm-up round, {args.runs} measured rounds",
          flush=True)
    interleaved(series, args.runs, args.warmup, check_agreement)
    check_agreement()

    growth = []
    factors = [int(f) for f in args.growth.split(",") if f.strip()]
    for factor in factors:
        pipeline = grown_pipeline(work, factor, data, python)
        grown_out = work / f"grow-{factor}" / "out"
        if grown_out.exists():
            shutil.rmtree(grown_out)
        runs = 3 if factor == 1 else 1
        results = []
        for run in range(runs):
            result = measure([binary, "--log-format", "json", "run", str(pipeline),
                              "--output-dir", str(grown_out), "--force"],
                             memory_limit=GROWTH_MEMORY_LIMIT, may_fail=True)
            fields = summary_of(result.stderr) if result.returncode == 0 else {}
            results.append((result, fields))
            outcome = (f"{fields.get('rows_in')} rows in" if result.returncode == 0 else
                       f"failed with exit {result.returncode}: {result.stderr.strip()[-300:]}")
            print(f"  growth {factor}x run {run + 1}/{runs}: {result.wall:.2f} s wall, "
                  f"{result.peak_mb:.0f} MB, {outcome}", flush=True)
            if result.returncode != 0:
                failure = work / f"grow-{factor}" / "failure.log"
                failure.write_text(result.stderr, encoding="utf-8")
                print(f"  the run's log is in {failure}", flush=True)
                break
        # The outputs of 100x are tens of gigabytes: measured, then removed.
        if grown_out.exists():
            shutil.rmtree(grown_out)
        growth.append((factor, results))

    write_report(args.report, series, growth)


def write_report(path: Path, series, growth) -> None:
    by_name = {entry.name: entry for entry, _ in series}
    dv = by_name["datavalley"]
    lines = [BEGIN, "", *machine(), ""]
    lines += ["### The national pipeline", ""]
    rows = []
    for entry, _ in series:
        rows.append([
            entry.name,
            f"{entry.median('wall'):.2f}",
            f"{entry.median('cpu'):.2f}",
            f"{entry.median('peak_mb'):.0f}",
            str(len(entry.measures)),
            entry.what,
        ])
    lines += table(["run", "median wall (s)", "median CPU (s)", "median peak memory (MB)",
                    "runs", "what"], rows)
    data_part = statistics.median(dv.data_seconds)
    pandas, duckdb = by_name["pandas"].median("wall"), by_name["duckdb"].median("wall")
    lines += ["", "### The data part against the peers", ""]
    lines += table(
        ["", "median wall (s)", "datavalley is faster by"],
        [
            ["datavalley, data part (until CSV, Parquet and catalog are written)",
             f"{data_part:.2f}", ""],
            ["pandas", f"{pandas:.2f}", f"{pandas / data_part:.1f}x"],
            ["DuckDB", f"{duckdb:.2f}", f"{duckdb / data_part:.1f}x"],
        ],
    )
    lines += [
        "",
        "The data part is read from each run's JSON summary (`seconds_at.data`: seconds from "
        "the start of the run until the CSV, Parquet, catalog and data package files are "
        "written); pages follow. The three implementations' indicator tables agreed to 1e-9 "
        "(bench/compare.py) before any time was reported.",
        "",
        "### Targets",
        "",
    ]
    no_change = by_name["datavalley no change"].median("wall")
    sample = by_name["sample no change"].median("wall")
    targets = [
        ("national pipeline end to end, all pages", "< 10 s", dv.median("wall"),
         dv.median("wall") < 10),
        ("data part against pandas", ">= 3x faster", pandas / data_part, pandas / data_part >= 3),
        ("data part against DuckDB", ">= 1x (no slower)", duckdb / data_part,
         duckdb / data_part >= 1),
        ("national no-change rerun", "< 1 s", no_change, no_change < 1),
        ("sample no-change rerun", "< 0.2 s", sample, sample < 0.2),
        ("peak memory at 1x", "< 1024 MB", dv.median("peak_mb"), dv.median("peak_mb") < 1024),
    ]
    lines += table(["target", "goal", "measured", "met"],
                   [[name, goal, f"{value:.2f}", "yes" if met else "**no**"]
                    for name, goal, value, met in targets])
    if growth:
        lines += ["", "### Growth", ""]
        base_results = [r for r, _ in growth[0][1] if r.returncode == 0]
        base = statistics.median(r.wall for r in base_results) if base_results else None
        rows = []
        for factor, results in growth:
            done = [(r, f) for r, f in results if r.returncode == 0]
            if not done:
                failed = results[-1][0]
                rows.append([f"{factor}x", "", f"did not finish ({failed.wall:.0f} s)", "", "",
                             f"> {GROWTH_MEMORY_LIMIT // 1024**3} GiB address space"
                             if "memory" in failed.stderr.lower() or failed.returncode < 0
                             else f"exit {failed.returncode}", "", str(len(results))])
                continue
            wall = statistics.median(r.wall for r, _ in done)
            data_part = statistics.median(f.get("seconds_at", {}).get("data", 0) for _, f in done)
            per_unit = f"{wall / base / factor * growth[0][0]:.2f}" if base else ""
            rows.append([
                f"{factor}x",
                str(done[0][1].get("rows_in")),
                f"{wall:.2f}",
                f"{data_part:.2f}",
                f"{statistics.median(r.cpu for r, _ in done):.2f}",
                f"{max(r.peak_mb for r, _ in done):.0f}",
                per_unit,
                str(len(done)),
            ])
        lines += table(["inputs", "rows in", "median wall (s)", "data part (s)",
                        "median CPU (s)", "peak memory (MB)", "time per unit of input vs 1x",
                        "runs"], rows)
    lines += ["", END]
    text = path.read_text(encoding="utf-8") if path.exists() else f"{BEGIN}\n{END}\n"
    if BEGIN not in text or END not in text:
        text = text.rstrip("\n") + f"\n\n{BEGIN}\n{END}\n"
    before, rest = text.split(BEGIN, 1)
    _, after = rest.split(END, 1)
    path.write_text(before + "\n".join(lines) + after, encoding="utf-8")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
