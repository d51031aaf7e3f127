"""Loss functions L(ŷ): one loss per output variable, summed over observations (chapter 2.2.1, 3.2).

Every loss takes the targets and the predictions in the batched layout of chapter 3, Yᵀ and Ŷᵀ,
both D_y × N (one column per observation), and optional per-observation weights w (N,):

    value(Y, Yhat, weights=None)     the loss vector, entry d = Σ_n w_n L_d(ŷ_n)          (D_y,)
    gradient(Y, Yhat, weights=None)  ∂L/∂Ŷᵀ, entry (d, n) = w_n ∂L_d(ŷ_n)/∂ŷ_{d,n}         (D_y × N)
    total(Y, Yhat, weights=None)     Σ_d value_d, the scalar that training minimises

Y and Ŷ of other shapes, weights of another length or a Ŷ that is not floating-point are
refused (`layout.check_layout`), where NumPy would broadcast them or square integers that wrap.

A loss may name the output activation it is paired with (`output_activation`). For such a pair
the product ∂L/∂Ŷᵀ ∘ ∂Ŷᵀ/∂H^(L) simplifies to Ŷᵀ − Yᵀ (`output_gradient`), which stays finite
when the output saturates; the network uses it instead of the unfused chain.

`out` and `scratch`, where accepted, are preallocated D_y × N buffers, so that training computes
its loss without allocating arrays the size of a batch. The formulas are written once against
the namespace of the arrays (`ffnn.arrays`): NumPy's, in place, or JAX's, for the compiled
engine; totals are Python floats from NumPy arrays.
"""

import math

import numpy as np

from .arrays import instance_hint, namespace, parameters_hash, same_parameters, unwritten
from .layout import check_layout
from .log_terms import clip_probabilities, ratio, weighted


class Loss:
    """Base class. `output_activation` is the activation a loss requires at the output, if any."""

    name = ""
    output_activation = None
    targets = (-math.inf, math.inf)  # the targets y it is a loss of: low <= y <= high

    def pointwise(self, Y, Yhat, out=None, scratch=None):
        """L_d(ŷ_n) for every output d and observation n (D_y × N)."""
        raise NotImplementedError(unwritten(self, "pointwise(Y, Yhat, out=None, scratch=None)"))

    def gradient(self, Y, Yhat, weights=None, out=None):
        raise NotImplementedError(unwritten(self, "gradient(Y, Yhat, weights=None, out=None)"))

    def value(self, Y, Yhat, weights=None):
        check_layout(Y, Yhat, weights)
        xp = namespace(Yhat)
        L = self.pointwise(Y, Yhat)
        if weights is not None:  # a row of weight 0 adds nothing, even where its loss is inf
            L = xp.multiply(xp.where(weights != 0, L, 0), weights)
        return xp.sum(L, axis=1)

    def total(self, Y, Yhat, weights=None, out=None, scratch=None):
        check_layout(Y, Yhat, weights)
        xp = namespace(Yhat)
        L = self.pointwise(Y, Yhat, out=out, scratch=scratch)
        if weights is None:
            return xp.scalar(xp.sum(L))
        # A row of weight 0 adds nothing, even where its loss is infinite: 0·∞ would make J NaN,
        # taken for divergence. NumPy masks those rows only when the product is NaN (the usual
        # batch allocates nothing); the compiled engine, which pads batches with them, always.
        if xp.name != "numpy":
            return xp.sum(xp.matmul(xp.where(weights != 0, L, 0), weights))
        with np.errstate(invalid="ignore"):
            total = float(np.sum(np.matmul(L, weights)))
        return total if not math.isnan(total) else float(
            np.sum(np.matmul(np.where(weights != 0, L, 0), weights)))

    def total_and_gradient(self, Y, Yhat, weights=None, out=None, scratch=None):
        """(total, gradient) at once, the gradient written to `out`: what a training pass needs.
        Losses whose two halves share work override this to take fewer passes over the batch."""
        total = self.total(Y, Yhat, weights, out=out, scratch=scratch)
        return total, self.gradient(Y, Yhat, weights, out=out)

    def output_gradient(self, Y, Yhat, weights=None, out=None):
        """∇H^(L) = Ŷᵀ − Yᵀ (times the weights), for the paired output activation only."""
        check_layout(Y, Yhat, weights)
        xp = namespace(Yhat)
        out = xp.subtract(Yhat, Y, out=out)
        if weights is not None:
            out = weighted(out, weights, out=out)
        return out

    def __repr__(self):
        return f"{type(self).__name__}()"

    # Equal losses are the same function: one type, equal parameters (attributes), as activations.
    def __eq__(self, other):
        return same_parameters(self, other)

    def __hash__(self):
        return parameters_hash(self)


class _Squared(Loss):
    """L(ŷ) = (f/2)(y − ŷ)² per output;  ∂L/∂ŷ = f(ŷ − y)ᵀ, for a factor f.

    Both come from the residual R = ŷ − y, in `total_and_gradient`, the one place they are
    written: it takes two to four passes over the batch where a total and a gradient apart take
    seven, and `total` and `gradient` are it. The loss of one entry is ½ R · ∂L/∂ŷ.
    """

    factor = 1.0

    def total_and_gradient(self, Y, Yhat, weights=None, out=None, scratch=None):
        check_layout(Y, Yhat, weights)
        xp, f = namespace(Yhat), self.factor
        if weights is None:
            R = xp.subtract(Yhat, Y, out=out)
            total = 0.5 * f * xp.sum_of_products(R, R)
            out = R
        else:
            R = xp.subtract(Yhat, Y, out=scratch)
            with np.errstate(invalid="ignore"):  # NumPy: a plain product, whose NaN (0 · ∞,
                out = (xp.multiply if xp.name == "numpy" else weighted)(R, weights, out=out)
                total = 0.5 * f * xp.sum_of_products(out, R)  # weight 0, ŷ = ∞) the total shows
            if xp.name != "numpy" or math.isnan(total):  # rows of weight 0: see Loss.total
                total, out = Loss.total(self, Y, Yhat, weights), weighted(R, weights, out=out)
        if f != 1:
            out = xp.multiply(out, f, out=out)
        return total, out

    def total(self, Y, Yhat, weights=None, out=None, scratch=None):
        return self.total_and_gradient(Y, Yhat, weights, out, scratch)[0]

    def gradient(self, Y, Yhat, weights=None, out=None):
        return self.total_and_gradient(Y, Yhat, weights, out)[1]

    def pointwise(self, Y, Yhat, out=None, scratch=None):
        xp = namespace(Yhat)
        G = self.gradient(Y, Yhat, out=scratch)
        out = xp.subtract(Yhat, Y, out=out)
        out = xp.multiply(out, G, out=out)
        return xp.multiply(out, 0.5, out=out)


class RSS(_Squared):
    """L(ŷ) = (y − ŷ)² per output;  ∂L/∂ŷ = −2(y − ŷ)ᵀ: the chapter's loss, f = 2."""

    name = "rss"
    factor = 2.0


class SquaredError(_Squared):
    """L(ŷ) = ½(y − ŷ)² per output: half the RSS, scikit-learn's "squared_error", f = 1.

    The half makes the gradient ŷ − y, so the L2 penalty `alpha` weighs against the data exactly
    as it does in scikit-learn's MLPRegressor and Ridge.
    """

    name = "squared_error"
    factor = 1.0


class LogLoss(Loss):
    """L(ŷ) = −(y log ŷ + (1 − y) log(1 − ŷ)) per output;  ∂L/∂ŷ = (−y/ŷ + (1 − y)/(1 − ŷ))ᵀ.

    Paired with a sigmoid output, ∂L/∂ŷ ∘ σ'(h) = −y(1 − ŷ) + (1 − y)ŷ = ŷ − y, exact for soft
    targets y ∈ [0, 1] as well as for labels.

    Computed from ŷ, the loss is exact while ŷ and 1 − ŷ are: once ŷ rounds to 1 (h above
    about 37, or 17 in float32) the term (1 − y) log(1 − ŷ) stops at log(ε/2) (−36.7, or −16.6
    in float32), and once ŷ falls below the smallest normal number (h below about −708, or −87
    in float32) y log ŷ stops at y log(tiny) (−708.4 y, or −87.3 y), while the gradient ŷ − y
    stays exact. Only the logits h would give more, and ŷ is what the network's output holds.
    """

    name = "log_loss"
    output_activation = "sigmoid"
    targets = (0.0, 1.0)

    def pointwise(self, Y, Yhat, out=None, scratch=None):
        # Each term is formed on its own, (1 − y) log(1 − p) in `out`, y log p in `scratch`
        # (p clipped once for each), and only then added: both are ≤ 0 for y ∈ [0, 1], so the
        # sum keeps every digit. Rearranged as y (log p − log(1 − p)) + log(1 − p) it would take
        # −log p ≈ 1 − p, for y = 1, as the difference of two numbers near −log(1 − p).
        check_layout(Y, Yhat)
        xp = namespace(Yhat)
        L = clip_probabilities(Yhat, out)
        L = xp.log1p(xp.negative(L, out=L), out=L)
        L = xp.multiply(L, xp.subtract(1, Y, out=scratch), out=L)
        logP = xp.log(clip_probabilities(Yhat, scratch), out=scratch)
        logP = xp.multiply(logP, Y, out=logP)
        L = xp.add(L, logP, out=L)
        return xp.negative(L, out=L)

    def gradient(self, Y, Yhat, weights=None, out=None):
        check_layout(Y, Yhat, weights)
        xp = namespace(Yhat)
        G = -ratio(Y, Yhat) + ratio(1 - Y, 1 - Yhat)  # each term 0 where its y is
        if weights is not None:
            G = weighted(G, weights, out=G)
        return xp.copyto(out, G)


class CrossEntropy(Loss):
    """Multiclass cross-entropy. Y holds non-negative class weights per observation, one-hot for
    hard labels (then the total over d is −log ŷ_(true class)) or any soft targets; the loss
    vector's entry d is −y_d log ŷ_d;  ∂L/∂ŷ = (−y/ŷ)ᵀ.

    Paired with a softmax output, ∂L/∂ŷ · (diag(ŷ) − ŷŷᵀ) = ŷ Σ_d y_d − y, which is the familiar
    ŷ − y only when the targets of an observation sum to 1.

    Computed from ŷ, as log loss is: where ŷ_d falls below the smallest normal number (a logit
    about 708 below the column's largest, or 87 in float32) −y_d log ŷ_d stops at 708.4 y_d
    (87.3 y_d), while the gradient stays exact.
    """

    name = "cross_entropy"
    output_activation = "softmax"
    targets = (0.0, math.inf)

    def output_gradient(self, Y, Yhat, weights=None, out=None):
        """∇H^(L) = Ŷᵀ ∘ (1ᵀ Yᵀ) − Yᵀ (times the weights): exact for targets of any row sum."""
        check_layout(Y, Yhat, weights)
        xp = namespace(Yhat)
        out = xp.multiply(Yhat, xp.sum(Y, axis=0), out=out)
        out = xp.subtract(out, Y, out=out)
        if weights is not None:
            out = weighted(out, weights, out=out)
        return out

    def pointwise(self, Y, Yhat, out=None, scratch=None):
        check_layout(Y, Yhat)
        xp = namespace(Yhat)
        logP = xp.log(clip_probabilities(Yhat, out, below_one=False), out=out)
        logP = xp.multiply(logP, Y, out=logP)
        return xp.negative(logP, out=logP)

    def gradient(self, Y, Yhat, weights=None, out=None):
        check_layout(Y, Yhat, weights)
        xp = namespace(Yhat)
        out = xp.negative(ratio(Y, Yhat, out=out), out=out)  # 0 where y is
        if weights is not None:
            out = weighted(out, weights, out=out)
        return out


class Poisson(Loss):
    """Half the Poisson deviance per output: L(ŷ) = y log(y/ŷ) − y + ŷ;  ∂L/∂ŷ = (1 − y/ŷ)ᵀ.
    Paired with an exponential output (ŷ = exp(h)), ∂L/∂ŷ ∘ exp(h) = ŷ − y. Targets must be >= 0.

    The value is computed as (ŷ − y) − y log(1 + (ŷ − y)/y), not as written: near a good fit
    of large counts y log(y/ŷ) and ŷ − y nearly cancel, and summing them apart left single
    losses of float32 as noise (y ≈ 750, ŷ within 0.1%: some negative, their sum off by 0.4%).
    This form's rounding is a few ε of |ŷ − y|, the size of the gradient, not of y log y. Where
    ŷ/y underflows (exp(h) below y times the smallest normal number) the loss is inf, which
    training takes for divergence, while the gradient ŷ − y stays exact."""

    name = "poisson"
    output_activation = "exp"
    targets = (0.0, math.inf)

    def pointwise(self, Y, Yhat, out=None, scratch=None):
        # y log1p(r), r = (ŷ − y)/y: xlog1py gives 0 where y = 0, whatever r is (y is raised to
        # the smallest normal number to keep 0/0 out). An r that overflows (ŷ far above a y < 1)
        # is lowered to the largest number: y log1p(r) is then 709 y (88.7 y in float32), small
        # beside ŷ − y > 1e308 y (3e38 y); as inf it made L = −inf. Below r = −½ (ŷ < y/2), r
        # loses ŷ/y to rounding: there y log(ŷ/y), filled in place (the mask, 1 byte a value).
        check_layout(Y, Yhat)
        xp = namespace(Yhat)
        info = xp.finfo(Yhat.dtype)
        out = xp.subtract(Yhat, Y, out=out)
        r = xp.maximum(Y, float(info.tiny), out=scratch)
        with xp.ignoring_overflow():
            r = xp.divide(out, r, out=r)
        r = xp.clip(r, None, float(info.max), out=r)
        far = r < -0.5  # (y > 0 there)
        r = xp.xlog1py(Y, r, out=r)
        if xp.name != "numpy":
            r = xp.where(far, Y * xp.log(Yhat / xp.maximum(Y, float(info.tiny))), r)
        elif far.any():
            with np.errstate(divide="ignore", under="ignore"):  # log 0 = −inf: L = inf
                np.divide(Yhat, Y, out=r, where=far)
                np.log(r, out=r, where=far)
                np.multiply(Y, r, out=r, where=far)
        return xp.subtract(out, r, out=out)

    def gradient(self, Y, Yhat, weights=None, out=None):
        check_layout(Y, Yhat, weights)
        xp = namespace(Yhat)
        out = xp.subtract(1, ratio(Y, Yhat, out=out), out=out)  # 1 where y = 0
        if weights is not None:
            out = weighted(out, weights, out=out)
        return out


LOSSES = {cls.name: cls for cls in (RSS, LogLoss, CrossEntropy, SquaredError, Poisson)}


def get(loss):
    """Return the loss object for a name (e.g. "rss") or pass a Loss through."""
    if isinstance(loss, Loss):
        return loss
    if isinstance(loss, str) and loss in LOSSES:
        return LOSSES[loss]()
    raise ValueError(f"unknown loss {loss!r}; valid names are {', '.join(sorted(LOSSES))}"
                     f"{instance_hint(loss)}")
