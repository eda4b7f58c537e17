# What the commands print, and the command line's own errors.

## cli/mod.rs
usage_run_time = --run-time { $value } is not of the form 2026-11-23T09:17:11Z
usage_source_date_epoch = SOURCE_DATE_EPOCH={ $value } is not a number of seconds
usage_init_whose = say whose pipeline it is: --unione NAME --comuni CODES, or --comune CODE
usage_stage = --stage { $stage }: the stages are `source.NAME` and `publish`
outcome_published = published
outcome_nothing_to_do = nothing to do
outcome_blocked = blocked
outcome_failed = failed
outcome_ingested = ingested
summary = { $outcome }; { $line }
init_wrote_pipeline = wrote { $file }: { $territory }
init_wrote = wrote { $file }
init_kept_own = kept { $file }: it differs from the tool's own, and is yours
init_next = next: datavalley check { $file }, then datavalley run { $file }
to_fill = { $count ->
    [one] { $count } field still holds the placeholder `datavalley init` wrote; fill it before publishing:
   *[other] { $count } fields still hold the placeholder `datavalley init` wrote; fill them before publishing:
}
check_ok = { $file }: ok ({ $sources ->
        [one] { $sources } source
       *[other] { $sources } sources
    }, { $indicators ->
        [one] { $indicators } indicator
       *[other] { $indicators } indicators
    }, { $datasets ->
        [one] { $datasets } dataset
       *[other] { $datasets } datasets
    })
validate_counts = { $file }: { $observations } observations, { $rows } indicator rows, { $errors ->
        [one] { $errors } error
       *[other] { $errors } errors
    }, { $warnings ->
        [one] { $warnings } warning
       *[other] { $warnings } warnings
    }
explain_source = Source { $name }: { $label }
explain_source_file = { $location } ({ $rows } rows)
no_releases = no releases in { $folder }
release_current = { $release }  (current)
rollback_done = current release is now { $release }
current_release = current release: { $path }
published = published { $path }
nothing_to_do = nothing to do: { $path } is up to date
nothing_published = nothing published: { $errors ->
        [one] { $errors } error
       *[other] { $errors } errors
    }, { $warnings ->
        [one] { $warnings } warning
       *[other] { $warnings } warnings
    }
stages = stages:
writing_explanation = writing the explanation

## cli/help.rs: the argument parser's errors
usage_unknown_argument = unexpected argument `{ $argument }`
usage_unknown_command = unknown command `{ $command }`
usage_missing_value = `{ $argument }` needs a value
usage_invalid_value = invalid value `{ $value }` for `{ $argument }` (possible values: { $valid })
usage_invalid_value_plain = invalid value `{ $value }` for `{ $argument }`
usage_missing_argument = missing: { $argument }
usage_conflict = `{ $argument }` cannot be used with `{ $prior }`
usage_missing_command = say which command to run
usage_number_of_values = wrong number of values for `{ $argument }`
usage_no_equals = `{ $argument }` takes its value after an `=`
usage_suggestion = did you mean `{ $suggestion }`?
usage_more = For more information, try `--help`.

## cli/history.rs
history_release = release { $release } of { $run_time }
history_rolled_back = rolled back
history_never_current = never made current
history_left_behind = release { $release } of { $run_time }  ({ $why }: kept, not part of the history)
history_no_match = no values in the history of { $folder } match
history_value_in = { $value } in { $release }
history_revised = (revised; before: { $before })
history_value = { $indicator }  { $territory }  { $period }  { $value } { $unit }  release { $release }
diff_heading = from { $from } ({ $from_time }) to { $to } ({ $to_time }): { $new } new, { $changed } changed, { $removed } removed, { $revised } revised; { $records } records changed
diff_dated = { $value } { $unit } ({ $period })
change_new = new
change_changed = changed
change_removed = removed
change_revised = revised
diff_record = record { $kind } { $table }  { $label } ({ $key })  { $fields }
