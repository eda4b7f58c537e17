# Le tabelle: che cosa faceva la libreria delle tabelle quando non è riuscita, e il controllo di una tabella con il suo schema.

## mod.rs
table_named = tabella `{ $table }`
table_column_type = la colonna `{ $column }` è di tipo { $kind }
table_no_column = nessuna colonna { $kind } `{ $column }`
table_kind_text = di testo
table_kind_number = numerica
table_kind_integer = di numeri interi
table_kind_flag = sì/no
table_joining = unione delle tabelle
table_nothing_to_join = nessuna tabella da unire
table_joining_named = unione delle tabelle `{ $table }`
table_filtering = filtro della tabella `{ $table }`
table_sorting = ordinamento della tabella `{ $table }`
table_building = costruzione della tabella `{ $table }`
table_writing = scrittura di { $what }
table_writing_table = scrittura della tabella `{ $table }`
table_reading = lettura di { $what }

## schema.rs
schema_columns = le colonne sono { $names }, lo schema vuole { $expected }
schema_type = lo schema vuole il tipo { $kind }
schema_required = il valore è obbligatorio
schema_enum = non è tra i valori ammessi
schema_pattern = non corrisponde al modello { $pattern }
schema_primary_key = la chiave { $key } = { $values } compare due volte
schema_not_finite = il valore non è un numero finito
schema_minimum = sotto il minimo { $minimum }
schema_maximum = sopra il massimo { $maximum }
