# A run's messages: why each stage runs, what it did, the line a run ends with, what
# `datavalley plan` says of the pipeline, and what computing and explaining find.

## run/mod.rs

run_summary = { $run } stages run, { $skipped } skipped; { $rows_in } rows in, { $rows_out } rows out; { $files } files published; { $seconds } s
output_table = output table `{ $table }`
release_pruned = removed the old release { $release }

## run/pipeline.rs

indicator_declared_twice = indicator `{ $indicator }` is also declared in { $file }
# What `datavalley plan` prints of the pipeline, a line each.
plan_pipeline = pipeline `{ $id }`: { $title }
plan_sources = sources ({ $count }):
plan_source = {"  "}{ $name } ({ $kind }): { $location }
plan_unions = unions:
plan_union = {"  "}{ $code } ({ $name }): { $comuni } comuni
plan_sums = sums over comuni at: { $levels }
plan_no_sums = sums over comuni at: none
plan_indicators = indicators ({ $count }):
plan_indicator = {"  "}challenge { $challenge } { $name } ({ $kind }): { $label }
plan_datasets = datasets ({ $count }):
plan_dataset = {"  "}{ $name } ({ $table }): { $title }

## run/ingest.rs

progress_sources = sources
unknown_stage_source = no source `{ $source }` in the pipeline; its sources are: { $sources }
source_stage_done = { $reason }, { $rows } rows, { $observations } observations
source_shrank = { $now } rows now against { $previous } in the last accepted version, more than { $percent }% fewer; if the publisher really removed them, run again with --accept-shrink
publish_forced = runs: --force
publish_no_release = runs: no release yet
publish_source_changed = runs: a source changed since the current release
publish_pipeline_changed = runs: its part of the pipeline file changed
publish_became_stale = runs: a source's data became older than its expected update allows
publish_unchanged = skipped: unchanged, nothing to do
publish_not_downloaded = runs unless the URLs not downloaded yet are unchanged
stage_not_downloaded = runs: its URL is not downloaded yet

## run/kept.rs

keeping_source_result = keeping a source's result

## run/harmonize.rs

code_change_not_a_comune = old_code and new_code are six-digit ISTAT comune codes
merged_codes = { $values } values of comuni whose codes changed are summed into the values of { $comuni } comuni of the list: { $listed }

## run/compute.rs

no_territories = the list of comuni could not be read (see above): territory codes were not checked and nothing was computed
unknown_member = union `{ $union }` lists { $member }, which is not in the list of comuni
unknown_focus = the focus territory { $focus } is not among the territories
unknown_focus_with_hint = the focus territory { $focus } is not among the territories; { $hint }
# A field `datavalley init` left to fill: its place in the pipeline file, its key, and what to write.
placeholder = `{ $key }`: { $detail }
no_accessibility_statement = {"["}site] accessibility_statement is missing: the pages cannot link the Dichiarazione di accessibilità that public administrations must publish
row_left_out = { $finding }; the row is left out

## run/history.rs

release_not_in_history = release { $release } is not in the history of { $folder }; `datavalley history` lists the releases it holds
no_history_yet = no history in { $folder } yet: run the pipeline first
first_release_in_history = release { $release } is the first of the history: there is none before it to compare with

## run/release.rs

writing_datapackage = writing datapackage.json

## run/explain.rs

explain_unknown_indicator = the pipeline has no indicator `{ $indicator }` (`datavalley plan` lists them)
explain_unknown_indicator_closest = the pipeline has no indicator `{ $indicator }`; did you mean `{ $closest }`? (`datavalley plan` lists them)
explain_unknown_territory = { $territory } is not a territory of the pipeline
explain_unknown_territory_hint = { $territory } is not a territory of the pipeline; { $hint }
