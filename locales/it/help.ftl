# L'aiuto della riga di comando: `help_<comando>` descrive un comando, `help_<comando>_<argomento>`
# un suo argomento, `help_arg_<argomento>` un argomento che più comandi hanno in comune.

## Intestazioni e righe in fondo a ogni pagina d'aiuto
help_usage_heading = Uso:
help_commands_heading = Comandi
help_command_value = COMANDO
help_options_value = [OPZIONI]
help_arguments_heading = Argomenti
help_options_heading = Opzioni
help_possible_values = [valori possibili: { $values }]
help_default_value = [predefinito: { $value }]
help_exit_codes =
    Codici di uscita:
      0  pubblicato, o nulla da fare
      1  segnalazioni sui dati: la validazione non è passata, non è stato pubblicato nulla
      2  errore di configurazione o d'uso (il file della pipeline, la riga di comando), un file
         dello storico danneggiato, o un errore dello strumento
      3  una fonte non si è potuta scaricare o leggere
      4  un'altra esecuzione tiene il blocco della cartella di output

## Argomenti di ogni comando
help_arg_help = Mostra l'aiuto
help_arg_version = Mostra la versione
help_arg_log_format = Come le righe di log sono scritte su stderr: `human`, o `json` (un oggetto per riga).
help_arg_lang = La lingua dei messaggi: `it` o `en`; se non indicata, da LC_ALL, LC_MESSAGES o LANG (inglese quando lo chiedono), altrimenti italiano.
help_arg_pipeline = Il file della pipeline, per esempio pipelines/val-d-enza.toml.
help_arg_output_dir = Dove sono pubblicati i rilasci: <DIR>/<id della pipeline>/current.
help_arg_cache_dir = Dove sono conservate le fonti scaricate; se non indicata, <cartella di output>/.cache.
help_arg_offline = Legge le fonti con un `url` solo dalla cache; si ferma quando una non c'è.
help_arg_accept_shrink = Accetta una fonte che ha molte meno righe della sua ultima versione accettata.

## datavalley
help_datavalley = Pipeline dichiarative di dati aperti per le pubbliche amministrazioni locali italiane

## run
help_run = Legge le fonti, calcola, valida e pubblica un rilascio (nulla quando nulla è cambiato).
help_run_run_time = L'ora dell'esecuzione scritta nei risultati (AAAA-MM-GGTHH:MM:SSZ); se non indicata, adesso, o SOURCE_DATE_EPOCH quando è impostata.
help_run_force = Esegue ogni fase, qualunque sia la sua impronta, e pubblica un nuovo rilascio.
help_run_stage = Esegue una sola fase: `source.NOME` (legge quella fonte e ne conserva il risultato) o `publish` (l'intera esecuzione).

## init
help_init = Scrive un nuovo file di pipeline per un'unione o un singolo comune, pronto da eseguire: i comuni cercati nell'elenco ISTAT, i file pubblici per URL, segnati i campi che solo voi conoscete.
help_init_unione = Il nome dell'unione, per esempio "Unione Terre d'Acqua"; i suoi comuni con --comuni.
help_init_comuni = I comuni dell'unione per codice ISTAT o per nome, separati da virgole: 037001,037009,...
help_init_comune = Un singolo comune, per codice ISTAT o per nome.
help_init_ipa = Il codice IPA dell'amministrazione (www.indicepa.gov.it); senza, un segnaposto.
help_init_dir = La cartella in cui è scritto il file della pipeline.
help_init_id = L'id della pipeline, che dà il nome al suo file e alla sua cartella di output; se non indicato, dal nome.
help_init_force = Sostituisce un file di pipeline che esiste già.
help_init_elenco = L'elenco ISTAT dei comuni in cui cercare codici e nomi: un file o un URL; se non indicato, l'URL dell'ISTAT, attraverso la cache.
help_init_mirror = Legge i file degli editori da una loro copia, servita come <URL>/<host>/<percorso>.

## check
help_check = Legge e controlla solo il file della pipeline; non legge dati.

## plan
help_plan = Dice quali fasi un'esecuzione eseguirebbe e perché.
help_plan_force = Come farebbe `run --force`.

## validate
help_validate = Legge e valida i dati, calcola gli indicatori, non pubblica nulla.

## explain
help_explain = Dice come è calcolato un valore: la formula, ogni termine con le osservazioni da cui è letto o sommato (e i loro file), l'arrotondamento, i valori di confronto e la verifica con un dato pubblicato.
help_explain_indicator = L'indicatore, con il suo nome nella pipeline.
help_explain_territory = Il territorio: un codice ISTAT, il codice di un'unione, o un nome.
help_explain_period = Il periodo; se non indicato, l'ultimo con un valore.

## releases
help_releases = Elenca i rilasci di una pipeline e quale è il corrente.

## history
help_history = Stampa le serie che lo storico dei rilasci della pipeline contiene: ogni periodo di ogni indicatore e territorio, con il rilascio che lo ha pubblicato ed eventuali revisioni.
help_history_indicator = Solo questo indicatore (il suo nome nella pipeline).
help_history_territory = Solo questo territorio (un codice ISTAT, o il nome di un'unione).

## diff
help_diff = Stampa cosa è cambiato tra due rilasci: valori nuovi, cambiati, rimossi e rivisti, e schede (progetti, candidature finanziate) nuove, cambiate o scomparse. Se non indicati: dal rilascio prima del corrente al corrente; con un solo rilascio, da quello al corrente.
help_diff_from = Il rilascio precedente, come lo elenca `releases`.
help_diff_to = Il rilascio successivo.

## rollback
help_rollback = Rende di nuovo corrente un rilascio precedente, in modo atomico (se non indicato, quello prima del corrente).
help_rollback_run_id = Il rilascio da rendere corrente, come lo elenca `releases`.

## help
help_help = Mostra questo messaggio o l'aiuto del comando indicato
