# I messaggi degli indicatori: le loro opzioni, ciò che il calcolo trova, la spiegazione di un
# valore (`datavalley explain`, e «Come è calcolato» nelle pagine) e la verifica rispetto a un
# valore pubblicato.

## indicator/mod.rs

no_data = l'indicatore `{ $indicator }` non ha alcun valore: nessuna osservazione utilizzabile di `{ $measures }`{ $hints }
# Un suggerimento per ogni misura che manca nei dati, che contiene il successivo ($more).
no_data_hint = ; i dati non hanno `{ $measure }`: forse `{ $closest }`?{ $more }
indicator_no_value = l'indicatore `{ $indicator }` non ha valori per { $territory }
indicator_no_value_in_period = l'indicatore `{ $indicator }` non ha un valore per { $territory } in { $period }; ne ha per { $periods }
indicator_challenge_out_of_range = le sfide sono numerate da 1 a 8
indicator_challenge_not_declared = la sfida { $challenge } non è dichiarata in nessuna tabella [challenge.N]
indicator_too_many_decimals = al massimo 6 decimali
indicator_empty_label = l'etichetta è vuota
indicator_empty_unit = l'unità di misura è vuota
indicator_benchmark_level = i confronti sono con province, region o italy, non con { $level }

## indicator/common.rs

incomplete_aggregate = indicatore `{ $indicator }`: { $territory } in { $period } ha `{ $measure }` per { $have } dei suoi { $of } comuni; non calcolato
indicator_measure_not_snake_case = `{ $field }`: il nome di misura `{ $measure }` non è in snake_case

## indicator/ratio.rs

ratio_per = `per` è un numero positivo: 1, 100, 1000 ...
ratio_denominator_label = `denominator_label` dice che cosa conta il denominatore
ratio_published_note = `published_note` spiega un valore `published`, che manca
ratio_denominator_level = il denominatore si legge nella provincia, nella regione o in Italia (province, region o italy), non in { $level }
formula_ratio = `{ $numerator }` / `{ $denominator }` × { $per } ({ $label })
missing_denominator = indicatore `{ $indicator }`: { $territory } ha `{ $numerator }` per { $period } ma { $denominator_territory } non ha `{ $denominator }` per { $denominator_period }
zero_denominator = indicatore `{ $indicator }`: `{ $denominator }` è 0 per { $territory } in { $period }; nessun rapporto

## indicator/share.rs

share_at_least = `at_least` è un numero
formula_share = comuni con `{ $measure }` almeno { $at_least } / comuni del territorio × 100

## indicator/mean.rs

formula_mean = somma di `{ $measure }` sui comuni del territorio / numero dei comuni

## indicator/sum.rs

formula_sum = `{ $measure }`: il valore del territorio, o la somma dei suoi comuni
sum_mismatch = indicatore `{ $indicator }`: { $territory } in { $period } ha `{ $measure }` = { $direct } ma i suoi comuni sommano { $summed }

## indicator/target.rs

indicator_target_not_snake_case = `{ $field }`: `{ $value }` non è in snake_case
formula_target = `{ $actual }` / `{ $target }` × 100: il valore raggiunto, in percentuale dell'obiettivo
zero_target = indicatore `{ $indicator }`: l'obiettivo per { $period } è 0; nessun avanzamento calcolato

## indicator/value.rs

formula_value = `{ $measure }`, come lo dà la fonte

## indicator/check.rs

# La verifica di un valore ricalcolato rispetto a quello pubblicato; $terms, $implied e $note
# possono essere vuoti.
published_check = { $indicator } ({ $territory }, { $period }): ricalcolato { $computed }{ $terms }, pubblicato { $published }: { $agrees ->
        [true] concorda
       *[false] non concorda
    }{ $implied }{ $note }
published_check_terms = {" "}da { $numerator } su { $denominator }{ $label }
published_check_implied = ; il valore pubblicato implica un denominatore di circa { $denominator }

## indicator/explain.rs

explanation_formula = Formula: { $formula }
explanation_numerator_denominator = Numeratore { $numerator }, denominatore { $denominator }
explanation_check = Verifica: { $sentence }
explanation_rounding = {" "}(calcolato { $computed }, arrotondato a { $decimals } decimali)
explanation_benchmark = Confronto, { $level ->
        [comune] comune
        [union] unione di comuni
        [province] provincia
        [region] regione
       *[italy] Italia
    } { $name } ({ $code }): { $value } { $unit }, calcolato allo stesso modo{ $ratio }
explanation_each_comune = { $count } comuni, uno per uno
explanation_summed = { $value }, somma di { $count } comuni
explanation_own_value = { $value }, valore del territorio
explanation_no_value = nessun valore
explanation_term = { $role ->
        [numerator] Numeratore
        [denominator] Denominatore
       *[measure] Misura
    } `{ $measure }` di { $territory } per { $period }: { $how }{ $source }
explanation_observations_listed = { $count } osservazioni, elencate dal comando `datavalley explain FILE { $indicator } { $territory }`
explanation_source = {" "}(fonte { $source })
explanation_merged_codes = , con le righe dei codici { $codes } (variazioni dei codici)

## indicator/wording.rs

# Un numero con un numero fisso di decimali: $whole è raggruppato secondo la lingua.
decimal_number = { $sign }{ $whole },{ $fraction }
