# Lo scaricamento, il blocco e i file che lo strumento conserva; e il resoconto dell'esecuzione.

## fetch.rs

writing_cache_index = scrivendo l'indice della cache
offline_not_cached = --offline, e l'URL non è nella cache ({ $cache }): eseguite una volta senza --offline
http_client = impossibile preparare il client HTTP: { $detail }
http_timeout = nessuna risposta entro il tempo massimo ({ $detail })
http_request_failed = richiesta non riuscita: { $detail }
http_gave_up = { $reason }; abbandonata dopo { $attempts ->
        [one] { $attempts } tentativo
       *[other] { $attempts } tentativi
    }
http_not_modified_uncached = il server ha risposto 304 Not Modified a una richiesta senza copia nella cache
http_status = il server ha risposto { $status }
http_body_too_long = la risposta è di { $bytes } byte, più del limite di { $limit } (http.max_bytes)
http_checksum = lo SHA-256 della risposta è { $sha256 }, la pipeline si aspetta { $expected }
http_cache_store = impossibile salvare la risposta nella cache: { $detail }
http_body_stalled = la risposta ha smesso di arrivare entro il tempo massimo dopo { $bytes } byte
http_body_cut = la risposta si è interrotta dopo { $bytes } byte: { $detail }
http_body_cut_of = la risposta si è interrotta dopo { $bytes } byte su { $length }: { $detail }
http_body_over_limit = la risposta supera il limite di { $limit } byte (http.max_bytes)
http_body_short = la risposta si è interrotta: sono arrivati { $bytes } byte, Content-Length ne indicava { $length }

## lock.rs

lock_opening = aprendo { $file }: { $detail }
lock_locking = bloccando { $file }: { $detail }

## report.rs

# Perché si esegue la fase di una fonte, o che non si esegue.
stage_new = si esegue: nessun risultato precedente
stage_changed_input = si esegue: i suoi dati in ingresso sono cambiati
stage_changed_spec = si esegue: la sua parte del file della pipeline è cambiata
stage_changed_tool = si esegue: la versione dello strumento è cambiata
stage_forced = si esegue: --force
stage_unchanged = saltata: invariata
