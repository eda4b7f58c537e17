"""The national pipeline (pipelines/italia.toml) as a data officer would write it in DuckDB SQL.

Reads the raw national files with read_csv (ISTAT list of comuni, ISTAT population 2021, the
table of code changes, the PA digitale 2026 funded-project files), computes the PA digitale
indicators of pipelines/catalog/padigitale2026.toml for every comune, declared union,
province, region and Italy, and writes DIR/indicatori.csv and DIR/indicatori.parquet with the
columns territory, level, indicator, period, value, numerator, denominator, province,
province_value, region, region_value.

    python bench/peers/duckdb_italia.py --comuni ELENCO.csv --population POP.csv \
        --code-changes variazioni-codici.csv --padigitale F1.csv F2.csv ... \
        --union val_d_enza=035004,035010,... --out DIR

DuckDB's CSV reader knows UTF-8, UTF-16 and Latin-1 only (Windows-1252 needs the `encodings`
extension, downloaded at run time): the list of comuni is decoded by Python into a temporary
UTF-8 copy first, as one would with iconv. Amounts are summed as DECIMAL, exactly.
The semantics are datavalley's, as in bench/peers/pandas_italia.py.

Under a cap on address space (bench/run.py runs every contender under one), DuckDB is told to
keep within three quarters of it, as it is told a container's limit, so that it spills to disk
instead of failing an allocation: its own default is 80% of the machine's memory.
"""

import csv
import resource
import sys
import tempfile
from pathlib import Path

import duckdb

sys.dont_write_bytecode = True  # importing common.py leaves no __pycache__ in the work tree
from common import parse_args  # noqa: E402

COMPARED = [
    "pnrr_funding_per_resident", "pnrr_measures_adopted_pct", "pnrr_comuni_pagopa_pct",
    "pnrr_comuni_app_io_pct", "pnrr_comuni_spid_cie_pct", "pnrr_comuni_notifications_pct",
]
PADIGITALE_COLUMNS = [
    "codice_ipa", "tipologia_ente", "cod_comune", "importo_finanziamento", "avviso",
    "stato_candidatura", "misura", "data_finanziamento", "data_stato_candidatura",
]

SQL = r"""
-- Half away from zero, as printed figures are rounded. The figures are decimal: binary noise
-- is cleared first by keeping 12 significant digits, so that 187053.8 / 40 = 4676.345 is a tie.
CREATE MACRO significant(x) AS
    CASE WHEN x = 0 THEN x ELSE round(x, (11 - floor(log10(abs(x))))::INTEGER) END;
CREATE MACRO round_half_away(x, decimals) AS
    round(significant(x) * pow(10, decimals)) / pow(10, decimals);
-- "1.4.3 - pagoPA - Comuni" -> "1.4.3": the run of digits and dots the text starts with,
-- without trailing dots, when it is a measure number; else NULL.
CREATE MACRO measure_number(text) AS
    nullif(regexp_extract(trim(text), '^(\d+(?:\.\d+)+)\.*(?:[^0-9.]|$)', 1), '');
CREATE MACRO iso_date(text) AS CASE WHEN regexp_full_match(text, '\d{4}-\d{2}-\d{2}') THEN text END;

CREATE TABLE comuni AS
SELECT comune, province, region
FROM (
    SELECT trim(comune) AS comune, trim(province) AS province, trim(region) AS region
    FROM comuni_raw
)
-- Provinces and regions are told apart from comuni by their shorter codes.
WHERE regexp_full_match(comune, '\d{6}') AND regexp_full_match(province, '\d{3,5}')
  AND regexp_full_match(region, '\d{2,4}');

-- Codes in the data brought to the list's: an old code forward to its only new code in the
-- list, a new code back to the only old code the list still has.
CREATE TABLE changes AS
SELECT trim(old_code) AS old_code, trim(new_code) AS new_code
FROM changes_raw
WHERE regexp_full_match(trim(old_code), '\d{6}') AND regexp_full_match(trim(new_code), '\d{6}');
CREATE TABLE forward AS
SELECT old_code AS code, any_value(new_code) AS comune FROM changes
WHERE new_code IN (SELECT comune FROM comuni) GROUP BY old_code HAVING count(*) = 1;
CREATE TABLE backward AS
SELECT new_code AS code, any_value(old_code) AS comune FROM changes
WHERE old_code IN (SELECT comune FROM comuni) GROUP BY new_code HAVING count(*) = 1;

-- What a call tells, worked out once per distinct call: its measure (from `misura`, else from
-- the title) and, for 1.4.3 and 1.4.4, the platform its title names (first match wins).
CREATE TABLE calls AS
WITH distinct_calls AS (SELECT DISTINCT misura, avviso FROM padigitale_raw),
measures AS (
    SELECT misura, avviso, lower(avviso) AS title,
           coalesce(measure_number(misura), measure_number(avviso)) AS measure
    FROM distinct_calls
)
SELECT misura, avviso, measure,
    CASE WHEN measure IN ('1.4.3', '1.4.4') THEN
        CASE WHEN contains(title, 'pagopa') THEN 'pagopa'
             WHEN contains(title, 'app io') OR contains(title, 'appio') THEN 'app_io'
             WHEN contains(title, 'spid') OR contains(title, 'cie') THEN 'spid_cie'
             WHEN contains(title, 'anpr') OR contains(title, 'ansc') THEN 'anpr_ansc'
        END
    END AS platform
FROM measures;

-- The funded applications that can be placed: an amount, a status, a measure, a comune code.
CREATE TABLE projects AS
WITH typed AS (
    SELECT
        nullif(trim(codice_ipa), '') AS ipa,
        nullif(trim(tipologia_ente), '') AS kind,
        trim(cod_comune) AS code,
        TRY_CAST(trim(importo_finanziamento) AS DECIMAL(18, 6)) AS amount,
        trim(stato_candidatura) AS status,
        calls.measure,
        calls.platform,
        data_finanziamento,
        data_stato_candidatura
    FROM padigitale_raw
    JOIN calls
      ON calls.misura IS NOT DISTINCT FROM padigitale_raw.misura
     AND calls.avviso IS NOT DISTINCT FROM padigitale_raw.avviso
)
SELECT
    code, amount, measure, platform, data_finanziamento, data_stato_candidatura,
    status <> 'R' AS funded,
    CASE WHEN kind IS NOT NULL THEN kind IN ('Comune', 'Comuni')
         ELSE coalesce(starts_with(ipa, 'c_'), false) END AS comune_body
FROM typed
WHERE amount >= 0 AND status IN ('A', 'R', 'E') AND measure IS NOT NULL
  AND regexp_full_match(code, '\d{6}');

-- The pipeline dates a snapshot by its month (`snapshot = "month"`): the month of the latest
-- date in the files.
CREATE TABLE period AS
SELECT left(max(date), 7) AS period
FROM (
    SELECT DISTINCT iso_date(trim(data_finanziamento)) AS date FROM projects
    UNION SELECT DISTINCT iso_date(left(trim(data_stato_candidatura), 10)) FROM projects
);

-- Per comune, from its own applications only, by the code in the files; then summed into the
-- list's codes (applications filed under a former code count for the comune of the list).
CREATE TABLE pnrr_by_code AS
SELECT
    code,
    round(coalesce(sum(amount) FILTER (WHERE funded), 0), 2) AS funding,
    round(coalesce(sum(amount) FILTER (WHERE NOT funded), 0), 2) AS renounced,
    count(*) FILTER (WHERE funded) AS projects,
    coalesce(list_distinct(list(measure) FILTER (
        WHERE funded AND measure IN ('1.2', '1.3.1', '1.4.1', '1.4.3', '1.4.4', '1.4.5')
    )), []) AS measures,
    count(*) FILTER (WHERE funded AND platform = 'pagopa') > 0 AS pagopa,
    count(*) FILTER (WHERE funded AND platform = 'app_io') > 0 AS app_io,
    count(*) FILTER (WHERE funded AND platform = 'spid_cie') > 0 AS spid_cie,
    count(*) FILTER (WHERE funded AND measure = '1.4.5') > 0 AS digital_notifications
FROM projects
WHERE comune_body
GROUP BY code;

-- Population: codes without leading zeros.
CREATE TABLE population_by_code AS
SELECT lpad(trim(pro_com_t), 6, '0') AS code, CAST(totale AS DOUBLE) AS population
FROM population_raw
WHERE regexp_full_match(trim(pro_com_t), '\d{1,6}');

CREATE TABLE code_map AS
SELECT code, coalesce(k.comune, f.comune, b.comune) AS comune
FROM (SELECT code FROM population_by_code UNION SELECT code FROM pnrr_by_code) codes
LEFT JOIN comuni k ON k.comune = codes.code
LEFT JOIN forward f USING (code)
LEFT JOIN backward b USING (code);

-- Comuni merged since 2021 get the sum of their former comuni.
CREATE TABLE population AS
SELECT comune, sum(population) AS population
FROM population_by_code JOIN code_map USING (code)
WHERE comune IS NOT NULL
GROUP BY comune;

-- Applications filed under a former code count for the comune of the list: amounts and projects
-- are summed, a platform is adopted when either code adopted it, and a measure adopted under
-- both codes counts once.
CREATE TABLE pnrr AS
SELECT
    comune,
    sum(funding) AS funding,
    sum(renounced) AS renounced,
    sum(projects) AS projects,
    len(list_distinct(flatten(list(measures)))) AS measures_adopted,
    max(pagopa::INT) AS pagopa,
    max(app_io::INT) AS app_io,
    max(spid_cie::INT) AS spid_cie,
    max(digital_notifications::INT) AS digital_notifications
FROM pnrr_by_code JOIN code_map USING (code)
WHERE comune IS NOT NULL
GROUP BY comune;

-- Every comune of the list: no row in the files means no funding; population may be missing.
CREATE TABLE comune_values AS
SELECT
    c.comune, c.province, c.region,
    coalesce(p.funding, 0) AS funding,
    coalesce(p.renounced, 0) AS renounced,
    coalesce(p.projects, 0) AS projects,
    coalesce(p.measures_adopted, 0) AS measures_adopted,
    6 AS measures_open,  -- 1.2, 1.3.1, 1.4.1, 1.4.3, 1.4.4, 1.4.5
    coalesce(p.pagopa, 0) AS pagopa,
    coalesce(p.app_io, 0) AS app_io,
    coalesce(p.spid_cie, 0) AS spid_cie,
    coalesce(p.digital_notifications, 0) AS digital_notifications,
    pop.population
FROM comuni c
LEFT JOIN pnrr p USING (comune)
LEFT JOIN population pop USING (comune);

CREATE TABLE membership AS
SELECT comune, province AS territory, 'province' AS level FROM comuni
UNION ALL SELECT comune, region, 'region' FROM comuni
UNION ALL SELECT comune, 'IT', 'italy' FROM comuni
UNION ALL SELECT comune, territory, 'union' FROM unions;

-- Aggregates sum their comuni's numerators and denominators; population only when every
-- comune has it. A union is compared with its province and region when all members share one.
CREATE TABLE territories AS
SELECT
    comune AS territory, 'comune' AS level, province, region,
    funding, renounced, projects, measures_adopted, measures_open, population,
    NULL::BIGINT AS pagopa, NULL::BIGINT AS app_io, NULL::BIGINT AS spid_cie,
    NULL::BIGINT AS digital_notifications, NULL::BIGINT AS comuni
FROM comune_values
UNION ALL
SELECT
    m.territory, m.level,
    CASE WHEN m.level = 'union' AND count(DISTINCT v.province) = 1 THEN any_value(v.province) END,
    CASE WHEN m.level IN ('union', 'province') AND count(DISTINCT v.region) = 1
         THEN any_value(v.region) END,
    sum(v.funding), sum(v.renounced), sum(v.projects), sum(v.measures_adopted),
    sum(v.measures_open),
    CASE WHEN count(v.population) = count(*) THEN sum(v.population) END,
    count(*) FILTER (WHERE v.pagopa >= 1),
    count(*) FILTER (WHERE v.app_io >= 1),
    count(*) FILTER (WHERE v.spid_cie >= 1),
    count(*) FILTER (WHERE v.digital_notifications >= 1),
    count(*)
FROM membership m JOIN comune_values v USING (comune)
GROUP BY m.territory, m.level;

CREATE TABLE points AS
WITH t AS (SELECT * FROM territories)
SELECT territory, level, province, region, 'pnrr_funding' AS indicator,
       round_half_away(funding::DOUBLE, 0) AS value,
       NULL::DOUBLE AS numerator, NULL::DOUBLE AS denominator
FROM t
UNION ALL
SELECT territory, level, province, region, 'pnrr_projects',
       round_half_away(projects::DOUBLE, 0), NULL, NULL
FROM t
UNION ALL
SELECT territory, level, province, region, 'pnrr_funding_renounced',
       round_half_away(renounced::DOUBLE, 0), NULL, NULL
FROM t
UNION ALL
SELECT territory, level, province, region, 'pnrr_funding_per_resident',
       round_half_away(funding::DOUBLE / population * 1.0, 2),
       round_half_away(funding::DOUBLE, 6), round_half_away(population, 6)
FROM t WHERE population IS NOT NULL AND population <> 0
UNION ALL
SELECT territory, level, province, region, 'pnrr_measures_adopted_pct',
       round_half_away(measures_adopted::DOUBLE / measures_open * 100.0, 0),
       measures_adopted, measures_open
FROM t
UNION ALL
SELECT territory, level, province, region, 'pnrr_comuni_' || flag || '_pct',
       round_half_away(meeting::DOUBLE / comuni * 100.0, 0), meeting, comuni
FROM (
    UNPIVOT (SELECT territory, level, province, region, comuni, pagopa, app_io, spid_cie,
                    digital_notifications AS notifications
             FROM t WHERE level <> 'comune')
    ON pagopa, app_io, spid_cie, notifications INTO NAME flag VALUE meeting
);

-- Benchmarks: the value of the territory's province and region, for the indicators that
-- declare them, where those have a value.
CREATE TABLE indicators AS
SELECT
    p.territory, p.level, p.indicator,
    (SELECT period FROM period) AS period, p.value, p.numerator, p.denominator,
    pv.territory AS province, pv.value AS province_value,
    rv.territory AS region, rv.value AS region_value
FROM points p
LEFT JOIN points pv
    ON pv.territory = p.province AND pv.indicator = p.indicator
   AND list_contains(getvariable('compared'), p.indicator)
LEFT JOIN points rv
    ON rv.territory = p.region AND rv.indicator = p.indicator
   AND list_contains(getvariable('compared'), p.indicator)
ORDER BY
    CASE WHEN p.indicator LIKE 'pnrr_comuni_%' THEN 5 ELSE 3 END,
    p.indicator,
    list_position(['comune', 'union', 'province', 'region', 'italy'], p.level),
    p.territory;
"""


def header(path: Path, encoding: str = "utf-8-sig", delimiter: str = ",") -> list[str]:
    """The header of a CSV file, to pick columns whose names differ between layouts."""
    with path.open(encoding=encoding, newline="") as file:
        return next(csv.reader(file, delimiter=delimiter))


def keep_within_address_space(con) -> None:
    """DuckDB's memory limit below the process's cap on address space, when there is one."""
    cap, _ = resource.getrlimit(resource.RLIMIT_AS)
    if cap != resource.RLIM_INFINITY:
        con.execute(f"SET memory_limit = '{cap * 3 // 4 // 2**20}MiB'")


def main() -> None:
    args = parse_args(__doc__.splitlines()[0])
    con = duckdb.connect()
    keep_within_address_space(con)
    # The list of comuni: its columns are found by the prefix of their normalized header.
    headers = header(args.comuni, "cp1252", ";")
    normalized = {" ".join(h.split()).lower(): h for h in headers}
    columns = ", ".join(
        '"{}" AS {}'.format(next(h for n, h in normalized.items() if n.startswith(prefix)), alias)
        for alias, prefix in [
            ("comune", "codice comune formato alfanumerico"),
            ("province", "codice provincia (storico)"),
            ("region", "codice regione"),
        ]
    )
    with tempfile.TemporaryDirectory() as tmp:
        comuni_utf8 = Path(tmp) / "comuni.csv"
        comuni_utf8.write_text(args.comuni.read_text(encoding="cp1252"), encoding="utf-8")
        con.execute(
            f"CREATE TABLE comuni_raw AS SELECT {columns} "
            "FROM read_csv(?, delim = ';', quote = '\"', header = true, all_varchar = true)",
            [str(comuni_utf8)],
        )
    # The funded-project files: columns differ between files and years (missing ones are
    # NULL), and some have unescaped quotes inside quoted names ("CONSERVATORIO "X""), which
    # only the non-strict reader takes, as the publisher meant them.
    found = {name for path in args.padigitale for name in header(path)}
    select = ", ".join(c if c in found else f"NULL::VARCHAR AS {c}" for c in PADIGITALE_COLUMNS)
    con.execute(
        f"CREATE TABLE padigitale_raw AS SELECT {select} FROM read_csv(?, union_by_name = true, "
        "header = true, delim = ',', quote = '\"', escape = '\"', strict_mode = false, "
        "all_varchar = true)",
        [[str(p) for p in args.padigitale]],
    )
    con.execute(
        "CREATE TABLE population_raw AS SELECT pro_com_t, totale "
        "FROM read_csv(?, header = true, all_varchar = true)",
        [str(args.population)],
    )
    con.execute(
        "CREATE TABLE changes_raw AS SELECT old_code, new_code "
        "FROM read_csv(?, header = true, all_varchar = true)",
        [str(args.code_changes)],
    )
    con.execute("CREATE TABLE unions (territory VARCHAR, comune VARCHAR)")
    members = [(name, code) for name, codes in args.unions.items() for code in codes]
    if members:
        con.executemany("INSERT INTO unions VALUES (?, ?)", members)
    con.execute("SET VARIABLE compared = ?", [COMPARED])
    con.execute(SQL)
    missing = con.execute(
        "SELECT territory, comune FROM unions ANTI JOIN comuni USING (comune)"
    ).fetchall()
    if missing:
        raise SystemExit(f"unions list comuni not in the list of comuni: {missing}")
    unknown = con.execute(
        "SELECT string_agg(code, ', ' ORDER BY code) FROM pnrr_by_code JOIN code_map USING (code) "
        "WHERE code_map.comune IS NULL"
    ).fetchone()[0]
    if unknown:
        print(f"padigitale: codes not in the list of comuni left out: {unknown}", file=sys.stderr)
    con.execute("COPY indicators TO ? (HEADER)", [str(args.out / "indicatori.csv")])
    con.execute("COPY indicators TO ? (FORMAT parquet)", [str(args.out / "indicatori.parquet")])


if __name__ == "__main__":
    main()
