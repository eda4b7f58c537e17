# The checked plan: the pipeline file as a whole, its paths, territories, catalog and site.

## mod.rs
pipeline_table_missing = the [pipeline] table is missing: give at least `id` and `title`
pipeline_id_not_a_folder_name = `id` = { $id }: use lower-case letters, digits and dashes (it names the output folder)
entry_title_empty = `title` is empty
history_keep_below_releases = keep the history of at least the { $releases } releases kept for rollback (`keep_releases`), or rollback could not find the history it goes back to
keep_releases_zero = keep at least 1 release: the current one
max_input_bytes_zero = 0 bytes would refuse every file; write the largest size expected, in bytes
challenge_twice = challenge { $number } is declared twice
challenge_not_numbered = challenges are [challenge.1] to [challenge.8]
nothing_to_publish = nothing to publish: declare at least one [dataset.NAME] with `title` and `table`

## paths.rs
http_without_url = `{ $kind }.http` sets how a `url` is fetched; this source reads a `file`
file_and_url = give either `file` or `url`, not both
neither_file_nor_url = say where the data are: `file = "..."` (relative to the pipeline file) or `url = "https://..."`
path_outside_folder = { $path } leads outside the pipeline file's folder; write a path inside it, or set `allow_outside_paths = true` under [pipeline] if this is intended
path_not_a_folder = { $path } is not a folder
path_not_a_file = { $path } is not a file
path_folder_not_found = folder not found: { $path } (paths are relative to the pipeline file's folder)
path_file_not_found = file not found: { $path } (paths are relative to the pipeline file's folder)
separator_unknown = separator { $separator } is not one of ",", ";", "\t", "|"
http_problems_joined = { $first }; { $then }
http_url_invalid = { $url } is not an http:// or https:// URL
http_seconds_invalid = { $value } is not a number of seconds
http_sha256_invalid = a SHA-256 is 64 hexadecimal digits
http_max_shrink_invalid = a share between 0 and 1, e.g. 0.2 for 20%
http_timeout_zero = a timeout of 0 would never let a request finish

## territories.rs
territories_source_missing = a pipeline needs one `territories` source (ISTAT's list of comuni): add [source.comuni.territories] with its `file`
territories_source_again = a pipeline has one `territories` source; this is a second one
aggregate_comune = comuni are not aggregates; list union, province, region or italy
union_name_not_snake_case = union names are snake_case, e.g. `val_d_enza`: they are its code in the outputs
union_without_members = a union has at least one member
union_member_not_a_code = { $code } is not a six-digit ISTAT comune code (write "035004", as text)
union_member_twice = { $code } is listed twice
focus_unknown = { $focus } is neither an ISTAT code nor a union declared under [territories.union]

## catalog.rs
catalog_email_invalid = { $value } is not an e-mail address
catalog_contact_without_name = the contact point has no name
dataset_without_themes = dataset `{ $dataset }` has no `themes`: DCAT-AP_IT requires at least one EU data theme ({ $codes })
theme_unknown = dataset `{ $dataset }`: { $value } is not an EU data theme; write a code ({ $codes }) or its URI { $base }CODE
subtheme_not_eurovoc = dataset `{ $dataset }`: { $value } is not a EuroVoc URI (http://eurovoc.europa.eu/<number>)
dataset_without_frequency = dataset `{ $dataset }` has no `frequency`: DCAT-AP_IT requires the update frequency (ANNUAL, MONTHLY, IRREG, ...)
frequency_unknown = dataset `{ $dataset }`: { $value } is not an EU frequency code (ANNUAL, MONTHLY, WEEKLY, DAILY, IRREG, ...)
catalog_agent_name_empty = the name is empty
catalog_ipa_code_invalid = { $value } is not an IPA code as the Indice delle Pubbliche Amministrazioni writes it (lower-case letters, digits and `_`, e.g. c_h223)
catalog_url_not_absolute = { $value } is not an absolute http(s) URL: a URI is due here, not text
catalog_license_empty = the licence is empty: every dataset carries one, CC-BY-4.0 or IODL-2.0
catalog_license_unknown = { $value } is not a licence this tool publishes: CC-BY-4.0 or IODL-2.0
catalog_issued_not_a_date = { $value } is not a date like 2026-11-23
catalog_without_description = `description` is mandatory for the catalog (or give the pipeline a description)
dataset_without_description = dataset `{ $dataset }` has no `description`: DCAT-AP_IT requires one

## site.rs
site_absolute_url_due = an absolute http(s) URL is due here
site_feedback_not_address = an e-mail address or an absolute URL is due here
site_update_frequency_unknown = { $value } is not an EU frequency code (DAILY, WEEKLY, MONTHLY, ANNUAL, ...)

## placeholders.rs
placeholder_base_url = the address where the folder output/<id>/current/ will be served
placeholder_homepage = the administration's web site
placeholder_ipa = the administration's code in the Indice delle Pubbliche Amministrazioni (indicepa.gov.it)
placeholder_contact_email = the e-mail address that answers questions about the data
placeholder_contact_url = the contact page
placeholder_accessibility_statement = the address of the administration's Dichiarazione di accessibilità (form.agid.gov.it)
placeholder_feedback = where citizens send comments: an e-mail address or a URL
placeholder_unfilled = still the placeholder { $value }: write { $what }
