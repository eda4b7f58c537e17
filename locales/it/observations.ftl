# I messaggi della tabella lunga: le osservazioni controllate sui territori, e che cosa può
# aver voluto dire un codice dei dati.

## observation.rs

unknown_territory = il codice di territorio { $territory } non è nell'elenco dei comuni (né tra le sue province e regioni) né è un'unione dichiarata
unknown_territory_hint = il codice di territorio { $territory } non è nell'elenco dei comuni (né tra le sue province e regioni) né è un'unione dichiarata; { $hint }
duplicate_observation = { $territory } ha un secondo valore per la misura `{ $measure }`, periodo { $period }; il primo è in { $file }, riga { $row }

## territory.rs

renamed_nuts = { $code } è il codice NUTS di { $target }
renamed_forward = { $code } è diventato { $new }
renamed_forward_on = { $code } è diventato { $new } il { $date }
renamed_backward = { $code } ha sostituito { $old } il { $date }, che l'elenco dei comuni ha ancora
hint_leading_zeros = forse { $code } ({ $name }, { $level })? Il codice sembra aver perso gli zeri iniziali, come quando un foglio di calcolo lo legge come numero
hint_unknown_province = la provincia { $province } non è nell'elenco dei comuni: il codice può essere anteriore a un riordino delle province (come quello della Sardegna); indicatene il codice attuale nel file delle variazioni di codice ([territories] code_changes)
hint_not_listed = non è un comune dell'elenco; se il comune è stato fuso in un altro o il suo codice è cambiato, indicate la variazione nel file delle variazioni di codice ([territories] code_changes)
hint_one_digit_apart = forse { $near }? Altrimenti, se il comune è stato fuso in un altro o il suo codice è cambiato, indicate la variazione nel file delle variazioni di codice ([territories] code_changes)
hint_two_codes = { $first } o { $second }
hint_three_codes = { $first }, { $second } o { $third }
