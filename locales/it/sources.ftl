# I messaggi delle fonti: ogni tipo che controlla le sue opzioni, e ciò che trova leggendo i dati.

## csv.rs

csv_period_twice = indicate `columns.period` oppure `period`, non entrambi
csv_period_missing = manca il periodo: indicatene la colonna in `columns.period`, oppure date `period = "2021"` per tutto il file
csv_unit_twice = indicate `columns.unit` oppure `unit`, non entrambi
csv_unit_missing = manca l'unità: indicatene la colonna in `columns.unit`, oppure date `unit` per tutto il file
csv_wide_unit = un file largo dà a ogni misura la sua `unit` sotto `measures`
# Detto anche da istat_sdmx.rs.
measure_not_snake_case = il nome di misura `{ $measure }` non è in snake_case
csv_layout_missing = indicate la forma del file: un file lungo nomina `columns.measure` e `columns.value`; un file largo elenca le sue colonne di valori sotto `[source.NAME.csv.measures]`
missing_territory_code = il codice del territorio è vuoto
missing_period_cell = il periodo è vuoto
missing_measure_cell = la misura è vuota
missing_unit_cell = l'unità è vuota
missing_value_skipped = nessun valore per la misura `{ $measure }`; la cella viene saltata
negative_count = la misura `{ $measure }` conta o misura qualcosa e non può essere negativa; se può esserlo (un saldo, una variazione), elencatela in `signed_measures`
not_a_number_with_mark = non è un numero con separatore decimale "{ $mark }"

## istat_population.rs

unknown_population_layout = non è un formato ISTAT della popolazione: nelle prime righe ci si aspetta un'intestazione con `pro_com_t` (popolazione per comune) oppure con `Codice comune`, `Età`, `Totale maschi`, `Totale femmine` (POSAS)
missing_period_title = la riga del titolo non dice la data di riferimento ("al 1° gennaio YYYY"): indicate `period` nel file della pipeline
missing_period_layout = questo formato non dice la sua data di riferimento: indicate `period = "2021"` nel file della pipeline
not_a_count = non è un numero di residenti (un numero intero, zero o più)
not_a_comune_code_population = non è un codice ISTAT di comune (fino a sei cifre)
inconsistent_total_by_age = <12 + >=12 = { $sum } ma totale = { $total }
inconsistent_total_posas = le età sommano a { $total } residenti ma la riga del totale (Età 999) dice { $stated }

## istat_sdmx.rs

sdmx_one_location = indicate `dataflow` (e `key`), oppure un `url` completo, oppure un `file`: uno solo
sdmx_key_without_dataflow = `key` ed `endpoint` vanno con `dataflow`
unreadable_sdmx = non è un messaggio di dati SDMX che questo strumento legge: { $detail }
no_observations = il messaggio non contiene osservazioni
missing_area_dimension = nessuna dimensione del territorio (REF_AREA o ITTER107); le dimensioni sono { $dimensions }: indicate `area_dimension`
missing_area_dimension_declared = nessuna dimensione del territorio ({ $area }); le dimensioni sono { $dimensions }: indicate `area_dimension`
missing_split_dimension = `split_by` nomina { $dimension }, che il messaggio non ha
ambiguous_dimension = la dimensione { $dimension } ha più valori ({ $values }): aggiungetela a `split_by` o restringete la `key`
missing_observation_value = un'osservazione senza valore; saltata
obs_value_not_a_number = OBS_VALUE non è un numero
observation_without_dimension = un'osservazione senza la dimensione { $dimension }
sdmx_no_column = nessuna colonna { $column }
sdmx_row_without_period = la riga { $row } non ha TIME_PERIOD
sdmx_xml_error = errore XML al byte { $position }: { $detail }
sdmx_no_dataset = nessun elemento DataSet: è un messaggio di struttura anziché di dati?
sdmx_observation_without_period = un'osservazione non ha TIME_PERIOD
# Le parole del lettore XML.
sdmx_bad_attribute = attributo XML illeggibile: { $detail }

## territories.rs

missing_list_column = nessuna colonna che inizi con `{ $prefix }`: è l'elenco dei comuni dell'ISTAT?
not_an_istat_code = non è un codice di { $level } come lo scrive l'ISTAT
missing_list_name = è vuoto un nome: del comune, della sua provincia o della sua regione

## project_records.rs

empty_folder = nessuna scheda di progetto (*.toml, *.json) nella cartella
duplicate_project = l'id di progetto `{ $id }` è usato anche da { $first }
record_not_utf8 = una scheda di progetto deve essere in UTF-8
# Le parole del lettore TOML o JSON.
invalid_record = scheda non valida: { $detail }
record_not_snake_case = `{ $id }` non è in snake_case
record_without_territories = un progetto nomina almeno un territorio
record_challenges = le sfide sono numeri da 1 a 8, almeno una
kpi_territory_needed = KPI `{ $kpi }`: il progetto ha più territori; indicate in quale si contano i suoi risultati
kpi_territory_not_in_project = KPI `{ $kpi }`: { $territory } non è tra i territori del progetto
kpi_year_without_values = KPI `{ $kpi }`: ogni anno ha un obiettivo, un valore effettivo, o entrambi
kpi_year_twice = KPI `{ $kpi }`: un anno è indicato due volte
project_unknown_territory = il progetto `{ $project }` nomina il territorio { $territory }, che non è noto
project_unknown_territory_hint = il progetto `{ $project }` nomina il territorio { $territory }, che non è noto; { $hint }
unknown_challenge = il progetto `{ $project }` nomina la sfida { $challenge }, che la pipeline non dichiara

## padigitale.rs

padigitale_no_files = elencate i file delle candidature finanziate in `files = [...]` o `urls = [...]`
padigitale_http_without_urls = `padigitale.http` dice come scaricare gli `urls`, e non ce n'è nessuno
padigitale_period_not_a_date = `period` = { $period } non è una data come 2026-08-22
padigitale_no_dates = fonte `{ $source }`: nessuna data nei file; indicate `period = "YYYY-MM-DD"`, oppure dichiarate i file un'istantanea (`snapshot = "day"`) per datarli col giorno in cui vengono letti
missing_required_column = manca la colonna obbligatoria `{ $column }`: nessuna riga del file può essere usata
missing_optional_column = la colonna `{ $column }` non è nel formato di questo file
unknown_column = una colonna che le descrizioni del formato non elencano; ignorata
not_an_amount = non è un importo in euro (un numero, zero o più)
unknown_status = stato_candidatura è A (assegnato), R (rinunciato) o E (erogato)
unknown_measure = né `misura` né `avviso` iniziano con un numero di misura come 1.4.3
no_comune_code = nessun codice ISTAT di comune: il progetto non è contato per alcun comune

## boundaries.rs

boundaries_files_or_dir = indicate i file dei confini in `files = [...]` oppure la loro cartella in `dir`, non entrambi
boundaries_level = `level` = { $level } non è un livello di confini: scrivete "comune", "province" o "region"
boundaries_no_shapes = nessun confine nei file letti
boundaries_not_json = il file non è JSON valido: { $detail }
boundaries_not_topology = il file non è TopoJSON (`"type": "Topology"`) né GeoJSON (`"type": "FeatureCollection"`): il tipo è { $found }
boundaries_transform = `transform` deve avere `scale` e `translate`, due numeri ciascuno
boundaries_key_missing = manca la chiave `{ $key }`
boundaries_bad_arc = l'arco { $arc } non è una lista di punti di due numeri
boundaries_duplicate = il confine di { $name } ({ $code }) compare due volte: vale il primo
boundaries_no_code = l'elemento { $feature } non ha il codice ISTAT del suo livello: lasciato fuori
boundaries_no_geometry = il confine di { $name } ({ $code }) non ha poligoni validi: lasciato fuori
boundaries_not_listed = { $count } confini di livello { $level } hanno un codice che non è nell'elenco dei territori (disegnati come contorno, senza dati): { $names }
boundaries_no_shape = { $count } territori di livello { $level } dell'elenco non hanno confini nei file e mancheranno nelle mappe: { $names }

## read.rs

# Le parole del sistema su un file che non si è potuto leggere.
source_unreadable = lettura non riuscita: { $detail }
input_too_large = il file è di { $size } byte, oltre il limite di { $limit } byte; alzate `max_input_bytes` sotto [pipeline] se vi aspettate un file così grande
empty_file = il file è vuoto
ragged_row = la riga { $line } del file ha { $fields ->
    [one] un campo
   *[other] { $fields } campi
} mentre l'intestazione ne ha { $expected }; un separatore di troppo o di meno, o una virgoletta non chiusa
ragged_row_more = { $count ->
    [one] un'altra riga con il numero sbagliato di campi non è elencata
   *[other] altre { $count } righe con il numero sbagliato di campi non sono elencate
}
# Seguono le parole del lettore di tabelle.
unreadable_table = non si legge come tabella: { $detail }
missing_column = manca la colonna `{ $column }`; l'intestazione ha: { $headers }
unused_column = la colonna non è associata a nulla e viene ignorata

## freshness.rs

date_from_reference = la sua data di riferimento
date_from_last_modified = il Last-Modified del server
date_from_file = la data del file
stale_source = fonte `{ $source }`: i suoi dati sono al { $date } ({ $origin }), più vecchi di quanto il suo aggiornamento atteso ({ $every }) consenta: obsoleti dal { $since }

## text.rs

decode_not_utf8 = UTF-8 non valido al byte { $offset } (riga { $line }); se il file viene dall'ISTAT o da Excel è probabilmente windows-1252: indicate encoding = "windows-1252"
decode_bom_declared_windows_1252 = dichiarato windows-1252 ma il file inizia con un indicatore di ordine dei byte (BOM) UTF-8: indicate encoding = "utf-8"
decode_utf8_declared_windows_1252 = dichiarato windows-1252 ma il file è UTF-8 valido con testo non ASCII (la prima volta alla riga { $line }); decodificarlo come windows-1252 storpierebbe i nomi: indicate encoding = "utf-8"

## istat.rs

# Nessun messaggio: le parole dei livelli (`comune`, `provincia`, ...) sono l'italiano che legge un cittadino.
