# Il file della pipeline come è scritto: TOML, sezioni, voci e le loro chiavi.

## mod.rs
unknown_section = sezione `{ $name }` sconosciuta; le sezioni possibili sono: { $expected }
section_not_in_include = un catalogo incluso può contenere solo { $expected }; `{ $name }` va nel file della pipeline
included_twice = `{ $file }` è incluso due volte
include_unreadable = impossibile leggere il catalogo incluso { $file }: { $reason }
pipeline_unreadable = impossibile leggere il file della pipeline: { $reason }
not_valid_toml = non è TOML valido: { $detail }

## parse.rs
entry_name_not_snake_case = i nomi sono in snake_case minuscolo (lettere, cifre e `_`), per esempio `spid_per_100_residents`
section_not_a_table = `{ $section }` deve essere una tabella di voci con nome: [{ $section }.NAME]
entry_several_kinds = una voce ha un solo tipo, scritto come [{ $key }.KIND]; trovati { $kinds }
entry_without_kind = scrivete la voce come una tabella con il suo tipo: [{ $key }.KIND], per esempio [{ $section }.NAME.csv]
unknown_key = chiave `{ $key }` sconosciuta
unknown_key_closest = chiave `{ $key }` sconosciuta; forse `{ $closest }`?
unknown_key_expected = chiave `{ $key }` sconosciuta; le chiavi possibili sono: { $expected }
# Un valore che il lettore TOML ha rifiutato; `found` ed `expected` sono le parole della libreria.
toml_missing_field = manca il campo `{ $field }`
toml_duplicate_field = il campo `{ $field }` è scritto due volte
toml_unknown_variant = valore `{ $variant }` sconosciuto, atteso { $expected }
toml_expected_one_of = uno tra { $names }
toml_expected_either = { $first } o { $second }
toml_expected_name = { $name }
toml_invalid_type = tipo non valido: { $found }, dove è atteso { $expected }
toml_invalid_value = valore non valido: { $found }, dove è atteso { $expected }
toml_found_integer = il numero intero { $value }
toml_found_decimal = il numero decimale { $value }
toml_found_text = il testo { $value }
toml_found_boolean = il valore booleano { $value }
toml_found_list = una lista
toml_found_table = una tabella
toml_expected_text = un testo
toml_expected_list = una lista
toml_expected_boolean = un valore booleano
toml_expected_integer = un numero intero ({ $name })
toml_expected_number = un numero ({ $name })
toml_expected_table = una tabella ({ $name })
toml_value_refused = { $detail }
