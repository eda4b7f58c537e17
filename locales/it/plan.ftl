# Il piano verificato: il file della pipeline nel suo insieme, i percorsi, i territori, il catalogo e il sito.

## mod.rs
pipeline_table_missing = manca la tabella [pipeline]: indicate almeno `id` e `title`
pipeline_id_not_a_folder_name = `id` = { $id }: usate lettere minuscole, cifre e trattini (è il nome della cartella di uscita)
entry_title_empty = `title` è vuoto
history_keep_below_releases = { $releases ->
    [one] conservate lo storico almeno del rilascio tenuto per il rollback (`keep_releases`), altrimenti il rollback non troverebbe lo storico a cui torna
   *[other] conservate lo storico almeno dei { $releases } rilasci tenuti per il rollback (`keep_releases`), altrimenti il rollback non troverebbe lo storico a cui torna
}
keep_releases_zero = conservate almeno 1 rilascio: quello corrente
max_input_bytes_zero = un limite di 0 byte rifiuterebbe ogni file; scrivete la dimensione massima attesa, in byte
challenge_twice = la sfida { $number } è dichiarata due volte
challenge_not_numbered = le sfide sono da [challenge.1] a [challenge.8]
nothing_to_publish = niente da pubblicare: dichiarate almeno un [dataset.NAME] con `title` e `table`

## paths.rs
http_without_url = `{ $kind }.http` dice come scaricare un `url`; questa fonte legge un `file`
file_and_url = indicate `file` oppure `url`, non entrambi
neither_file_nor_url = indicate dove sono i dati: `file = "..."` (relativo al file della pipeline) oppure `url = "https://..."`
path_outside_folder = { $path } porta fuori dalla cartella del file della pipeline; scrivete un percorso al suo interno, oppure impostate `allow_outside_paths = true` in [pipeline] se è voluto
path_not_a_folder = { $path } non è una cartella
path_not_a_file = { $path } non è un file
path_folder_not_found = cartella non trovata: { $path } (i percorsi sono relativi alla cartella del file della pipeline)
path_file_not_found = file non trovato: { $path } (i percorsi sono relativi alla cartella del file della pipeline)
separator_unknown = il separatore { $separator } non è uno tra ",", ";", "\t", "|"
http_problems_joined = { $first }; { $then }
http_url_invalid = { $url } non è un URL http:// o https://
http_seconds_invalid = { $value } non è un numero di secondi
http_sha256_invalid = uno SHA-256 è fatto di 64 cifre esadecimali
http_max_shrink_invalid = una quota tra 0 e 1, per esempio 0.2 per il 20%
http_timeout_zero = un tempo limite di 0 non lascerebbe mai finire una richiesta

## territories.rs
territories_source_missing = una pipeline ha bisogno di una fonte `territories` (l'elenco dei comuni dell'ISTAT): aggiungete [source.comuni.territories] con il suo `file`
territories_source_again = una pipeline ha una sola fonte `territories`; questa è la seconda
aggregate_comune = i comuni non sono aggregati; elencate union, province, region o italy
union_name_not_snake_case = i nomi delle unioni sono in snake_case, per esempio `val_d_enza`: sono il loro codice nei file pubblicati
union_without_members = un'unione ha almeno un comune
union_member_not_a_code = { $code } non è un codice ISTAT di comune a sei cifre (scrivete "035004", come testo)
union_member_twice = { $code } è elencato due volte
focus_unknown = { $focus } non è né un codice ISTAT né un'unione dichiarata in [territories.union]

## catalog.rs
catalog_email_invalid = { $value } non è un indirizzo e-mail
catalog_contact_without_name = il punto di contatto non ha un nome
dataset_without_themes = il dataset `{ $dataset }` non ha `themes`: DCAT-AP_IT richiede almeno un tema dei dati UE ({ $codes })
theme_unknown = dataset `{ $dataset }`: { $value } non è un tema dei dati UE; scrivete un codice ({ $codes }) o il suo URI { $base }CODE
subtheme_not_eurovoc = dataset `{ $dataset }`: { $value } non è un URI EuroVoc (http://eurovoc.europa.eu/<numero>)
dataset_without_frequency = il dataset `{ $dataset }` non ha `frequency`: DCAT-AP_IT richiede la frequenza di aggiornamento (ANNUAL, MONTHLY, IRREG, ...)
frequency_unknown = dataset `{ $dataset }`: { $value } non è un codice di frequenza UE (ANNUAL, MONTHLY, WEEKLY, DAILY, IRREG, ...)
catalog_agent_name_empty = il nome è vuoto
catalog_ipa_code_invalid = { $value } non è un codice IPA come lo scrive l'Indice delle Pubbliche Amministrazioni (lettere minuscole, cifre e `_`, per esempio c_h223)
catalog_url_not_absolute = { $value } non è un URL assoluto http(s): qui va un URI, non un testo
catalog_license_empty = la licenza è vuota: ogni dataset ne ha una, CC-BY-4.0 o IODL-2.0
catalog_license_unknown = { $value } non è una licenza che questo strumento pubblica: CC-BY-4.0 o IODL-2.0
catalog_issued_not_a_date = { $value } non è una data come 2026-11-23
catalog_without_description = `description` è obbligatoria per il catalogo (oppure date una descrizione alla pipeline)
dataset_without_description = il dataset `{ $dataset }` non ha `description`: DCAT-AP_IT ne richiede una

## site.rs
site_absolute_url_due = qui va un URL assoluto http(s)
site_feedback_not_address = qui va un indirizzo e-mail o un URL assoluto
site_update_frequency_unknown = { $value } non è un codice di frequenza UE (DAILY, WEEKLY, MONTHLY, ANNUAL, ...)

## placeholders.rs
placeholder_base_url = l'indirizzo a cui sarà servita la cartella output/<id>/current/
placeholder_homepage = il sito web dell'ente
placeholder_ipa = il codice dell'ente nell'Indice delle Pubbliche Amministrazioni (indicepa.gov.it)
placeholder_contact_email = l'indirizzo e-mail che risponde alle domande sui dati
placeholder_contact_url = la pagina dei contatti
placeholder_accessibility_statement = l'indirizzo della Dichiarazione di accessibilità dell'ente (form.agid.gov.it)
placeholder_feedback = dove i cittadini mandano i loro commenti: un indirizzo e-mail o un URL
placeholder_unfilled = ancora il segnaposto { $value }: scrivete { $what }
