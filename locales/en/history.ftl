# The history of a pipeline's releases: what is said when its files do not read back.

## history/mod.rs

history_checksum_differs = its SHA-256 is not the one the manifest records
history_rows_differ = it holds another number of rows than the manifest records
writing_history_manifest = writing the history manifest
history_damaged = the history file is damaged ({ $why }); restore it from a backup, or move the history folder aside to start a new one
