"""The network (chapter 3): an ordered list of dense layers, with batched forward and backward passes.

Observations are columns inside: Z^(0) = Xᵀ (D_x × N), H^(ℓ) = W^(ℓ) Z^(ℓ−1) + c^(ℓ) 1ᵀ,
Z^(ℓ) = f^(ℓ)(H^(ℓ)), Ŷᵀ = Z^(L). The public methods take scikit-learn's X (N × D_x) and return
N × D_y; the transposes are views taken once, at this boundary.

All parameters live in one flat vector `params` laid out as scikit-learn packs its own,
[W^(1)ᵀ, …, W^(L)ᵀ, c^(1), …, c^(L)], each Wᵀ row-major; every layer's W and c are views into
it, and `grad` mirrors it for ∂L/∂θ. An optimizer updates `params` in one operation, L-BFGS
uses it as is, and the L2 penalty, which touches only the W's, is one slice.
"""

import threading
from copy import deepcopy

import numpy as np

from . import checks
from . import losses as _losses
from .activations import unit_derivative
from .checks import check_activations, check_dtype, check_layer_sizes, check_output, check_X, check_Y
from .init import initial_weights
from .layers import CopiedInto, Dense, LayersActivations
from .workspace import CHUNK_ELEMENTS, CHUNK_ELEMENTS_MAX, Workspace


class Network:
    """A feedforward network: Network([D_x, D_1, …, D_y], activations, loss).

    layer_sizes  the number of neurons in each layer, input first, output last
    activations  one activation per non-input layer (names or Activation objects)
    loss         "rss", "log_loss", "cross_entropy", "squared_error", "poisson" or a Loss
    dtype        "float64" or "float32": of θ, every pass and result (X and Y are converted to it)
    init         "he" (He for ReLU-family layers, else Glorot), "glorot" (see `init`) or None (zeros)
    """

    params, grad, activations = CopiedInto(), CopiedInto(), LayersActivations()  # see layers

    def __init__(self, layer_sizes, activations, loss, random_state=None, dtype="float64",
                 init="he"):
        self._build(layer_sizes, activations, loss, dtype)
        if init is not None:
            self.initialize(random_state, init)

    def _build(self, layer_sizes, activations, loss, dtype):
        """Check the architecture and lay out the flat parameter and gradient vectors."""
        self.layer_sizes = check_layer_sizes(layer_sizes)
        activations = check_activations(activations, len(self.layer_sizes) - 1)
        self.loss_function = _losses.get(loss)
        check_output(activations[-1], self.loss_function, self.layer_sizes[-1])
        self.dtype = check_dtype(dtype)
        self.n_weights = sum(D_out * D_in for D_out, D_in in self._shapes())
        n_params = self.n_weights + sum(self.layer_sizes[1:])
        self._params = np.zeros(n_params, dtype=self.dtype)
        self._grad = np.zeros(n_params, dtype=self.dtype)
        self._writing = threading.Lock()  # `gradients`, which writes grad: one call at a time
        self.layers = [Dense(W, c, dW, dc, f) for (W, c), (dW, dc), f in zip(
            self._views(self.params), self._views(self.grad), activations)]

    def _shapes(self):  # (D_out, D_in) of each layer's W
        return list(zip(self.layer_sizes[1:], self.layer_sizes[:-1]))

    def _views(self, theta, row_major=False):
        """[(W, c)] as views of a flat vector laid out as `params`: each W (D_out × D_in)
        column-major, so that Wᵀ, the (n_in, n_out) array of scikit-learn's `coefs_`, is
        row-major, and `ravel()` of a `coefs_` item a view that writes into the network, as
        scikit-learn's does (`row_major`: as each W was laid out before, in old pickles)."""
        views, w, c = [], 0, self.n_weights
        for D_out, D_in in self._shapes():
            block = theta[w:w + D_out * D_in]
            W = block.reshape(D_out, D_in) if row_major else block.reshape(D_in, D_out).T
            views.append((W, theta[c:c + D_out]))
            w, c = w + D_out * D_in, c + D_out
        return views

    # Pickling copies each view apart, breaking the sharing with `params`: rebuild the views.
    # "theta", not "params" (pickles of row-major W's): an older reader fails, not transposes.
    def __getstate__(self):
        return {"layer_sizes": self.layer_sizes, "activations": self.activations,
                "loss": self.loss_function, "dtype": self.dtype.name, "theta": self.params}

    def __setstate__(self, state):
        self._build(state["layer_sizes"], state["activations"], state["loss"], state["dtype"])
        if "theta" in state:
            self.params[...] = state["theta"]
            return
        for layer, (W, c) in zip(self.layers, self._views(state["params"], row_major=True)):
            layer.W, layer.c = W, c  # pickled when each W was laid out row-major

    def initialize(self, random_state=None, init="he"):
        """Fresh weights and zero biases, drawn from default_rng(random_state); init "he": He for
        ReLU-family layers, Glorot for the others; "glorot": Glorot for all."""
        rng = checks.seeded_generator(random_state)
        for layer in self.layers:
            D_out, D_in = layer.shape
            layer.W[...] = initial_weights(rng, D_out, D_in, layer.activation.name, init)
            layer.c[...] = 0
        return self

    # -- sizes -------------------------------------------------------------------------------

    @property
    def D_x(self):
        return self.layer_sizes[0]

    @property
    def D_y(self):
        return self.layer_sizes[-1]

    @property
    def weights(self):
        """All W^(ℓ), flattened: the slice of `params` that the L2 penalty applies to."""
        return self.params[: self.n_weights]

    @property
    def weight_grads(self):
        return self.grad[: self.n_weights]

    def chunk_rows(self):
        """How many observations a pass handles at once: large batches go in chunks of this many
        rows, which keeps narrow layers' buffers in cache and bounds wide ones' memory (faster
        than one pass over a whole large batch; see `workspace.CHUNK_ELEMENTS`)."""
        widest = max(self.layer_sizes[1:])
        rows = max(CHUNK_ELEMENTS // widest, min(2048, CHUNK_ELEMENTS_MAX // widest))
        return max(256, min(8192, rows))

    def workspace(self, N):
        """Buffers for passes over N observations (a chunk's worth, if N is larger)."""
        return Workspace(self.layer_sizes, self.derivatives_kept(), self.dtype,
                         min(N, self.chunk_rows()))

    def fused_output(self):
        """Whether the loss gives ∇H^(L) = Ŷᵀ − Yᵀ directly (sigmoid + log loss and the like)."""
        return checks.paired_output(self.layers[-1].activation, self.loss_function)

    def derivatives_kept(self):
        """Per layer, whether the backward pass multiplies by f'(H^(ℓ)), so that the forward
        pass keeps it: not for linear layers (f' = 1), nor for an output layer whose loss gives
        ∇H^(L) directly."""
        kept = [not unit_derivative(f) for f in self.activations]
        kept[-1] = kept[-1] and not self.fused_output()
        return kept

    def layers_of(self, theta):
        """Layers whose W and c are slices of θ, a flat vector laid out as `params` (as the
        compiled engine's parameters, a traced array): the same formulas, run on θ."""
        return self.layers_with(self._views(theta))

    def layers_with(self, pairs):
        """Layers with the given parameters [(W, c)] and this network's activations."""
        return [Dense(W, c, None, None, layer.activation)
                for (W, c), layer in zip(pairs, self.layers)]

    # -- the batched passes (observations are columns) ---------------------------------------
    # Each takes the layers (the network's own by default) and a workspace of buffers: the
    # NumPy engine's, filled in place, or the compiled engine's `Unbuffered`, whose every buffer
    # is None and whose passes return new arrays.

    def forward_columns(self, Z0, ws, layers=None):
        """Z^(ℓ) for ℓ = 1 … L, Ŷᵀ = Z^(L) last, from Z^(0) = Xᵀ (D_x × N), and each layer's
        f'(H^(ℓ)) where the backward pass needs it: ([Z^(ℓ)], [f'(H^(ℓ)) or None])."""
        Zs, dFs, Z_prev = [], [], Z0
        for layer, Z, dF, keep in zip(layers or self.layers, ws.Z, ws.dF, ws.keep):
            Z_prev, dF = layer.forward(Z_prev, Z, dF, keep)
            Zs.append(Z_prev)
            dFs.append(dF)
        return Zs, dFs

    def output_gradient(self, Y, Yhat, dF, ws, weights=None, layers=None):
        """The summed loss Σ_n w_n Σ_d L_d(ŷ_n) and ∇H^(L) = ∂L/∂H^(L) (in ws.dH):

            ∇H^(L) = ∂L/∂Ŷᵀ ∘ f^(L)'(H^(L))      (Ŷᵀ − Yᵀ for a paired output and loss)
        """
        loss = self.loss_function
        if self.fused_output():
            total = loss.total(Y, Yhat, weights, out=ws.dH, scratch=ws.scratch)
            return total, loss.output_gradient(Y, Yhat, weights, out=ws.dH)
        total, dL = loss.total_and_gradient(Y, Yhat, weights, ws.dH, ws.scratch)
        return total, (layers or self.layers)[-1].activation_backward(dL, dF)

    def backward_columns(self, Z0, dH, Zs, dFs, ws, layers=None):
        """Backpropagation from ∇H^(L) = dH (after forward_columns and output_gradient), walking
        the layers in reverse (chapter 3.2): [(∂L/∂W^(ℓ), ∂L/∂c^(ℓ))], in `grad` for the
        network's own layers.

            ∂L/∂W^(ℓ) = ∇H^(ℓ) Z^(ℓ−1)ᵀ,  ∂L/∂c^(ℓ) = ∇H^(ℓ) 1,  ∂L/∂Z^(ℓ−1) = W^(ℓ)ᵀ ∇H^(ℓ)
            ∇H^(ℓ−1)  = ∂L/∂Z^(ℓ−1) ∘ f^(ℓ−1)'(H^(ℓ−1))
        """
        layers = layers or self.layers
        grads = [None] * len(layers)
        for ell in range(len(layers) - 1, -1, -1):
            Z_prev = Zs[ell - 1] if ell > 0 else Z0
            # ∂L/∂Z^(ℓ−1) overwrites Z^(ℓ−1) in place, which layer ℓ reads before it writes.
            dZ_prev = Z_prev if ell > 0 and ws.in_place else None
            dW, dc, dZ = layers[ell].backward(dH, Z_prev, ws.ones, dZ_prev, below=ell > 0)
            grads[ell] = (dW, dc)
            if ell > 0:
                dH = layers[ell - 1].activation_backward(dZ, dFs[ell - 1])
        return grads

    def batch_loss_and_gradients(self, X, Y, ws, weights=None, layers=None):
        """Σ_n w_n Σ_d L_d(ŷ_n) over rows X (N × D_x), Y (N × D_y), and its gradients per layer:
        the forward pass, the output gradient and backpropagation, one after the other."""
        Z0 = X.T
        Zs, dFs = self.forward_columns(Z0, ws, layers)
        total, dH = self.output_gradient(Y.T, Zs[-1], dFs[-1], ws, weights, layers)
        return total, self.backward_columns(Z0, dH, Zs, dFs, ws, layers)

    def loss_and_gradient(self, X, Y, ws, weights=None):
        """Σ_n w_n Σ_d L_d(ŷ_n) for rows X (N × D_x), Y (N × D_y), with its gradient in `grad`.

        The fast path used by training: no validation, no allocation beyond the workspace. A
        batch larger than the workspace is done in chunks whose gradients are summed. Rows of
        weight 0 are left out: they add nothing to the total or the gradient, even where their
        output overflows (where 0 · ∞ would make the gradient NaN).
        """
        if weights is not None and not weights.all():
            kept = np.flatnonzero(weights)
            X, Y, weights = X[kept], Y[kept], weights[kept]
        N = X.shape[0]
        if N == 0:
            self.grad[...] = 0
            return 0.0
        if N <= ws.N:
            return self.batch_loss_and_gradients(X, Y, ws.rows(N), weights)[0]
        total, accumulated = 0.0, np.zeros_like(self.grad)  # θ-sized, once per large batch
        for start in range(0, N, ws.N):
            stop = min(start + ws.N, N)
            total += self.batch_loss_and_gradients(
                X[start:stop], Y[start:stop], ws.rows(stop - start),
                None if weights is None else weights[start:stop])[0]
            accumulated += self.grad
        np.copyto(self.grad, accumulated)
        return total

    # -- the public surface (rows in, rows out, validated) -----------------------------------

    def forward(self, X):
        """Ŷ for X (N × D_x): returns an N × D_y array. Raises ValueError where an output
        overflows (huge inputs or weights), never returning inf or NaN."""
        return self.predict_finite(check_X(X, self.D_x, self.dtype), checks.OVERFLOW)

    def predict_finite(self, X, why):
        """`predict_rows(X)`, or ValueError saying which rows overflowed and `why` (where
        "{dtype}" names the network's dtype), or which parameters are not finite, never an
        output holding inf or NaN."""
        with np.errstate(all="ignore"):  # overflow is reported below, once, as an error
            Yhat = self.predict_rows(X)
        if not np.isfinite(Yhat).all():
            checks.refuse_non_finite_parameters(self.layers)
            checks.refuse_non_finite_output(X, Yhat, why.format(dtype=self.dtype.name))
        return Yhat

    def predict_rows(self, X):
        """Ŷ (N × D_y) for an already validated X (N × D_x): the forward pass alone, each
        layer's activation applied in place, chunk by chunk, keeping nothing."""
        N, C = X.shape[0], self.chunk_rows()
        if N <= C:
            return self._forward_rows(X, [np.empty((N, D), self.dtype) for D in self.layer_sizes[1:]])
        buffers = [np.empty((C, D), self.dtype) for D in self.layer_sizes[1:]]
        Yhat = np.empty((N, self.D_y), self.dtype)
        for start in range(0, N, C):
            stop = min(start + C, N)
            Yhat[start:stop] = self._forward_rows(X[start:stop], [B[:stop - start] for B in buffers])
        return Yhat

    def _forward_rows(self, X, buffers):
        Z = X.T
        for layer, buffer in zip(self.layers, buffers):
            Z, _ = layer.forward(Z, buffer.T)
        return Z.T

    def loss(self, X, Y):
        """The chapter's loss vector: entry d is Σ_n L_d(ŷ_n). Shape (D_y,). ValueError where an
        output overflows, as in `forward`, or a target is outside the loss's `targets`."""
        X = check_X(X, self.D_x, self.dtype)
        Y = check_Y(Y, X.shape[0], self.D_y, self.dtype, self.loss_function)
        return self.loss_function.value(Y.T, self.predict_finite(X, checks.OVERFLOW).T)

    def gradients(self, X, Y):
        """[(∂L/∂W^(ℓ), ∂L/∂c^(ℓ)) for ℓ = 1 … L] of the summed scalar loss Σ_n Σ_d L_d(ŷ_n);
        ValueError where `loss` gives one (overflow, a target out of range) or a gradient overflows."""
        X = check_X(X, self.D_x, self.dtype, apart_from=self.grad)  # which the passes write
        Y = check_Y(Y, X.shape[0], self.D_y, self.dtype, self.loss_function, apart_from=self.grad)
        with self._writing, np.errstate(all="ignore"):  # one thread at a time; overflow: below
            self.loss_and_gradient(X, Y, self.workspace(X.shape[0]))
            grads = [(layer.dW.copy(), layer.dc.copy()) for layer in self.layers]
        if not all(np.isfinite(dW).all() and np.isfinite(dc).all() for dW, dc in grads):
            self.predict_finite(X, checks.OVERFLOW)  # names the rows whose output overflowed
            raise ValueError(f"the gradient overflowed: {checks.OVERFLOW.format(dtype=self.dtype)}")
        return grads

    def copy(self):
        """An independent network: its own parameters, activations and loss, equal to these."""
        return deepcopy(self)  # through __getstate__ and __setstate__, as pickle does

    def __repr__(self):
        sizes = ", ".join(map(str, self.layer_sizes))
        names = ", ".join(f.name for f in self.activations)
        return f"Network([{sizes}], [{names}], {self.loss_function.name!r}, dtype={self.dtype.name!r})"
