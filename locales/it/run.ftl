# I messaggi di un'esecuzione: perché si esegue ogni fase, che cosa ha fatto, la riga con cui
# un'esecuzione finisce, ciò che `datavalley plan` dice della pipeline, e ciò che trovano il
# calcolo e la spiegazione.

## run/mod.rs

run_summary = { $run ->
        [one] { $run } fase eseguita
       *[other] { $run } fasi eseguite
    }, { $skipped ->
        [one] { $skipped } saltata
       *[other] { $skipped } saltate
    }; { $rows_in } righe in ingresso, { $rows_out } righe in uscita; { $files ->
        [one] { $files } file pubblicato
       *[other] { $files } file pubblicati
    }; { $seconds } s
output_table = tabella pubblicata `{ $table }`
release_pruned = rimosso il vecchio rilascio { $release }

## run/pipeline.rs

indicator_declared_twice = l'indicatore `{ $indicator }` è dichiarato anche in { $file }
# Ciò che `datavalley plan` stampa della pipeline, una riga ciascuno.
plan_pipeline = pipeline `{ $id }`: { $title }
plan_sources = fonti ({ $count }):
plan_source = {"  "}{ $name } ({ $kind }): { $location }
plan_unions = unioni:
plan_union = {"  "}{ $code } ({ $name }): { $comuni } comuni
plan_sums = somme sui comuni a livello di: { $levels }
plan_no_sums = somme sui comuni a livello di: nessuno
plan_indicators = indicatori ({ $count }):
plan_indicator = {"  "}sfida { $challenge } { $name } ({ $kind }): { $label }
plan_datasets = dataset ({ $count }):
plan_dataset = {"  "}{ $name } ({ $table }): { $title }

## run/ingest.rs

progress_sources = fonti
unknown_stage_source = nessuna fonte `{ $source }` nella pipeline; le sue fonti sono: { $sources }
source_stage_done = { $reason }, { $rows ->
        [one] { $rows } riga
       *[other] { $rows } righe
    }, { $observations ->
        [one] { $observations } osservazione
       *[other] { $observations } osservazioni
    }
source_shrank = ora { $now } righe contro { $previous } nell'ultima versione accettata, più del { $percent }% in meno; se chi pubblica le ha davvero rimosse, eseguite di nuovo con --accept-shrink
publish_forced = si esegue: --force
publish_no_release = si esegue: ancora nessun rilascio
publish_source_changed = si esegue: una fonte è cambiata rispetto al rilascio corrente
publish_pipeline_changed = si esegue: la sua parte del file della pipeline è cambiata
publish_became_stale = si esegue: i dati di una fonte sono ora più vecchi di quanto consenta il loro aggiornamento previsto
publish_unchanged = saltata: invariata, nulla da fare
publish_not_downloaded = si esegue, a meno che gli URL non ancora scaricati siano invariati
stage_not_downloaded = si esegue: il suo URL non è ancora stato scaricato

## run/kept.rs

keeping_source_result = conservando il risultato di una fonte

## run/harmonize.rs

code_change_not_a_comune = old_code e new_code sono codici ISTAT di comune a sei cifre
merged_codes = { $values } valori di comuni i cui codici sono cambiati sono sommati ai valori di { $comuni } comuni dell'elenco: { $listed }

## run/compute.rs

no_territories = non è stato possibile leggere l'elenco dei comuni (vedi sopra): i codici dei territori non sono stati controllati e non è stato calcolato nulla
unknown_member = l'unione `{ $union }` elenca { $member }, che non è nell'elenco dei comuni
unknown_focus = il territorio principale { $focus } non è tra i territori
unknown_focus_with_hint = il territorio principale { $focus } non è tra i territori; { $hint }
# Un campo che `datavalley init` ha lasciato da compilare: il suo posto nel file della pipeline, la sua chiave, e che cosa scrivere.
placeholder = `{ $key }`: { $detail }
no_accessibility_statement = manca {"["}site] accessibility_statement: le pagine non possono collegare la Dichiarazione di accessibilità che le pubbliche amministrazioni devono pubblicare
row_left_out = { $finding }; la riga è esclusa

## run/history.rs

release_not_in_history = il rilascio { $release } non è nello storico di { $folder }; `datavalley history` elenca i rilasci che contiene
no_history_yet = ancora nessuno storico in { $folder }: eseguite prima la pipeline
first_release_in_history = il rilascio { $release } è il primo dello storico: non ce n'è uno precedente con cui confrontarlo

## run/release.rs

writing_datapackage = scrivendo datapackage.json

## run/explain.rs

explain_unknown_indicator = la pipeline non ha l'indicatore `{ $indicator }` (`datavalley plan` li elenca)
explain_unknown_indicator_closest = la pipeline non ha l'indicatore `{ $indicator }`; forse `{ $closest }`? (`datavalley plan` li elenca)
explain_unknown_territory = { $territory } non è un territorio della pipeline
explain_unknown_territory_hint = { $territory } non è un territorio della pipeline; { $hint }
