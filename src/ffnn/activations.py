"""Activation functions: z = f(h), applied to a layer's pre-activation H (chapter 1.3, 2.2.2).

Every activation takes the pre-activation H (D_ℓ × N, one column per observation) and offers,
side by side:

    value(H, out=None)              Z = f(H)
    derivative(H, Z=None, out=None) f'(H), elementwise; Z = f(H), when given, may be used instead
                                    of H by activations whose derivative is a function of z
    value_and_derivative(H, Z, dF)  both at once, for training: (Z, f'(H)); the buffers Z (which
                                    may be H itself) and dF receive them where arrays are mutable
    jacobian(h)                     ∂z/∂h for one observation, a D_ℓ × D_ℓ matrix (numerator layout)

`out`, when given, is a preallocated array of H's shape that receives the result. H is meant
to be floating-point, as the network's passes give it: integers or booleans are computed in the
type NumPy's own functions give them (ReLU's are integers, tanh and exp of int8 or of booleans
are float16, and a leaky ReLU refuses them). The formulas are written once against the
namespace of H (`ffnn.arrays`): NumPy's, in place into the buffers, or JAX's, functionally, for
the compiled engine.
"""

import numpy as np

from .arrays import instance_hint, namespace, parameters_hash, same_parameters, unwritten


class Activation:
    """Base class: an elementwise activation, so ∂z/∂h = diag(f'(h))."""

    name = ""
    elementwise = True
    hidden = True  # allowed in hidden layers (softmax and exp belong to output layers)
    # Whether f'(h) can be read from z = f(h) (sigmoid, tanh, exp): `derivative` is then given
    # H already overwritten by Z. If not (the default, as an activation of one's own may need h),
    # f'(h) is computed from h, before z overwrites it.
    derivative_from_output = False

    def value(self, H, out=None):
        raise NotImplementedError(unwritten(self, "value(H, out=None)"))

    def derivative(self, H, Z=None, out=None):
        raise NotImplementedError(unwritten(self, "derivative(H, Z=None, out=None)"))

    def value_and_derivative(self, H, Z, dF=None, derivative=True):
        """(Z, f'(H)): `value` and `derivative` themselves, in the order that needs no copy of H,
        Z in place when Z is H; without `derivative` (prediction), (Z, None)."""
        if not derivative:
            return self.value(H, out=Z), None
        if not self.derivative_from_output:
            dF = self.derivative(H, out=dF)
            return self.value(H, out=Z), dF
        Z = self.value(H, out=Z)
        return Z, self.derivative(H, Z, out=dF)

    def jacobian(self, h):
        """∂z/∂h = diag(f'(h)) for one observation h of shape (D_ℓ,)."""
        return np.diag(self.derivative(h))

    def __repr__(self):
        return f"{type(self).__name__}()"

    # Equal activations are the same function: the same type with the same parameters (its
    # attributes, such as a leaky ReLU's slope). The compiled engine keeps one compiled function
    # per architecture and reuses it for an equal one.
    def __eq__(self, other):
        return same_parameters(self, other)

    def __hash__(self):
        return parameters_hash(self)


class ReLU(Activation):
    """f(h) = max(h, 0);  f'(h) = 1 if h > 0 else 0 (0 at h = 0, the chapter's convention)."""

    name = "relu"

    def value(self, H, out=None):
        return namespace(H).maximum(H, 0, out=out)

    def derivative(self, H, Z=None, out=None):
        # The comparison written straight into a float buffer: no boolean temporary. (Training
        # could then take the value as H ∘ f'(H), one multiplication: measured 3% faster for a
        # float32 Adam epoch of the (128, 128) network in benchmarks/speed.py, within the
        # machine's noise, so there is one formula for the value instead.)
        xp = namespace(H)
        if out is None:
            out = xp.empty_like(H)
        return xp.greater(H, 0, out=out)


class LeakyReLU(Activation):
    """f(h) = h if h > 0 else slope·h;  f'(h) = 1 if h > 0 else slope.

    Any real slope is exact: f'(h) is exactly 1 or the slope, so f(h) = h·f'(h) is h or the
    rounded slope·h. A negative slope makes f non-monotonic (slope −1 gives |h|), so the sign of
    h cannot be read back from z = f(h), and f'(H) is always computed from H itself.
    """

    name = "leaky_relu"

    def __init__(self, slope=0.01):
        self.slope = float(slope)
        if not np.isfinite(self.slope):
            raise ValueError(f"the leaky ReLU's slope must be a finite number, got {slope!r}")

    def value(self, H, out=None):
        return self.value_and_derivative(H, out)[0]

    def value_and_derivative(self, H, Z, dF=None, derivative=True):
        """f(h) = h·f'(h), the derivative deciding where the slope applies: one formula for
        prediction and training, and for slopes in [0, 1] no temporary beyond dF."""
        dF = self.derivative(H, out=dF)  # from H, before Z (which may be H) is written
        return namespace(H).multiply(H, dF, out=Z), dF if derivative else None

    def derivative(self, H, Z=None, out=None):
        xp = namespace(H)
        if out is None:
            out = xp.empty_like(H)
        # 1 where h > 0, slope elsewhere: out·(1 − slope) + slope, in place (Python floats keep
        # the dtype), where (1 − slope) + slope rounds to 1 in H's dtype, as it does for every
        # slope in [0, 1]; otherwise (slope −1.1385, say, where it is 1 − 2⁻⁵²) a selection.
        complement, kind = 1.0 - self.slope, np.dtype(H.dtype).type
        if kind(complement) + kind(self.slope) != 1:
            return xp.copyto(out, xp.where(xp.greater(H, 0), 1.0, self.slope))
        out = xp.greater(H, 0, out=out)
        out = xp.multiply(out, complement, out=out)
        return xp.add(out, self.slope, out=out)

    def __repr__(self):
        return f"LeakyReLU(slope={self.slope})"


class Sigmoid(Activation):
    """σ(h) = 1 / (1 + exp(−h));  σ'(h) = σ(h)(1 − σ(h)).

    SciPy's expit never overflows: σ(−1e4) is 0 and σ(1e4) is 1, with no warning, in float32 and
    float64.
    """

    name = "sigmoid"
    derivative_from_output = True

    def value(self, H, out=None):
        return namespace(H).expit(H, out=out)

    def derivative(self, H, Z=None, out=None):
        xp = namespace(H)
        if Z is None:
            Z = xp.expit(H)
        out = xp.subtract(1, Z, out=out)
        return xp.multiply(out, Z, out=out)


class Linear(Activation):
    """f(h) = h;  f'(h) = 1 (no activation at all)."""

    name = "linear"

    def value(self, H, out=None):
        return namespace(H).copyto(out, H)

    def derivative(self, H, Z=None, out=None):
        return namespace(H).fill(H, 1, out=out)


def unit_derivative(f):
    """Whether f'(h) = 1 for every h, so that a backward pass may skip multiplying by it: f's
    derivative is the linear activation's own. A name says nothing: a class of one's own called
    "linear", or a subclass of Linear with another derivative, is multiplied by its f'(H)."""
    return type(f).derivative is Linear.derivative and \
        type(f).value_and_derivative is Activation.value_and_derivative


class Tanh(Activation):
    """f(h) = tanh(h);  f'(h) = 1 − tanh(h)²."""

    name = "tanh"
    derivative_from_output = True

    def value(self, H, out=None):
        return namespace(H).tanh(H, out=out)

    def derivative(self, H, Z=None, out=None):
        xp = namespace(H)
        if Z is None:
            Z = xp.tanh(H)
        out = xp.multiply(Z, Z, out=out)
        return xp.subtract(1, out, out=out)


class Exp(Activation):
    """f(h) = exp(h);  f'(h) = exp(h). The output layer of a Poisson regression."""

    name = "exp"
    hidden = False
    derivative_from_output = True

    def value(self, H, out=None):
        with np.errstate(over="ignore"):  # an overflow is caught as divergence by training
            return namespace(H).exp(H, out=out)

    def derivative(self, H, Z=None, out=None):
        if Z is None:
            return self.value(H, out=out)
        return namespace(H).copyto(out, Z)


class Softmax(Activation):
    """z_i = exp(h_i) / Σ_k exp(h_k) over each column; the output layer of a multiclass network.

    Softmax is not elementwise: ∂z/∂h = diag(z) − z zᵀ. In the batched pass it is only used with
    cross-entropy, where the product ∂L/∂ŷ · ∂ŷ/∂h simplifies to ŷ − y (see `losses`).
    """

    name = "softmax"
    elementwise = False
    hidden = False

    def value(self, H, out=None):
        # Subtracting each column's maximum keeps exp from overflowing; the ratio is unchanged.
        xp = namespace(H)
        out = xp.subtract(H, xp.max(H, axis=0, keepdims=True), out=out)
        out = xp.exp(out, out=out)
        return xp.divide(out, xp.sum(out, axis=0, keepdims=True), out=out)

    def derivative(self, H, Z=None, out=None):
        raise ValueError(
            "softmax has no elementwise derivative; its Jacobian is diag(z) - z z^T "
            "(see Softmax.jacobian), and networks use it only together with cross-entropy"
        )

    def jacobian(self, h):
        z = self.value(h.reshape(-1, 1)).ravel()
        return np.diag(z) - np.outer(z, z)


ACTIVATIONS = {
    cls.name: cls for cls in (ReLU, Sigmoid, Linear, Tanh, LeakyReLU, Softmax, Exp)
}
# scikit-learn's names for two of them, accepted wherever a name is.
ALIASES = {"identity": "linear", "logistic": "sigmoid"}
HIDDEN_ACTIVATIONS = tuple(name for name, cls in ACTIVATIONS.items() if cls.hidden)


def get(activation):
    """Return the activation object for a name (e.g. "relu", or scikit-learn's "logistic") or
    pass an Activation through."""
    if isinstance(activation, Activation):
        return activation
    if isinstance(activation, str) and ALIASES.get(activation, activation) in ACTIVATIONS:
        return ACTIVATIONS[ALIASES.get(activation, activation)]()
    raise ValueError(
        f"unknown activation {activation!r}; valid names are {', '.join(sorted(ACTIVATIONS))} "
        f"(and scikit-learn's {', '.join(sorted(ALIASES))}){instance_hint(activation)}"
    )
