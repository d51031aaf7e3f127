"""The terms y log ŷ of the losses where ŷ reaches 0 or 1: the probabilities their logarithms are
taken of, their derivatives y/ŷ, which are 0 wherever y is, as the terms are (not 0/0), and
those derivatives weighted, 0 in a row of weight 0 even where they are infinite (not 0 · ∞)."""

import numpy as np

from .arrays import namespace


def clip_probabilities(Yhat, out, below_one=True):
    """Ŷ with log(ŷ) (and, `below_one`, log(1 − ŷ)) finite: ŷ raised to the smallest normal
    number and lowered to the largest number below 1, 1 − ε/2 (`epsneg`).

    The logarithm of every normal number is exact, so a confidently wrong probability costs its
    true loss, up to −log(tiny) (708 in float64, 87 in float32): clipping at ε instead capped it
    at 36 (16 in float32) while ∇H^(L) = Ŷᵀ − Yᵀ kept growing, so that J fell as its gradient
    said it rose. Every ŷ below 1 is kept as it is, so 1 − ŷ is exact; only a ŷ that rounded to
    1 is lowered, costing −log(ε/2) (36.7, or 16.6 in float32) where y = 0."""
    xp = namespace(Yhat)
    info = xp.finfo(Yhat.dtype)
    if not below_one:
        return xp.maximum(Yhat, float(info.tiny), out=out)
    return xp.clip(Yhat, float(info.tiny), 1 - float(info.epsneg), out=out)


def ratio(Y, Yhat, out=None):
    """Y / Ŷ elementwise, the derivative of the terms Y log Ŷ, with 0 wherever Y is 0, Ŷ = 0
    included: a term whose coefficient y is 0 is absent, and so is its derivative. Where y > 0
    and ŷ = 0 it is inf, as the derivative is."""
    xp = namespace(Yhat)
    return xp.divide(Y, xp.where(Y != 0, Yhat, 1), out=out)


def weighted(G, weights, out=None):
    """G ∘ w, each column (observation) of G times its weight, and 0 in the columns of weight 0
    even where G is infinite (y/ŷ at ŷ = 0, or a residual ŷ − y where ŷ overflowed): a row of
    weight 0 adds nothing. (With no weight 0, as in NumPy's batches, no temporary is made.)"""
    xp = namespace(G)
    if xp.name == "numpy" and (weights.all() if isinstance(weights, np.ndarray) else
                               np.all(weights)):
        return xp.multiply(G, weights, out=out)
    return xp.multiply(xp.where(weights != 0, G, 0), weights, out=out)
