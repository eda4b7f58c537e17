# Tables: what the table library was doing when it failed, and the check of a table against its schema.

## mod.rs
table_named = table `{ $table }`
table_column_type = column `{ $column }` has type { $kind }
table_no_column = no { $kind } column `{ $column }`
table_kind_text = text
table_kind_number = number
table_kind_integer = integer
table_kind_flag = yes/no
table_joining = joining tables
table_nothing_to_join = no table to join
table_joining_named = joining tables `{ $table }`
table_filtering = filtering table `{ $table }`
table_sorting = sorting table `{ $table }`
table_building = building table `{ $table }`
table_writing = writing { $what }
table_writing_table = writing table `{ $table }`
table_reading = reading { $what }

## schema.rs
schema_columns = columns are { $names }, the schema wants { $expected }
schema_type = the schema wants type { $kind }
schema_required = a value is required
schema_enum = not one of the allowed values
schema_pattern = does not match the pattern { $pattern }
schema_primary_key = the key { $key } = { $values } appears twice
schema_not_finite = the value is not a finite number
schema_minimum = below the minimum { $minimum }
schema_maximum = above the maximum { $maximum }
