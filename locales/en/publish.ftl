# Writing a release: what the errors say was being written, and the releases kept (listing,
# rollback). The published files' own texts are not here: they are the citizens'.

## publish/datapackage.rs

serializing_table_schema = serializing a table schema

## publish/dcat.rs

writing_catalog_state = writing the catalog state
rdf_prefix = prefix { $prefix }
rdf_writing = writing { $file }

## publish/provenance.rs

writing_provenance = writing provenance.json

## publish/release.rs

release_flushing = flushing { $folder } to disk: { $detail }
release_linking = creating link { $link } -> { $target }: { $detail }
no_such_release = no release { $release } in { $folder }; `datavalley releases` lists them
no_current_release = no current release in { $folder }
current_release_is_oldest = the current release is the oldest kept: there is none before it

## site/render.rs
progress_pages = pages

template_compiling = template templates/{ $name }
template_rendering = rendering templates/{ $name }
