"""A dense layer (chapter 1.2): h = W z + c, then z = f(h), for a batch of observations as columns.

W (D_ℓ × D_{ℓ−1}) and c (D_ℓ,) are views into the network's flat parameter vector, and dW, dc
views into its flat gradient vector, so a layer never owns memory of its own. Assigning to
`layer.W` or `layer.c` copies into the view; it never rebinds it.
"""

import numpy as np
import scipy.sparse as sp


class Dense:
    """One layer: parameters W, c, their gradients dW, dc, and the activation f."""

    def __init__(self, W, c, dW, dc, activation):
        self._W, self._c = W, c
        self.dW, self.dc = dW, dc
        self.activation = activation

    @property
    def W(self):
        return self._W

    @W.setter
    def W(self, value):
        self._W[...] = _same_shape(value, self._W, "W")

    @property
    def c(self):
        return self._c

    @c.setter
    def c(self, value):
        self._c[...] = _same_shape(value, self._c, "c")

    @property
    def shape(self):
        """(D_ℓ, D_{ℓ−1}): neurons in this layer and in the one below."""
        return self._W.shape

    def forward(self, Z_prev, Z, dF=None):
        """H = W Z_prev + c 1ᵀ, then Z = f(H), in the buffer Z (D_ℓ × N) that first holds H.

        With dF (a D_ℓ × N buffer), f'(H) is kept there for the backward pass; training passes
        it, prediction does not. Z_prev is D_{ℓ−1} × N.
        """
        H = Z
        if sp.issparse(Z_prev):
            H[...] = self._W @ Z_prev
        else:
            np.matmul(self._W, Z_prev, out=H)
        H += self._c[:, None]
        return self.activation.value_and_derivative(H, Z, dF)

    def backward(self, dH, Z_prev, ones, dZ_prev=None):
        """From ∇H = ∂L/∂H (D_ℓ × N), fill in the gradients of this layer's parameters:

            ∂L/∂W = ∇H Z_prevᵀ        ∂L/∂c = ∇H 1        and return ∂L/∂Z_prev = Wᵀ ∇H.

        `ones` is the vector 1 of length N (a matrix-vector product sums rows faster than
        np.sum); `dZ_prev` is the buffer for ∂L/∂Z_prev, None at the first layer, which needs none.
        It may be Z_prev itself: ∂L/∂Z_prev is written last, after every use of Z_prev.
        """
        if sp.issparse(Z_prev):
            self.dW[...] = (Z_prev @ dH.T).T
        else:
            np.matmul(dH, Z_prev.T, out=self.dW)
        np.matmul(dH, ones, out=self.dc)
        if dZ_prev is None:
            return None
        if self._W.shape[0] == 1:
            # One neuron: Wᵀ ∇H is an outer product, which broadcasting does faster than BLAS.
            return np.multiply(self._W.T, dH, out=dZ_prev)
        return np.matmul(self._W.T, dH, out=dZ_prev)

    def activation_backward(self, dZ, dF):
        """∇H = ∂L/∂Z ∘ f'(H), written over dZ; dF holds f'(H) from the forward pass (None for
        the linear activation, whose derivative is 1)."""
        if dF is not None:
            dZ *= dF
        return dZ

    def __repr__(self):
        D_out, D_in = self.shape
        return f"Dense({D_in} -> {D_out}, {self.activation.name})"


def _same_shape(value, target, name):
    value = np.asarray(value)
    if value.ndim and value.shape != target.shape:  # a scalar fills the whole array
        raise ValueError(f"{name} must have shape {target.shape}, got {value.shape}")
    return value
