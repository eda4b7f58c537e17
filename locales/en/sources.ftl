# The sources' messages: each kind checking its options, and what reading its input finds.

## csv.rs

csv_period_twice = give either `columns.period` or `period`, not both
csv_period_missing = the period is missing: name its column in `columns.period`, or give `period = "2021"` for the whole file
csv_unit_twice = give either `columns.unit` or `unit`, not both
csv_unit_missing = the unit is missing: name its column in `columns.unit`, or give `unit` for the whole file
csv_wide_unit = a wide file gives each measure its own `unit` under `measures`
# Also said by istat_sdmx.rs.
measure_not_snake_case = measure name `{ $measure }` is not snake_case
csv_layout_missing = say the layout: a long file names `columns.measure` and `columns.value`; a wide file lists its value columns under `[source.NAME.csv.measures]`
missing_territory_code = the territory code is empty
missing_period_cell = the period is empty
missing_measure_cell = the measure is empty
missing_unit_cell = the unit is empty
missing_value_skipped = no value for measure `{ $measure }`; the cell is skipped
negative_count = measure `{ $measure }` counts or measures something and cannot be negative; if it can (a balance, a change), list it in `signed_measures`
not_a_number_with_mark = not a number with decimal mark "{ $mark }"

## istat_population.rs

unknown_population_layout = not an ISTAT population layout: expected a header with `pro_com_t` (population by comune) or with `Codice comune`, `Età`, `Totale maschi`, `Totale femmine` (POSAS) in the first lines
missing_period_title = the title line does not say the reference date ("al 1° gennaio YYYY"): give `period` in the pipeline file
missing_period_layout = this layout does not say its reference date: give `period = "2021"` in the pipeline file
not_a_count = not a count of residents (a whole number, zero or more)
not_a_comune_code_population = not an ISTAT comune code (up to six digits)
inconsistent_total_by_age = <12 + >=12 = { $sum } but totale = { $total }
inconsistent_total_posas = the ages add up to { $total } residents but the total row (Età 999) says { $stated }

## istat_sdmx.rs

sdmx_one_location = give `dataflow` (and `key`), or a whole `url`, or a `file`: one of them
sdmx_key_without_dataflow = `key` and `endpoint` go with `dataflow`
unreadable_sdmx = not an SDMX data message this tool reads: { $detail }
no_observations = the message holds no observations
missing_area_dimension = no territory dimension (REF_AREA or ITTER107); the dimensions are { $dimensions }: set `area_dimension`
missing_area_dimension_declared = no territory dimension ({ $area }); the dimensions are { $dimensions }: set `area_dimension`
missing_split_dimension = `split_by` names { $dimension }, which the message does not have
ambiguous_dimension = dimension { $dimension } has several values ({ $values }): add it to `split_by` or narrow the `key`
missing_observation_value = an observation without a value; skipped
obs_value_not_a_number = OBS_VALUE is not a number
observation_without_dimension = an observation without the dimension { $dimension }
sdmx_no_column = no { $column } column
sdmx_row_without_period = row { $row } has no TIME_PERIOD
sdmx_xml_error = XML error at byte { $position }: { $detail }
sdmx_no_dataset = no DataSet element: is this a structure message rather than data?
sdmx_observation_without_period = an observation has no TIME_PERIOD
# The XML reader's own words.
sdmx_bad_attribute = { $detail }

## territories.rs

missing_list_column = no column starting with `{ $prefix }`: is this ISTAT's list of comuni?
not_an_istat_code = not a { $level } code as ISTAT writes it
missing_list_name = a name of the comune, its province or its region is empty

## project_records.rs

empty_folder = no project records (*.toml, *.json) in the folder
duplicate_project = project id `{ $id }` is also used by { $first }
record_not_utf8 = a project record must be UTF-8
# The TOML or JSON reader's own words.
invalid_record = { $detail }
record_not_snake_case = `{ $id }` is not snake_case
record_without_territories = a project names at least one territory
record_challenges = challenges are numbers from 1 to 8, at least one
kpi_territory_needed = KPI `{ $kpi }`: the project has several territories; say which one its results are counted in
kpi_territory_not_in_project = KPI `{ $kpi }`: { $territory } is not among the project's territories
kpi_year_without_values = KPI `{ $kpi }`: each year has a target, an actual value, or both
kpi_year_twice = KPI `{ $kpi }`: a year is given twice
project_unknown_territory = project `{ $project }` names territory { $territory }, which is not known
project_unknown_territory_hint = project `{ $project }` names territory { $territory }, which is not known; { $hint }
unknown_challenge = project `{ $project }` names challenge { $challenge }, which the pipeline does not declare

## padigitale.rs

padigitale_no_files = list the funded-project files in `files = [...]` or `urls = [...]`
padigitale_http_without_urls = `padigitale.http` sets how `urls` are fetched, and there are none
padigitale_period_not_a_date = `period` = { $period } is not a date like 2026-08-22
padigitale_no_dates = source `{ $source }`: no dates in the files; give `period = "YYYY-MM-DD"`, or declare the files a snapshot (`snapshot = "day"`) to date them by the day they are read
missing_required_column = required column `{ $column }` is missing: no row of the file can be used
missing_optional_column = column `{ $column }` is not in this file's layout
unknown_column = a column the format descriptions do not list; ignored
not_an_amount = not an amount in euro (a number, zero or more)
unknown_status = stato_candidatura is A (assigned), R (renounced) or E (paid)
unknown_measure = neither `misura` nor `avviso` starts with a measure number such as 1.4.3
no_comune_code = no ISTAT comune code: the project is not counted for any comune

## boundaries.rs

boundaries_files_or_dir = list the boundary files in `files = [...]` or give their folder in `dir`, not both
boundaries_level = `level` = { $level } is not a boundary level: write "comune", "province" or "region"
boundaries_no_shapes = no boundaries in the files read
boundaries_not_json = the file is not valid JSON: { $detail }
boundaries_not_topology = the file is neither TopoJSON (`"type": "Topology"`) nor GeoJSON (`"type": "FeatureCollection"`): its type is { $found }
boundaries_transform = `transform` must have `scale` and `translate`, two numbers each
boundaries_key_missing = the key `{ $key }` is missing
boundaries_bad_arc = arc { $arc } is not a list of points of two numbers
boundaries_duplicate = the boundary of { $name } ({ $code }) appears twice: the first one counts
boundaries_no_code = feature { $feature } has no ISTAT code of its level: left out
boundaries_no_geometry = the boundary of { $name } ({ $code }) has no valid polygons: left out
boundaries_not_listed = { $count } boundaries of level { $level } have a code that is not in the list of territories (drawn as outlines, without data): { $names }
boundaries_no_shape = { $count } territories of level { $level } in the list have no boundary in the files and will be missing from the maps: { $names }

## read.rs

# The system's own words on a file that could not be read.
source_unreadable = { $detail }
input_too_large = the file is { $size } bytes, more than the limit of { $limit } bytes; raise `max_input_bytes` under [pipeline] if a file this large is expected
empty_file = the file is empty
ragged_row = line { $line } has { $fields } fields where the header has { $expected }; a separator too many or too few, or a quote left open
ragged_row_more = { $count } more rows with the wrong number of fields are not listed
# The table reader's own words follow.
unreadable_table = cannot be read as a table: { $detail }
missing_column = column `{ $column }` is missing; the header has: { $headers }
unused_column = the column is not mapped to anything and is ignored

## freshness.rs

date_from_reference = its reference date
date_from_last_modified = the server's Last-Modified
date_from_file = the file's date
stale_source = source `{ $source }`: its data is as of { $date } ({ $origin }), older than its expected update ({ $every }) allows: stale since { $since }

## text.rs

decode_not_utf8 = not valid UTF-8 at byte { $offset } (line { $line }); if the file comes from ISTAT or Excel it is probably windows-1252: declare encoding = "windows-1252"
decode_bom_declared_windows_1252 = declared windows-1252 but the file starts with a UTF-8 byte order mark: declare encoding = "utf-8"
decode_utf8_declared_windows_1252 = declared windows-1252 but the file is valid UTF-8 with non-ASCII text (first at line { $line }); decoding it as windows-1252 would mangle names: declare encoding = "utf-8"

## istat.rs

# No messages: the levels' words (`comune`, `provincia`, ...) are the Italian a citizen reads.
