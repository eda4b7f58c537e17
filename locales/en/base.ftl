# The foundation's messages: errors that end a command, and what every layer shares.

problems_in_pipeline = { $count ->
    [one] { $count } problem in the pipeline:
   *[other] { $count } problems in the pipeline:
}
file_error = { $detail }
source_failed = source `{ $source }` ({ $file }): { $detail }
internal_error = internal error: { $detail }
locked = another run holds the lock on { $folder } ({ $holder }); this run stops without waiting

# A finding's line: `error[rule] file, row 3, column `x`, value "y": message`.
severity_error = error
severity_warning = warning
finding_row = row { $row }
finding_column = column `{ $column }`
finding_value = value { $value }

# Why a file could not be read or written.
io_not_found = no such file
io_permission_denied = permission denied
io_is_a_directory = it is a folder, not a file
io_invalid_data = it is not text in UTF-8
io_other = { $detail }

# The first items of a long list, and how many more.
listed_more = { $listed }, and { $count } more
