# The command line's help: `help_<command>` is a command's about, `help_<command>_<argument>`
# an argument's own help, `help_arg_<argument>` the help of an argument several commands share.

## Headings and the lines every help page ends with
help_usage_heading = Usage:
help_commands_heading = Commands
help_command_value = COMMAND
help_options_value = [OPTIONS]
help_arguments_heading = Arguments
help_options_heading = Options
help_possible_values = [possible values: { $values }]
help_default_value = [default: { $value }]
help_exit_codes =
    Exit codes:
      0  published, or nothing to do
      1  data findings: validation failed, nothing was published
      2  configuration or usage error (the pipeline file, the command line), a damaged
         history file, or a tool error
      3  a source could not be fetched or read
      4  another run holds the lock of the output folder

## Arguments of every command
help_arg_help = Print help
help_arg_version = Print version
help_arg_log_format = How log lines are written to stderr: `human`, or `json` (one object per line).
help_arg_lang = The language of messages: `it` or `en`; default from LC_ALL, LC_MESSAGES or LANG (English when they name it), else Italian.
help_arg_pipeline = The pipeline file, e.g. pipelines/val-d-enza.toml.
help_arg_output_dir = Where releases are published: <DIR>/<pipeline id>/current.
help_arg_cache_dir = Where downloaded sources are cached; default <output dir>/.cache.
help_arg_offline = Read sources with a `url` from the cache only; fail when one is not cached.
help_arg_accept_shrink = Accept a source that has far fewer rows than its last accepted version.

## datavalley
help_datavalley = Declarative open-data pipelines for Italian local public administrations

## run
help_run = Ingest, compute, validate and publish a release (nothing when nothing changed).
help_run_run_time = The run time written into the outputs (YYYY-MM-DDTHH:MM:SSZ); default now, or SOURCE_DATE_EPOCH when set.
help_run_force = Run every stage, whatever its fingerprint, and publish a new release.
help_run_stage = Run one stage only: `source.NAME` (ingest that source and keep its result) or `publish` (the whole run).

## init
help_init = Write a new pipeline file for a union or a single comune, ready to run: its comuni looked up in ISTAT's list, the public files by URL, the fields only you know marked.
help_init_unione = The union's name, e.g. "Unione Terre d'Acqua"; its comuni with --comuni.
help_init_comuni = The union's comuni by ISTAT code or name, separated by commas: 037001,037009,...
help_init_comune = A single comune, by ISTAT code or name.
help_init_ipa = The administration's IPA code (www.indicepa.gov.it); without it, a placeholder.
help_init_dir = The folder the pipeline file is written to.
help_init_id = The pipeline's id, which names its file and its output folder; default from the name.
help_init_force = Replace a pipeline file that exists.
help_init_elenco = ISTAT's list of comuni to look codes and names up in: a file or a URL; default ISTAT's own URL, through the cache.
help_init_mirror = Read the publishers' files from a copy of them, served as <URL>/<host>/<path>.

## check
help_check = Parse and cross-check the pipeline file only; read no data.

## plan
help_plan = Say which stages a run would run and why.
help_plan_force = As `run --force` would.

## validate
help_validate = Ingest and validate the data, compute the indicators, publish nothing.

## explain
help_explain = Say how one value is computed: the formula, each term with the observations it is read or summed from (and their files), the rounding, the benchmarks and the check against a published figure.
help_explain_indicator = The indicator, by its name in the pipeline.
help_explain_territory = The territory: an ISTAT code, a union's code, or a name.
help_explain_period = The period; default the latest with a value.

## releases
help_releases = List the releases of a pipeline and which one is current.

## history
help_history = Print the series the history of the pipeline's releases holds: every period of every indicator and territory, with the release that published it and any revision.
help_history_indicator = Only this indicator (its name in the pipeline).
help_history_territory = Only this territory (an ISTAT code, or a union's name).

## diff
help_diff = Print what changed between two releases: values new, changed, removed and revised, and records (projects, funded applications) new, changed or gone. Default: from the release before the current one to the current one; with one release, from it to the current.
help_diff_from = The earlier release, as `releases` lists it.
help_diff_to = The later release.

## rollback
help_rollback = Make an earlier release current again, atomically (default: the one before the current).
help_rollback_run_id = The release to make current, as `releases` lists it.

## help
help_help = Print this message or the help of the given command
