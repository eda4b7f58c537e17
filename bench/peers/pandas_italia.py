"""The national pipeline (pipelines/italia.toml) as a data officer would write it in pandas.

Reads the raw national files (ISTAT list of comuni, ISTAT population 2021, the table of code
changes, the PA digitale 2026 funded-project files), computes the PA digitale indicators of
pipelines/catalog/padigitale2026.toml for every comune, declared union, province, region and
Italy, and writes DIR/indicatori.csv and DIR/indicatori.parquet with the columns territory,
level, indicator, period, value, numerator, denominator, province, province_value, region,
region_value.

    python bench/peers/pandas_italia.py --comuni ELENCO.csv --population POP.csv \
        --code-changes variazioni-codici.csv --padigitale F1.csv F2.csv ... \
        --union val_d_enza=035004,035010,... --out DIR

The semantics are datavalley's: only the comuni's own applications count (status A or E
funded, R renounced); a comune without rows has 0; codes of comuni that changed are brought to
the list's and their values summed, unknown codes left out; aggregates are summed from their
comuni, numerators and denominators apart; an aggregate with a comune lacking population gets
no ratio; values are rounded to the indicator's decimals half away from zero, numerators and
denominators to 6 decimals.
"""

import csv
import sys

import numpy as np
import pandas as pd

sys.dont_write_bytecode = True  # importing common.py leaves no __pycache__ in the work tree
from common import parse_args  # noqa: E402

# The measures open to comuni (the denominator of pnrr_measures_adopted_pct); platforms within
# 1.4.3 and 1.4.4 are recognised from the call's title (first match wins).
COMUNE_MEASURES = ["1.2", "1.3.1", "1.4.1", "1.4.3", "1.4.4", "1.4.5"]
PLATFORMS = [
    ("pagopa", ["pagopa"]),
    ("app_io", ["app io", "appio"]),
    ("spid_cie", ["spid", "cie"]),
    ("anpr_ansc", ["anpr", "ansc"]),
]
PADIGITALE_COLUMNS = {
    "codice_ipa", "tipologia_ente", "cod_comune", "importo_finanziamento", "avviso",
    "stato_candidatura", "misura", "data_finanziamento", "data_stato_candidatura",
}
LEVELS = ["comune", "union", "province", "region", "italy"]
CHALLENGE = {
    "pnrr_funding": 3, "pnrr_funding_per_resident": 3, "pnrr_projects": 3,
    "pnrr_measures_adopted_pct": 3, "pnrr_funding_renounced": 3,
    "pnrr_comuni_pagopa_pct": 5, "pnrr_comuni_app_io_pct": 5,
    "pnrr_comuni_spid_cie_pct": 5, "pnrr_comuni_notifications_pct": 5,
}
ISO_DATE = r"\d{4}-\d{2}-\d{2}"


def normalize_header(header: str) -> str:
    return " ".join(header.split()).lower()


def header(path) -> list[str]:
    """The header of a CSV file, to read only the columns needed of layouts that differ."""
    with open(path, encoding="utf-8-sig", newline="") as file:
        return next(csv.reader(file))


def round_half_away(values: pd.Series, decimals: int) -> pd.Series:
    """Rounds half away from zero, as printed figures are, not to even as numpy does. The
    figures are decimal: binary noise is cleared first by keeping 12 significant digits, so
    that 187053.8 / 40 = 4676.345 is a tie (4676.35) and not 4676.344999999999."""
    magnitude = np.floor(np.log10(values.abs().where(values != 0, 1.0)))
    significant = 10.0 ** (11 - magnitude)
    values = np.round(values * significant) / significant
    scaled = values * 10.0**decimals
    truncated = np.trunc(scaled)
    away = truncated + np.sign(scaled)
    rounded = np.where((scaled - truncated).abs() >= 0.5, away, truncated)
    return pd.Series(rounded, index=values.index) / 10.0**decimals


def per_value(column: pd.Series, transform) -> pd.Series:
    """A text operation done once per distinct value of a categorical column."""
    return column.map(transform(column.cat.categories.to_series()))


def measure_number(text: pd.Series) -> pd.Series:
    """"1.4.3 - pagoPA - Comuni" -> "1.4.3"; NaN where the text does not start with one."""
    number = text.str.replace(r"(?s)^\s*([0-9.]*).*$", r"\1", regex=True).str.rstrip(".")
    return number.where(number.str.fullmatch(r"\d+(?:\.\d+)+", na=False))


def read_comuni(path) -> pd.DataFrame:
    raw = pd.read_csv(path, sep=";", encoding="cp1252", dtype=str, keep_default_na=False)
    headers = {normalize_header(h): h for h in raw.columns}

    def column(prefix: str) -> pd.Series:
        name = next(h for n, h in headers.items() if n.startswith(prefix))
        return raw[name].str.strip()

    comuni = pd.DataFrame({
        "comune": column("codice comune formato alfanumerico"),
        "province": column("codice provincia (storico)"),
        "region": column("codice regione"),
    })
    # Provinces and regions are told apart from comuni by their shorter codes.
    valid = (
        comuni["comune"].str.fullmatch(r"\d{6}")
        & comuni["province"].str.fullmatch(r"\d{3,5}")
        & comuni["region"].str.fullmatch(r"\d{2,4}")
    )
    return comuni[valid]


def code_map(changes_path, comuni: pd.DataFrame) -> pd.Series:
    """Code in the data -> code of the list: a listed code is itself, an old code goes forward
    to its only new code in the list, a new code back to its only old code the list still has.
    Codes missing from the index are unknown."""
    changes = pd.read_csv(
        changes_path, dtype=str, keep_default_na=False, usecols=["old_code", "new_code"]
    ).apply(lambda c: c.str.strip())
    changes = changes[changes.apply(lambda c: c.str.fullmatch(r"\d{6}")).all(axis=1)]
    listed = comuni[["comune"]]
    forward = changes.merge(listed, left_on="new_code", right_on="comune")
    forward = forward.drop_duplicates("old_code", keep=False).set_index("old_code")["comune"]
    backward = changes.merge(listed, left_on="old_code", right_on="comune")
    backward = backward.drop_duplicates("new_code", keep=False).set_index("new_code")["comune"]
    itself = listed.set_index(listed["comune"])["comune"]
    mapping = pd.concat([backward, forward, itself])
    return mapping[~mapping.index.duplicated(keep="last")]


def read_population(path, codes: pd.Series) -> pd.Series:
    population = pd.read_csv(
        path, engine="pyarrow", dtype={"pro_com_t": str}, usecols=["pro_com_t", "totale"]
    )
    code = population["pro_com_t"].str.strip()
    population = population[code.str.fullmatch(r"\d{1,6}")]
    population["comune"] = code.str.zfill(6).map(codes)
    dropped = population["comune"].isna().sum()
    if dropped:
        print(f"population: {dropped} codes not in the list of comuni left out", file=sys.stderr)
    # Comuni merged since 2021 get the sum of their former comuni.
    return population.groupby("comune")["totale"].sum()


def read_padigitale(paths) -> tuple[pd.DataFrame, str]:
    """The applications that can be placed (an amount, a status, a measure, a comune code),
    with what the indicators need of them; and the latest date in them."""
    frames = []
    for path in paths:
        frame = pd.read_csv(
            path,
            engine="pyarrow",
            dtype=str,
            keep_default_na=False,
            na_values=[""],
            usecols=[h for h in header(path) if normalize_header(h) in PADIGITALE_COLUMNS],
        )
        frames.append(frame.rename(columns=normalize_header))
    # Columns differ between files and years: those a file lacks are NaN.
    projects = pd.concat(frames, ignore_index=True)
    for name in PADIGITALE_COLUMNS - set(projects.columns):
        projects[name] = pd.Series(pd.NA, index=projects.index, dtype="str")
    # Calls, measures, body types, statuses and dates repeat: text operations run once per
    # distinct value.
    for name in PADIGITALE_COLUMNS - {"cod_comune", "importo_finanziamento", "codice_ipa"}:
        projects[name] = projects[name].astype("category")
    amount = pd.to_numeric(projects["importo_finanziamento"].str.strip(), errors="coerce")
    code = projects["cod_comune"].str.strip()
    status = per_value(projects["stato_candidatura"], lambda s: s.str.strip())
    measure = per_value(projects["misura"], measure_number).astype("str").fillna(
        per_value(projects["avviso"], measure_number).astype("str")
    )
    usable = (
        (amount >= 0)
        & np.isfinite(amount)
        & status.isin(["A", "R", "E"])
        & measure.notna()
        & code.str.fullmatch(r"\d{6}", na=False)
    )
    projects = projects[usable]
    measure = measure[usable]
    kind = per_value(projects["tipologia_ente"], lambda s: s.str.strip().replace("", pd.NA))
    platform = np.select(
        [projects["avviso"].str.contains("|".join(words), case=False, regex=True, na=False)
         for _, words in PLATFORMS],
        [name for name, _ in PLATFORMS],
        default="",
    )
    dates = pd.concat([
        pd.Series(projects["data_finanziamento"].unique(), dtype="str").str.strip(),
        pd.Series(projects["data_stato_candidatura"].unique(), dtype="str").str.strip().str[:10],
    ])
    # The pipeline dates a snapshot by its month (`snapshot = "month"`): the month of the
    # latest date in the files.
    period = dates[dates.str.fullmatch(ISO_DATE, na=False)].max()[:7]
    lean = pd.DataFrame({
        "code": code[usable],
        "amount": amount[usable],
        "measure": measure,
        "platform": np.where(measure.isin(["1.4.3", "1.4.4"]), platform, ""),
        "funded": status[usable] != "R",
        "comune_body": kind.isin(["Comune", "Comuni"]).where(
            kind.notna(), projects["codice_ipa"].str.strip().str.startswith("c_", na=False)
        ).astype(bool),
    })
    return lean, period


def per_comune(projects: pd.DataFrame, codes: pd.Series) -> pd.DataFrame:
    """Funding, renounced funding, projects and adopted measures of each comune's own
    applications, by the code in the files, then summed into the list's codes."""
    own = projects[projects["comune_body"]]
    funded = own["funded"]
    own = own.assign(
        funded_amount=own["amount"].where(funded, 0.0),
        renounced_amount=own["amount"].where(~funded, 0.0),
    )
    totals = own.groupby("code").agg(
        funding=("funded_amount", "sum"),
        renounced=("renounced_amount", "sum"),
        projects=("funded", "sum"),
    )
    # Amounts are in euro and cents: the sums are brought back to cents.
    totals["funding"] = round_half_away(totals["funding"], 2)
    totals["renounced"] = round_half_away(totals["renounced"], 2)
    adopted = own[funded]
    measures = adopted.groupby(["code", "measure"]).size().unstack(fill_value=0).gt(0)
    measures = measures.reindex(columns=COMUNE_MEASURES, fill_value=False)
    totals["measures_adopted"] = measures.reindex(totals.index, fill_value=False).sum(axis=1)
    platforms = adopted.groupby(["code", "platform"]).size().unstack(fill_value=0).gt(0)
    for name in ["pagopa", "app_io", "spid_cie"]:
        flag = platforms[name] if name in platforms else pd.Series(False, index=platforms.index)
        totals[name] = flag.reindex(totals.index, fill_value=False).astype(int)
    notifications = measures["1.4.5"].reindex(totals.index, fill_value=False)
    totals["digital_notifications"] = notifications.astype(int)
    totals["projects"] = totals["projects"].astype(float)
    totals["comune"] = totals.index.map(codes)
    unknown = totals["comune"].isna()
    if unknown.any():
        left_out = ", ".join(totals.index[unknown])
        print(f"padigitale: codes not in the list of comuni left out: {left_out}", file=sys.stderr)
    totals = totals[~unknown]
    # Applications filed under a former code count for the comune of the list: amounts and
    # projects are summed, a platform is adopted when either code adopted it, and a measure
    # adopted under both codes counts once.
    merged = totals.groupby("comune").agg(
        funding=("funding", "sum"),
        renounced=("renounced", "sum"),
        projects=("projects", "sum"),
        pagopa=("pagopa", "max"),
        app_io=("app_io", "max"),
        spid_cie=("spid_cie", "max"),
        digital_notifications=("digital_notifications", "max"),
    )
    by_comune = measures.reindex(totals.index, fill_value=False).groupby(totals["comune"]).max()
    merged["measures_adopted"] = by_comune.sum(axis=1).reindex(merged.index, fill_value=0)
    return merged


def main() -> None:
    args = parse_args(__doc__.splitlines()[0])
    comuni = read_comuni(args.comuni)
    listed = set(comuni["comune"])
    for union, members in args.unions.items():
        missing = [m for m in members if m not in listed]
        if missing:
            sys.exit(f"union {union} lists {', '.join(missing)}, not in the list of comuni")
    codes = code_map(args.code_changes, comuni)
    population = read_population(args.population, codes)
    projects, period = read_padigitale(args.padigitale)
    totals = per_comune(projects, codes)

    # Every comune of the list: no row in the files means no funding; population may be missing.
    measures = ["funding", "renounced", "projects", "measures_adopted",
                "pagopa", "app_io", "spid_cie", "digital_notifications"]
    comuni = comuni.set_index("comune")
    values = totals[measures].reindex(comuni.index, fill_value=0)
    values["measures_open"] = float(len(COMUNE_MEASURES))
    values["population"] = population.reindex(comuni.index)

    # Membership of every aggregate: union, province, region, Italy.
    membership = pd.concat([
        pd.DataFrame({"territory": comuni["province"], "level": "province"}),
        pd.DataFrame({"territory": comuni["region"], "level": "region"}),
        pd.DataFrame({"territory": "IT", "level": "italy"}, index=comuni.index),
        *(
            pd.DataFrame({"territory": union, "level": "union"}, index=pd.Index(members))
            for union, members in args.unions.items()
        ),
    ]).rename_axis("comune")
    members = membership.join(values)
    flags = ["pagopa", "app_io", "spid_cie", "digital_notifications"]
    members[flags] = members[flags].ge(1)
    aggregates = members.groupby(["territory", "level"]).agg(
        **{m: (m, "sum") for m in measures + ["measures_open"]},
        population=("population", "sum"),
        population_have=("population", "count"),
        comuni=("population", "size"),
    )
    aggregates.loc[aggregates["population_have"] < aggregates["comuni"], "population"] = np.nan
    aggregates = aggregates.reset_index()

    # The province and region a territory is compared with.
    union_parent = membership[membership["level"] == "union"].join(comuni).groupby("territory").agg(
        province=("province", lambda s: s.iloc[0] if s.nunique() == 1 else None),
        region=("region", lambda s: s.iloc[0] if s.nunique() == 1 else None),
    )
    province_region = comuni.drop_duplicates("province").set_index("province")["region"]
    aggregates["province"] = aggregates["territory"].map(union_parent["province"]).where(
        aggregates["level"] == "union"
    )
    aggregates["region"] = aggregates["territory"].map(union_parent["region"]).where(
        aggregates["level"] == "union",
        aggregates["territory"].map(province_region).where(aggregates["level"] == "province"),
    )
    territories = pd.concat([
        values.join(comuni).rename_axis("territory").reset_index().assign(level="comune"),
        aggregates,
    ], ignore_index=True)
    is_comune = territories["level"] == "comune"

    def rows(name, frame, value, decimals, numerator=None, denominator=None):
        def exact(part):
            return None if part is None else round_half_away(part[frame.index], 6)

        return pd.DataFrame({
            "territory": frame["territory"],
            "level": frame["level"],
            "indicator": name,
            "value": round_half_away(value[frame.index], decimals),
            "numerator": exact(numerator),
            "denominator": exact(denominator),
            "province": frame["province"],
            "region": frame["region"],
        })

    t = territories
    with_population = t[t["population"].notna() & (t["population"] != 0)]
    aggregate = t[~is_comune]
    parts = [
        rows("pnrr_funding", t, t["funding"], 0),
        rows("pnrr_projects", t, t["projects"], 0),
        rows("pnrr_funding_renounced", t, t["renounced"], 0),
        rows("pnrr_funding_per_resident", with_population, t["funding"] / t["population"] * 1.0, 2,
             t["funding"], t["population"]),
        rows("pnrr_measures_adopted_pct", t, t["measures_adopted"] / t["measures_open"] * 100.0, 0,
             t["measures_adopted"], t["measures_open"]),
    ]
    for name, flag in [("pnrr_comuni_pagopa_pct", "pagopa"), ("pnrr_comuni_app_io_pct", "app_io"),
                       ("pnrr_comuni_spid_cie_pct", "spid_cie"),
                       ("pnrr_comuni_notifications_pct", "digital_notifications")]:
        parts.append(rows(name, aggregate, t[flag] / t["comuni"] * 100.0, 0, t[flag], t["comuni"]))
    table = pd.concat(parts, ignore_index=True)
    table.insert(3, "period", period)

    # Benchmarks: the value of the territory's province and region, for the indicators that
    # declare them, where those have a value.
    compared = table["indicator"].isin([
        "pnrr_funding_per_resident", "pnrr_measures_adopted_pct", "pnrr_comuni_pagopa_pct",
        "pnrr_comuni_app_io_pct", "pnrr_comuni_spid_cie_pct", "pnrr_comuni_notifications_pct",
    ])
    lookup = table.set_index(["territory", "indicator"])["value"]
    for level in ["province", "region"]:
        key = pd.MultiIndex.from_arrays([table[level], table["indicator"]])
        benchmark = pd.Series(lookup.reindex(key).to_numpy(), index=table.index).where(compared)
        table[f"{level}_value"] = benchmark
        table[level] = table[level].where(benchmark.notna())
    table = table[["territory", "level", "indicator", "period", "value", "numerator", "denominator",
                   "province", "province_value", "region", "region_value"]]
    table["challenge"] = table["indicator"].map(CHALLENGE)
    table["level_order"] = table["level"].map(LEVELS.index)
    table = table.sort_values(["challenge", "indicator", "level_order", "territory"]).drop(
        columns=["challenge", "level_order"]
    )
    table.to_csv(args.out / "indicatori.csv", index=False)
    table.to_parquet(args.out / "indicatori.parquet", index=False)


if __name__ == "__main__":
    main()
