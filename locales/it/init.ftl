# `datavalley init`: che cosa non va nella richiesta, e il territorio della pipeline che ha scritto.

## init.rs
init_id_not_a_folder_name = --id { $id }: usate lettere minuscole, cifre e trattini (è il nome della cartella di uscita)
init_file_exists = { $file } esiste già: indicate un altro --id, oppure --force per sostituirlo
init_ipa_invalid = --ipa { $ipa } non è un codice IPA come lo scrive l'Indice delle Pubbliche Amministrazioni (lettere minuscole, cifre e `_`, per esempio c_h223)
init_mirror_invalid = --mirror { $mirror } non è un URL http:// o https://
init_union_name_empty = --unione: il nome dell'unione è vuoto
init_union_too_small = { $count ->
    [one] --comuni: un'unione ha almeno due comuni, ne è stato indicato { $count } (per un solo comune, --comune CODICE)
   *[other] --comuni: un'unione ha almeno due comuni, ne sono stati indicati { $count } (per un solo comune, --comune CODICE)
}
# Due problemi della richiesta, uno per riga.
init_lines =
    { $first }
    { $then }
init_not_the_list =
    { $list } non è l'elenco dei comuni dell'ISTAT come lo legge lo strumento:
    { $errors }
init_comune_twice = { $token }: { $code } ({ $name }) è indicato due volte
init_code_hint = { $code }: { $hint }
init_code_unknown = { $code }: non è un comune dell'elenco dell'ISTAT
init_name_unknown_closest = { $name } non è il nome di un comune dell'elenco dell'ISTAT; forse { $closest }?
init_name_unknown = { $name } non è il nome di un comune dell'elenco dell'ISTAT
init_name_candidate = { $code } in provincia di { $province }
init_name_candidates = { $first }, { $then }
init_name_ambiguous = { $name } è il nome di { $count } comuni: indicate il codice di quello che intendete ({ $candidates })
init_union_label = { $name } ({ $count } comuni)
init_comune_label = Comune di { $name }
