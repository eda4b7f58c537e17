# The long table's messages: observations checked against the territories, and what a code
# in the data may have meant.

## observation.rs

unknown_territory = territory code { $territory } is neither in the list of comuni (or its provinces and regions) nor a declared union
unknown_territory_hint = territory code { $territory } is neither in the list of comuni (or its provinces and regions) nor a declared union; { $hint }
duplicate_observation = { $territory } has a second value for measure `{ $measure }`, period { $period }; the first is in { $file }, row { $row }

## territory.rs

renamed_nuts = { $code } is the NUTS code of { $target }
renamed_forward = { $code } became { $new }
renamed_forward_on = { $code } became { $new } on { $date }
renamed_backward = { $code } replaced { $old } on { $date }, which the list of comuni still has
hint_leading_zeros = did you mean { $code } ({ $name }, { $level })? The code seems to have lost its leading zeros, as when a spreadsheet reads it as a number
hint_unknown_province = province { $province } is not in the list of comuni: the code may be older than a reorganisation of provinces (as Sardinia's); give its current code in the file of code changes ([territories] code_changes)
hint_not_listed = not a comune of the list; if the comune was merged into another or its code changed, give the change in the file of code changes ([territories] code_changes)
hint_one_digit_apart = did you mean { $near }? Else, if the comune was merged into another or its code changed, give the change in the file of code changes ([territories] code_changes)
hint_two_codes = { $first } or { $second }
hint_three_codes = { $first } or { $second } or { $third }
