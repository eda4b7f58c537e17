# Ciò che i comandi stampano, e gli errori della riga di comando.

## cli/mod.rs
usage_run_time = --run-time { $value } non è nella forma 2026-11-23T09:17:11Z
usage_source_date_epoch = SOURCE_DATE_EPOCH={ $value } non è un numero di secondi
usage_init_whose = dite di chi è la pipeline: --unione NOME --comuni CODICI, oppure --comune CODICE
usage_stage = --stage { $stage }: le fasi sono `source.NOME` e `publish`
outcome_published = pubblicato
outcome_nothing_to_do = nulla da fare
outcome_blocked = bloccato
outcome_failed = fallito
outcome_ingested = fonte letta
summary = { $outcome }; { $line }
init_wrote_pipeline = scritto { $file }: { $territory }
init_wrote = scritto { $file }
init_kept_own = mantenuto { $file }: è diverso da quello dello strumento, ed è vostro
init_next = poi: datavalley check { $file }, quindi datavalley run { $file }
to_fill = { $count ->
    [one] { $count } campo contiene ancora il segnaposto scritto da `datavalley init`; compilatelo prima di pubblicare:
   *[other] { $count } campi contengono ancora il segnaposto scritto da `datavalley init`; compilateli prima di pubblicare:
}
check_ok = { $file }: ok ({ $sources ->
        [one] { $sources } fonte
       *[other] { $sources } fonti
    }, { $indicators ->
        [one] { $indicators } indicatore
       *[other] { $indicators } indicatori
    }, { $datasets } dataset)
validate_counts = { $file }: { $observations } osservazioni, { $rows } righe di indicatori, { $errors ->
        [one] { $errors } errore
       *[other] { $errors } errori
    }, { $warnings ->
        [one] { $warnings } avviso
       *[other] { $warnings } avvisi
    }
explain_source = Fonte { $name }: { $label }
explain_source_file = { $location } ({ $rows } righe)
no_releases = nessun rilascio in { $folder }
release_current = { $release }  (corrente)
rollback_done = il rilascio corrente è ora { $release }
current_release = rilascio corrente: { $path }
published = pubblicato { $path }
nothing_to_do = nulla da fare: { $path } è aggiornato
nothing_published = nulla pubblicato: { $errors ->
        [one] { $errors } errore
       *[other] { $errors } errori
    }, { $warnings ->
        [one] { $warnings } avviso
       *[other] { $warnings } avvisi
    }
stages = fasi:
writing_explanation = scrittura della spiegazione

## cli/help.rs: gli errori negli argomenti
usage_unknown_argument = argomento inatteso `{ $argument }`
usage_unknown_command = comando sconosciuto `{ $command }`
usage_missing_value = `{ $argument }` vuole un valore
usage_invalid_value = valore `{ $value }` non valido per `{ $argument }` (valori possibili: { $valid })
usage_invalid_value_plain = valore `{ $value }` non valido per `{ $argument }`
usage_missing_argument = manca: { $argument }
usage_conflict = `{ $argument }` non si può usare insieme a `{ $prior }`
usage_missing_command = dite quale comando eseguire
usage_number_of_values = numero di valori sbagliato per `{ $argument }`
usage_no_equals = `{ $argument }` vuole il valore dopo un `=`
usage_suggestion = forse `{ $suggestion }`?
usage_more = Per saperne di più: `--help`.

## cli/history.rs
history_release = rilascio { $release } del { $run_time }
history_rolled_back = annullato con rollback
history_never_current = mai diventato corrente
history_left_behind = rilascio { $release } del { $run_time }  ({ $why }: conservato, non fa parte dello storico)
history_no_match = nessun valore corrisponde nello storico di { $folder }
history_value_in = { $value } in { $release }
history_revised = (rivisto; prima: { $before })
history_value = { $indicator }  { $territory }  { $period }  { $value } { $unit }  rilascio { $release }
diff_heading = da { $from } ({ $from_time }) a { $to } ({ $to_time }): { $new } nuovi, { $changed } cambiati, { $removed } rimossi, { $revised } rivisti; { $records } schede cambiate
diff_dated = { $value } { $unit } ({ $period })
change_new = nuovo
change_changed = cambiato
change_removed = rimosso
change_revised = rivisto
diff_record = scheda { $kind } { $table }  { $label } ({ $key })  { $fields }
