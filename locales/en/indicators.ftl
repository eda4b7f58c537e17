# The indicators' messages: their options, what computing them finds, the explanation of a
# value (`datavalley explain`, and the pages' «Come è calcolato» in Italian) and the check
# against a published figure.

## indicator/mod.rs

no_data = indicator `{ $indicator }` has no value anywhere: no usable observations of `{ $measures }`{ $hints }
# One hint for each measure the data lack, holding the next one ($more).
no_data_hint = ; the data has no `{ $measure }`: did you mean `{ $closest }`?{ $more }
indicator_no_value = indicator `{ $indicator }` has no value for { $territory }
indicator_no_value_in_period = indicator `{ $indicator }` has no value for { $territory } in { $period }; it has for { $periods }
indicator_challenge_out_of_range = challenges are numbered 1 to 8
indicator_challenge_not_declared = challenge { $challenge } is not declared in any [challenge.N] table
indicator_too_many_decimals = at most 6 decimals
indicator_empty_label = the label is empty
indicator_empty_unit = the unit is empty
indicator_benchmark_level = benchmarks are province, region or italy, not { $level }

## indicator/common.rs

incomplete_aggregate = indicator `{ $indicator }`: { $territory } in { $period } has `{ $measure }` for { $have } of its { $of } comuni; not computed
indicator_measure_not_snake_case = `{ $field }`: measure name `{ $measure }` is not snake_case

## indicator/ratio.rs

ratio_per = `per` is a positive number: 1, 100, 1000 ...
ratio_denominator_label = `denominator_label` says what the denominator counts
ratio_published_note = `published_note` explains a `published` figure, which is missing
ratio_denominator_level = the denominator is read in the province, region or italy, not { $level }
formula_ratio = `{ $numerator }` / `{ $denominator }` × { $per } ({ $label })
missing_denominator = indicator `{ $indicator }`: { $territory } has `{ $numerator }` for { $period } but { $denominator_territory } has no `{ $denominator }` for { $denominator_period }
zero_denominator = indicator `{ $indicator }`: `{ $denominator }` is 0 for { $territory } in { $period }; no ratio

## indicator/share.rs

share_at_least = `at_least` is a number
formula_share = comuni with `{ $measure }` at least { $at_least } / comuni of the territory × 100

## indicator/mean.rs

formula_mean = sum of `{ $measure }` over the territory's comuni / number of comuni

## indicator/sum.rs

formula_sum = `{ $measure }`: the territory's value, or the sum of its comuni
sum_mismatch = indicator `{ $indicator }`: { $territory } in { $period } has `{ $measure }` = { $direct } but its comuni add up to { $summed }

## indicator/target.rs

indicator_target_not_snake_case = `{ $field }`: `{ $value }` is not snake_case
formula_target = `{ $actual }` / `{ $target }` × 100: the value reached, as a percentage of the target
zero_target = indicator `{ $indicator }`: the target for { $period } is 0; no progress computed

## indicator/value.rs

formula_value = `{ $measure }`, as the source gives it

## indicator/check.rs

# The check of a recomputed figure against the published one; $terms, $implied and $note may
# be empty.
published_check = { $indicator } ({ $territory }, { $period }): recomputed { $computed }{ $terms }, published { $published }: { $agrees ->
        [true] agrees
       *[false] DISAGREES
    }{ $implied }{ $note }
published_check_terms = {" "}from { $numerator } over { $denominator }{ $label }
published_check_implied = ; the published figure implies a denominator of about { $denominator }

## indicator/explain.rs

explanation_formula = Formula: { $formula }
explanation_numerator_denominator = Numerator { $numerator }, denominator { $denominator }
explanation_check = Check: { $sentence }
explanation_rounding = {" "}(computed { $computed }, rounded to { $decimals } decimals)
explanation_benchmark = Benchmark, { $level ->
        [comune] comune
        [union] union of comuni
        [province] province
        [region] region
       *[italy] Italy
    } { $name } ({ $code }): { $value } { $unit }, computed the same way{ $ratio }
explanation_each_comune = { $count } comuni, one by one
explanation_summed = { $value }, sum of { $count } comuni
explanation_own_value = { $value }, the territory's own value
explanation_no_value = no value
explanation_term = { $role ->
        [numerator] Numerator
        [denominator] Denominator
       *[measure] Measure
    } `{ $measure }` of { $territory } for { $period }: { $how }{ $source }
explanation_observations_listed = { $count } observations, listed by the command `datavalley explain FILE { $indicator } { $territory }`
explanation_source = {" "}(source { $source })
explanation_merged_codes = , with the rows of the codes { $codes } (code changes)

## indicator/wording.rs

# A number with a fixed number of decimals: $whole is grouped the language's way.
decimal_number = { $sign }{ $whole }.{ $fraction }
