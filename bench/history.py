"""The history benchmark behind `make bench`: a year of nightly national releases. The national
pipeline runs 365 times, one synthetic day after another, each night with a new PA digitale
snapshot: its reference date moves on by a day (`period` is set to the night's date, which the
pipeline's `snapshot = "month"` dates by its month) and the funding of 100 applications of
measure 1.4.5, drawn anew each night, changes. So every night revises values of the month, and
every month adds a period of every PA digitale indicator for every territory.

Reported: the history's size on disk after 365 releases; the whole-process time of a run
with nothing to do (inputs unchanged) on the first night and after the year; and the cost of
the history in a run with changed inputs: the same run (the next night's snapshot) on the
output folder with the year's history and on a copy of it without a history, interleaved, with
the runs' own split between the data part and the pages. Every command runs as a whole process (bench/run.py's `measure`).

The results replace the part of BENCHMARKS.md between the history markers.
"""

from __future__ import annotations

import argparse
import datetime
import re
import shutil
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import PIPELINE, REPO, machine, measure, summary_of, table  # noqa: E402

BEGIN = "<!-- history results: written by bench/history.py -->"
END = "<!-- /history results -->"
FIRST_NIGHT = datetime.datetime(2026, 1, 1, 3, 15, tzinfo=datetime.timezone.utc)


def pipeline_for(work: Path, data: Path) -> Path:
    """The national pipeline with absolute data paths, in its own folder."""
    folder = work / "pipelines"
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(REPO / "pipelines", folder)
    text = PIPELINE.read_text(encoding="utf-8").replace("../../shared/data/", f"{data}/")
    text = text.replace(f"{data}/padigitale2026/candidature_finanziate_145.csv",
                        str(work / "candidature_finanziate_145.csv"))
    pipeline = folder / "italia.toml"
    pipeline.write_text(text, encoding="utf-8")
    return pipeline


def new_snapshot(original: Path, snapshot: Path, night: int) -> None:
    """The night's file of measure 1.4.5: the original with 100 applications' funding changed."""
    import csv
    import random

    with original.open(newline="", encoding="utf-8") as source:
        rows = list(csv.reader(source))
    header, body = rows[0], rows[1:]
    amount = header.index("importo_finanziamento")
    for index in random.Random(night).sample(range(len(body)), 100):
        if body[index][amount]:
            body[index][amount] = f"{float(body[index][amount]) + night + 1:.1f}"
    with snapshot.open("w", newline="", encoding="utf-8") as target:
        csv.writer(target).writerows([header, *body])


def set_snapshot_date(pipeline: Path, day: datetime.date) -> None:
    """Dates the PA digitale snapshot by `day`, as a new file of that day would be."""
    text = pipeline.read_text(encoding="utf-8")
    text = re.sub(r'\nperiod = "\d{4}-\d{2}-\d{2}"\n', "\n", text)
    text = text.replace(
        '[source.pnrr.padigitale]\n', f'[source.pnrr.padigitale]\nperiod = "{day.isoformat()}"\n', 1
    )
    pipeline.write_text(text, encoding="utf-8")


def run(binary: Path, pipeline: Path, output: Path, at: datetime.datetime):
    stamp = at.strftime("%Y-%m-%dT%H:%M:%SZ")
    return measure([str(binary), "--log-format", "json", "run", str(pipeline), "--output-dir",
                    str(output), "--run-time", stamp], cwd=pipeline.parent.parent)


def phases(measures) -> tuple[float, float]:
    """Median seconds of the data part after the indicators (the history step, the data files
    and the catalog) and of the pages, from the runs' own summaries."""
    data, pages = [], []
    for m in measures:
        at = summary_of(m.stderr).get("seconds_at", {})
        data.append(at["data"] - at["compute"])
        pages.append(at["pages"] - at["data"])
    return statistics.median(data), statistics.median(pages)


def size_of(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", required=True, type=Path, help="the datavalley release binary")
    parser.add_argument("--work", type=Path,
                        default=Path.home() / ".cache" / "datavalley" / "bench-history")
    parser.add_argument("--nights", type=int, default=365)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--report", type=Path, default=REPO / "BENCHMARKS.md")
    args = parser.parse_args()
    data = (REPO / ".." / "shared" / "data").resolve()
    if not data.is_dir():
        sys.exit(f"bench: {data} not found: the history benchmark reads the national files")
    if args.work.exists():
        shutil.rmtree(args.work)
    args.work.mkdir(parents=True)
    pipeline = pipeline_for(args.work, data)
    output = args.work / "out"
    history = output / "italia" / "history"

    nights = []
    original = data / "padigitale2026" / "candidature_finanziate_145.csv"
    snapshot = args.work / "candidature_finanziate_145.csv"
    for night in range(args.nights):
        at = FIRST_NIGHT + datetime.timedelta(days=night)
        new_snapshot(original, snapshot, night)
        set_snapshot_date(pipeline, at.date())
        result = run(args.bin, pipeline, output, at)
        nights.append(result)
        if night == 0:
            unchanged_first = [run(args.bin, pipeline, output, at + datetime.timedelta(minutes=m))
                               for m in range(1, args.rounds + 1)]
        if night % 30 == 0 or night == args.nights - 1:
            print(f"night {night + 1}: {result.wall:.2f} s, {result.peak_mb:.0f} MB peak, "
                  f"history {size_of(history) / 1e6:.1f} MB", flush=True)
    last = FIRST_NIGHT + datetime.timedelta(days=args.nights - 1)
    history_bytes = size_of(history)
    segments = len(list(history.glob("*.parquet")))
    unchanged_last = [run(args.bin, pipeline, output, last + datetime.timedelta(minutes=m))
                      for m in range(1, args.rounds + 1)]

    # The same changed-input run with the year's history and with none before it (the history
    # the pipeline would have had, had it started recording that night).
    short = args.work / "out-short"
    shutil.copytree(output, short, symlinks=True)
    shutil.rmtree(short / "italia" / "history")
    with_year, with_one = [], []
    # A first round warms both folders' files up and is not counted.
    for round_number in range(args.rounds + 1):
        at = last + datetime.timedelta(days=round_number + 1)
        new_snapshot(original, snapshot, args.nights + round_number)
        set_snapshot_date(pipeline, at.date())
        year_run, one_run = run(args.bin, pipeline, output, at), run(args.bin, pipeline, short, at)
        if round_number > 0:
            with_year.append(year_run)
            with_one.append(one_run)

    write_report(args.report, args.nights, history_bytes, segments, nights, unchanged_first,
                 unchanged_last, with_year, with_one)


def median_wall(measures) -> float:
    return statistics.median(m.wall for m in measures)


def write_report(path: Path, nights_count, history_bytes, segments, nights, unchanged_first,
                 unchanged_last, with_year, with_one) -> None:
    year, one = median_wall(with_year), median_wall(with_one)
    (year_data, year_pages), (one_data, one_pages) = phases(with_year), phases(with_one)
    lines = [BEGIN, "", *machine(), ""]
    lines += [f"### A year of nightly national releases ({nights_count} nights)", ""]
    lines += table(["", "figure", "target"], [
        ["history on disk after the year", f"{history_bytes / 1e6:.1f} MB in {segments} segments",
         "under 100 MB"],
        ["run with nothing to do, first night (median wall)",
         f"{median_wall(unchanged_first):.2f} s", ""],
        ["run with nothing to do, after the year (median wall)",
         f"{median_wall(unchanged_last):.2f} s", "under 1 s"],
        ["changed-input run with the year's history (median wall)", f"{year:.2f} s", ""],
        ["the same run starting a new history (median wall)", f"{one:.2f} s", ""],
        ["extra cost of the year's history", f"{(year - one) / one * 100:.1f}% of the run",
         "under 10%"],
        ["of which: history, data files and catalog (year / new)",
         f"{year_data:.2f} s / {one_data:.2f} s", ""],
        ["of which: pages, with a line chart per indicator and period series (year / new)",
         f"{year_pages:.2f} s / {one_pages:.2f} s", ""],
        ["peak memory with the year's history / a new one",
         f"{statistics.median(m.peak_mb for m in with_year):.0f} MB / "
         f"{statistics.median(m.peak_mb for m in with_one):.0f} MB", ""],
    ])
    walls = [m.wall for m in nights]
    lines += ["", "Whole-process wall time of the nightly runs, by month of the year:", ""]
    rows = []
    for start in range(0, len(walls), 30):
        chunk = walls[start:start + 30]
        rows.append([f"nights {start + 1}-{start + len(chunk)}", f"{statistics.median(chunk):.2f}",
                     f"{max(chunk):.2f}"])
    lines += table(["", "median wall (s)", "slowest (s)"], rows)
    lines += ["", END]
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    block = "\n".join(lines)
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        text = head + block + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n## History\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
