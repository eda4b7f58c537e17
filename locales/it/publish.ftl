# La scrittura di un rilascio: che cosa si stava scrivendo quando c'è un errore, e i rilasci
# conservati (elenco, ritorno a un rilascio precedente). I testi dei file pubblicati non sono
# qui: sono per i cittadini.

## publish/datapackage.rs

serializing_table_schema = serializzando lo schema di una tabella

## publish/dcat.rs

writing_catalog_state = scrivendo lo stato del catalogo
rdf_prefix = prefisso { $prefix }
rdf_writing = scrivendo { $file }

## publish/provenance.rs

writing_provenance = scrivendo provenance.json

## publish/release.rs

release_flushing = scrivendo su disco { $folder }: { $detail }
release_linking = creando il collegamento { $link } -> { $target }: { $detail }
no_such_release = nessun rilascio { $release } in { $folder }; `datavalley releases` li elenca
no_current_release = nessun rilascio corrente in { $folder }
current_release_is_oldest = il rilascio corrente è il più vecchio conservato: non ce n'è uno precedente

## site/render.rs
progress_pages = pagine

template_compiling = modello templates/{ $name }
template_rendering = applicando il modello templates/{ $name }
