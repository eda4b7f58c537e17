# `datavalley init`: what is wrong with the request, and the territory of the pipeline it wrote.

## init.rs
init_id_not_a_folder_name = --id { $id }: use lower-case letters, digits and dashes (it names the output folder)
init_file_exists = { $file } exists already: give another --id, or --force to replace it
init_ipa_invalid = --ipa { $ipa } is not an IPA code as the Indice delle Pubbliche Amministrazioni writes it (lower-case letters, digits and `_`, e.g. c_h223)
init_mirror_invalid = --mirror { $mirror } is not an http:// or https:// URL
init_union_name_empty = --unione: the union's name is empty
init_union_too_small = --comuni: a union has at least two comuni, { $count } given (for a single comune, --comune CODE)
# Two problems of the request, one a line.
init_lines =
    { $first }
    { $then }
init_not_the_list =
    { $list } is not ISTAT's list of comuni as the tool reads it:
    { $errors }
init_comune_twice = { $token }: { $code } ({ $name }) is given twice
init_code_hint = { $code }: { $hint }
init_code_unknown = { $code }: not a comune of ISTAT's list
init_name_unknown_closest = { $name } is not the name of a comune in ISTAT's list; did you mean { $closest }?
init_name_unknown = { $name } is not the name of a comune in ISTAT's list
init_name_candidate = { $code } in { $province }
init_name_candidates = { $first }, { $then }
init_name_ambiguous = { $name } names { $count } comuni: give the code of the one you mean ({ $candidates })
init_union_label = { $name } ({ $count } comuni)
init_comune_label = Comune di { $name }
