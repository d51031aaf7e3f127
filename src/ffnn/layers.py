"""A dense layer (chapter 1.2): h = W z + c, then z = f(h), for a batch of observations as columns.

W (D_ℓ × D_{ℓ−1}) and c (D_ℓ,) are views into the network's flat parameter vector, and dW, dc
views into its flat gradient vector, so a layer never owns memory of its own. Assigning to
`layer.W` or `layer.c` copies into the view; it never rebinds it. (The compiled engine builds
layers whose W and c are slices of its own parameter vector, and no dW, dc: the formulas are
the same, written against the namespace of W, `ffnn.arrays`.)
"""

import numpy as np
import scipy.sparse as sp

from .arrays import namespace
from .checks import as_float_array


class CopiedInto:
    """An array attribute `name`, held as `_name`, that assignment copies into (after checking
    that it holds real numbers, not complex, masked or text, of its shape) instead of rebinding:
    the views of it that others hold stay the array in use."""

    def __set_name__(self, owner, name):
        self.name, self.held = name, "_" + name

    def __get__(self, obj, owner=None):
        return self if obj is None else getattr(obj, self.held)

    def __set__(self, obj, value):
        target = getattr(obj, self.held)
        target[...] = _same_shape(value, target, self.name)


FIXED = ("fixed when the network is built, the backward pass being laid out for them: build a "
         "new Network with the activations wanted, and copy the params over")


class LayersActivations:
    """A network's activations, read from its layers as a tuple: assigning them is refused, as
    a layer's own are, so that no list of them can differ from what the layers compute."""

    def __get__(self, net, owner=None):
        return self if net is None else tuple(layer.activation for layer in net.layers)

    def __set__(self, net, value):
        raise AttributeError(f"a network's activations are {FIXED}")


class Dense:
    """One layer: parameters W, c, their gradients dW, dc, and the activation f."""

    def __init__(self, W, c, dW, dc, activation):
        self._W, self._c = W, c
        self.dW, self.dc = dW, dc
        self._activation = activation

    @property
    def activation(self):
        return self._activation

    @activation.setter
    def activation(self, value):
        raise AttributeError(f"a layer's activation is {FIXED}")

    W = CopiedInto()
    c = CopiedInto()

    @property
    def shape(self):
        """(D_ℓ, D_{ℓ−1}): neurons in this layer and in the one below."""
        return self._W.shape

    def forward(self, Z_prev, Z=None, dF=None, derivative=False):
        """H = W Z_prev + c 1ᵀ, then Z = f(H): returns (Z, f'(H)), f'(H) only with `derivative`
        (training keeps it for the backward pass; prediction does not ask).

        Z_prev is D_{ℓ−1} × N. In the NumPy engine Z (D_ℓ × N) is the buffer that first holds H,
        then Z in place, and dF the buffer for f'(H); the compiled engine passes none.
        """
        xp = namespace(self._W)
        if sp.issparse(Z_prev):
            H = xp.copyto(Z, self._W @ Z_prev)
        else:
            H = xp.matmul(self._W, Z_prev, out=Z)
        H = xp.add(H, self._c[:, None], out=H)
        return self.activation.value_and_derivative(H, H, dF, derivative)

    def backward(self, dH, Z_prev, ones, dZ_prev=None, below=True):
        """From ∇H = ∂L/∂H (D_ℓ × N), this layer's gradients and, if there is a layer `below`,
        the one to pass down:

            ∂L/∂W = ∇H Z_prevᵀ        ∂L/∂c = ∇H 1        ∂L/∂Z_prev = Wᵀ ∇H

        returned as (∂L/∂W, ∂L/∂c, ∂L/∂Z_prev or None). In the NumPy engine the first two are
        written into the network's gradient vector (dW, dc) and the third into `dZ_prev`, which
        may be Z_prev itself: it is written last, after every use of Z_prev. `ones` is the
        vector 1 of length N (a matrix-vector product sums rows faster than a sum).
        """
        xp = namespace(dH)
        if sp.issparse(Z_prev):
            dW = xp.copyto(self.dW, (Z_prev @ dH.T).T)
        else:
            dW = xp.matmul(dH, Z_prev.T, out=self.dW)
        dc = xp.matmul(dH, ones, out=self.dc)
        if not below:
            return dW, dc, None
        if self._W.shape[0] == 1:
            # One neuron: Wᵀ ∇H is an outer product, which broadcasting does faster than BLAS.
            return dW, dc, xp.multiply(self._W.T, dH, out=dZ_prev)
        return dW, dc, xp.matmul(self._W.T, dH, out=dZ_prev)

    def activation_backward(self, dZ, dF):
        """∇H = ∂L/∂Z ∘ f'(H), written over dZ; dF holds f'(H) from the forward pass (None for
        the linear activation, whose derivative is 1)."""
        if dF is not None:
            dZ = namespace(dZ).multiply(dZ, dF, out=dZ)
        return dZ

    def __repr__(self):
        D_out, D_in = self.shape
        return f"Dense({D_in} -> {D_out}, {self.activation.name})"


def _same_shape(value, target, name):
    value, given = as_float_array(value, name, target.dtype)  # not complex, masked, text, sparse
    if value.ndim and value.shape != target.shape:  # a scalar fills the whole array
        raise ValueError(f"{name} must have shape {target.shape}, got {value.shape}")
    too_large = np.count_nonzero(~np.isfinite(value) & np.isfinite(given))  # NaN, ±inf: as given
    if too_large:
        raise ValueError(
            f"{name} holds {too_large} number{'s' if too_large > 1 else ''} too large for {value.dtype} "
            f"(beyond ±{np.finfo(value.dtype).max:.4g}); scale them"
            + (", or use a float64 network" if value.dtype != np.float64 else ""))
    return value
