# The pipeline file as written: TOML, sections, entries and their keys.

## mod.rs
unknown_section = unknown section `{ $name }`; expected one of: { $expected }
section_not_in_include = an included catalog may only hold { $expected }; `{ $name }` belongs in the pipeline file
included_twice = `{ $file }` is included twice
include_unreadable = cannot read the included catalog { $file }: { $reason }
pipeline_unreadable = cannot read the pipeline file: { $reason }
not_valid_toml = not valid TOML: { $detail }

## parse.rs
entry_name_not_snake_case = names are lower-case snake_case (letters, digits and `_`), e.g. `spid_per_100_residents`
section_not_a_table = `{ $section }` must be a table of named entries: [{ $section }.NAME]
entry_several_kinds = an entry has exactly one kind, written as [{ $key }.KIND]; found { $kinds }
entry_without_kind = write the entry as a table with its kind: [{ $key }.KIND], e.g. [{ $section }.NAME.csv]
unknown_key = unknown key `{ $key }`
unknown_key_closest = unknown key `{ $key }`; did you mean `{ $closest }`?
unknown_key_expected = unknown key `{ $key }`; expected one of: { $expected }
# A value the TOML reader refused; `found` and `expected` are the library's own words.
toml_missing_field = missing field `{ $field }`
toml_duplicate_field = duplicate field `{ $field }`
toml_unknown_variant = unknown variant `{ $variant }`, expected { $expected }
toml_expected_one_of = one of { $names }
toml_expected_either = { $first } or { $second }
toml_expected_name = { $name }
toml_invalid_type = invalid type: { $found }, expected { $expected }
toml_invalid_value = invalid value: { $found }, expected { $expected }
toml_found_integer = integer { $value }
toml_found_decimal = floating point { $value }
toml_found_text = string { $value }
toml_found_boolean = boolean { $value }
toml_found_list = sequence
toml_found_table = map
toml_expected_text = a string
toml_expected_list = a sequence
toml_expected_boolean = a boolean
toml_expected_integer = { $name }
toml_expected_number = { $name }
toml_expected_table = { $name }
toml_value_refused = { $detail }
