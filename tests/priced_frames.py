"""A small table of a number, a price and a target made of them, which the Parquet tests write
in several column types and compare across readers."""

import numpy as np
import pandas as pd


def priced_frame(n=120, seed=0):
    """n rows: 'a' (normal, 3 decimals), 'price' (1 to 50, 2 decimals) and 'y' made of both."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({"a": rng.normal(size=n).round(3),
                          "price": rng.uniform(1, 50, n).round(2)})
    frame["y"] = (frame["a"] - 0.1 * frame["price"] + rng.normal(0, 0.1, n)).round(2)
    return frame
