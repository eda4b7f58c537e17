# I messaggi delle fondamenta: gli errori che chiudono un comando, e ciò che ogni livello usa.

problems_in_pipeline = { $count ->
    [one] { $count } problema nel file della pipeline:
   *[other] { $count } problemi nel file della pipeline:
}
file_error = errore di lettura o scrittura: { $detail }
source_failed = fonte `{ $source }` ({ $file }): { $detail }
internal_error = errore interno: { $detail }
locked = un'altra esecuzione tiene il blocco su { $folder } ({ $holder }); questa si ferma senza attendere

# La riga di un rilievo: `errore[regola] file, riga 3, colonna `x`, valore "y": messaggio`.
severity_error = errore
severity_warning = avviso
finding_row = riga { $row }
finding_column = colonna `{ $column }`
finding_value = valore { $value }

# Perché un file non si è potuto leggere o scrivere.
io_not_found = il file non esiste
io_permission_denied = permesso negato
io_is_a_directory = è una cartella, non un file
io_invalid_data = non è testo in UTF-8
io_other = { $detail }

# I primi elementi di un elenco lungo, e quanti altri.
listed_more = { $listed }, e altri { $count }
