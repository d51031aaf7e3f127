"""Backpropagation one observation at a time, exactly as chapter section 2 writes it.

Everything here uses numerator layout (∂y/∂x is m × n for y ∈ R^m, x ∈ R^n) and the explicit
Jacobians of the text: ∂L/∂ŷ as a 1 × D_y row, ∂z/∂h = diag(f'(h)), ∂h/∂c = I, ∂h/∂z = W and
the D_ℓ × (D_ℓ × D_{ℓ−1}) tensor ∂h/∂W. It is slow on purpose: it is the readable oracle that the
batched passes in `network` are tested against (chapter 3: the gradient over a data set is the
sum of the per-observation gradients).

Its functions take array-likes, as the rest of the library does: lists and arrays of any real
dtype become float64 arrays (`np.asarray`), so that the oracle computes in one precision.
"""

import numpy as np

from .checks import check_X, check_Y


def _floats(v):
    """v (a number, a vector or a matrix) as a float64 array."""
    return np.asarray(v, np.float64)


def dL_dyhat(loss, y, yhat):
    """∂L/∂ŷ for one observation: a 1 × D_y row (chapter 2.2.1)."""
    y, yhat = _floats(y), _floats(yhat)
    return loss.gradient(y.reshape(-1, 1), yhat.reshape(-1, 1)).reshape(1, -1)


def dz_dh(activation, h):
    """∂z/∂h: diag(f'(h)) for elementwise activations, D_ℓ × D_ℓ (chapter 2.2.2)."""
    return activation.jacobian(_floats(h))


def dh_dc(D):
    """∂h/∂c = I, D_ℓ × D_ℓ (chapter 2.2.3)."""
    return np.eye(D)


def dh_dW(z_prev, D):
    """∂h/∂W: a D_ℓ × (D_ℓ × D_{ℓ−1}) tensor T; slice i is zero except its row i, which is
    z_prevᵀ, since h_i = w_iᵀ z_prev + c_i depends only on row i of W (chapter 2.2.3)."""
    z_prev = _floats(z_prev)
    T = np.zeros((D, D, z_prev.size))
    for i in range(D):
        T[i, i, :] = z_prev
    return T


def dh_dz(W):
    """∂h/∂z_prev = W, D_ℓ × D_{ℓ−1} (chapter 2.2.4)."""
    return _floats(W)


def observation_gradients(net, x, y):
    """[(∂L/∂W^(ℓ), ∂L/∂c^(ℓ))] for one observation x (D_x,), y (D_y,), L = Σ_d L_d(ŷ)."""
    x = _floats(x)
    if x.shape != (net.D_x,):
        raise ValueError(f"x must be one observation of shape ({net.D_x},), D_x numbers; got "
                         f"shape {x.shape}")
    # Forward: keep every h^(ℓ) and z^(ℓ); z^(0) = x.
    h, z = [None], [x]
    for layer in net.layers:
        h.append(layer.W @ z[-1] + layer.c)
        z.append(layer.activation.value(h[-1].reshape(-1, 1)).ravel())
    L = len(net.layers)

    # ∇h^(L) = ∂L/∂ŷ · ∂ŷ/∂h^(L): a 1 × D_L row, the cached gradient of section 2.1.
    grad_h = dL_dyhat(net.loss_function, y, z[L]) @ dz_dh(net.layers[-1].activation, h[L])

    grads = [None] * L
    for ell in range(L, 0, -1):
        layer = net.layers[ell - 1]
        D = layer.shape[0]
        # ∂L/∂W^(ℓ) = ∇h^(ℓ) · ∂h^(ℓ)/∂W^(ℓ): contract the row with the tensor's first axis.
        dW = np.tensordot(grad_h.ravel(), dh_dW(z[ell - 1], D), axes=1)
        dc = (grad_h @ dh_dc(D)).ravel()
        grads[ell - 1] = (dW, dc)
        if ell > 1:
            # ∇h^(ℓ−1) = ∇h^(ℓ) · ∂h^(ℓ)/∂z^(ℓ−1) · ∂z^(ℓ−1)/∂h^(ℓ−1)
            below = net.layers[ell - 2].activation
            grad_h = grad_h @ dh_dz(layer.W) @ dz_dh(below, h[ell - 1])
    return grads


def gradients(net, X, Y):
    """The gradients of Σ_n Σ_d L_d(ŷ_n), summed one observation at a time (chapter 3)."""
    X = check_X(X, net.D_x, np.float64)
    Y = check_Y(Y, X.shape[0], net.D_y, np.float64)
    total = [(np.zeros(layer.shape), np.zeros(layer.shape[0])) for layer in net.layers]
    for x, y in zip(X, Y):
        for (dW_sum, dc_sum), (dW, dc) in zip(total, observation_gradients(net, x, y)):
            dW_sum += dW
            dc_sum += dc
    return total
