# Lo storico dei rilasci di una pipeline: ciò che si dice quando i suoi file non si rileggono.

## history/mod.rs

history_checksum_differs = il suo SHA-256 non è quello registrato nel manifesto
history_rows_differ = contiene un numero di righe diverso da quello registrato nel manifesto
writing_history_manifest = scrivendo il manifesto dello storico
history_damaged = il file dello storico è danneggiato ({ $why }); ripristinatelo da una copia di sicurezza, o spostate altrove la cartella dello storico per cominciarne uno nuovo
