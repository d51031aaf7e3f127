"""Numbers as people read them: scores and losses in fixed decimals, with the digits it takes
for a rounding never to say what the value is not."""

import math


def fixed(value, decimals=4):
    """`value` in `decimals` decimals, with two exceptions that keep the text honest: a value
    too small for the decimals to show has that many significant digits instead (the RMSE of a
    target measured in millionths is not 0.0000), and a value that the decimals would round to
    a whole number it is not has the decimals that tell it apart (an accuracy or ROC AUC of
    0.99996 is not the perfect 1.0000)."""
    value = float(value)
    if not math.isfinite(value):
        return f"{value:.{decimals}f}"  # nan, inf: said as Python says them
    if value != 0 and abs(value) < 10.0 ** (1 - decimals):
        return f"{value:.{decimals}g}"
    text = f"{value:.{decimals}f}"
    # 17 decimals tell any double in [-1, 1] from its neighbours; larger values stop earlier
    while float(text) != value and float(text) == round(value) and decimals < 17:
        decimals += 1
        text = f"{value:.{decimals}f}"
    return text
