"""The compiled engine: the chapter's passes and the update rules, jit-compiled per epoch by JAX.

An epoch is one call of a compiled function: `lax.scan` over the epoch's minibatches, each step
gathering its rows on the device, computing J_B and ∇J_B with the network's own batched passes
(`Network.batch_loss_and_gradients`, on layers made of the step's parameters) plus the penalty
(`penalty`, `row_factors`), and taking the update rule's own step (`rule.step`, on each W and c).
No formula is written here: they are the NumPy engine's, run on JAX's arrays (`ffnn.arrays`),
and the backward pass is the chapter's, not `jax.grad`. The minibatch order is drawn on the host
from the trainer's Generator, exactly as the NumPy engine draws it, and sent as indices; a last
batch smaller than the others is padded with copies of its first row with factor 0, which add
nothing. After each epoch θ comes back to the host network, so that scoring, callbacks and
everything after `fit` see NumPy arrays; what else the Trainer asks between epochs (is θ finite?
keep a copy of it; put back the θ an epoch started from) is answered on the device, where θ still
is. Data too large for the device's memory or for int32 indices is sent a block of batches at a time.

float32 runs with exact float32 matrix products unless `precision="tf32"` allows TensorFloat-32
(faster on GPUs, about 3 significant digits in each product); float64 runs inside JAX's x64 mode,
switched on for this engine's calls only. JAX is imported when this module is.
"""

import copy
import functools

import jax
import jax.numpy as jnp
import numpy as np
import scipy.sparse as sp

from ..arrays import ByParameters
from ..network import Network
from ..workspace import Unbuffered
from . import jax_device, optimizers
from .jax_device import device_context
from .objective import penalty, row_factors, weight_shares


@functools.lru_cache(maxsize=64)
def _network(spec):
    """A parameterless network of the given architecture, whose passes the compiled functions
    trace (its own parameters are never used)."""
    sizes, activations, loss, dtype = spec
    return Network(list(sizes), [f.function for f in activations], loss.function, dtype=dtype,
                   init=None)


def network_spec(net):
    """The architecture, the key of the compiled functions, which trace the activations' and the
    loss's parameters as constants: it holds copies of them, so that a parameter changed after a
    fit (even an array written in place) makes another key rather than find the function traced
    with its old value, compared by their parameters (`ByParameters`)."""
    activations, loss = copy.deepcopy((net.activations, net.loss_function))
    return (tuple(net.layer_sizes), tuple(map(ByParameters, activations)), ByParameters(loss),
            net.dtype.name)


def rule_spec(rule):
    """What the compiled step needs of an update rule: its kind and fixed hyperparameters (the
    step sizes are arguments, so schedules do not recompile)."""
    if isinstance(rule, optimizers.SGD):
        return ("sgd", rule.momentum, rule.nesterov)
    if isinstance(rule, optimizers.Adam):
        return ("adam", rule.beta_1, rule.beta_2, rule.epsilon)
    return ("gd",)


def _rule(spec):
    kind, *values = spec
    if kind == "sgd":
        return optimizers.SGD(0.0, *values)
    if kind == "adam":
        return optimizers.Adam(0.0, *values)
    return optimizers.GradientDescent(0.0)


def pairs_of(net, theta):
    """θ, a flat vector laid out as the network's `params`, as the layers' [(W, c)]."""
    return [(layer.W, layer.c) for layer in net.layers_of(theta)]


def flat(pairs):
    """[(W, c)] back to one vector laid out as the network's `params`: every W (column-major,
    that is Wᵀ row by row), then every c."""
    return jnp.concatenate([W.T.ravel() for W, _ in pairs] + [c for _, c in pairs])


def layer_objective(net, pairs, X, Y, factors, strength, penalized=True):
    """J_B and ∇J_B per layer, [(∂J_B/∂W, ∂J_B/∂c)], for parameters [(W, c)] and rows X, Y (N × D)
    whose factors in J_B are given (see `row_factors`): the network's batched passes, then the
    penalty on each W (left out when `penalized` is False, that is when its strength is 0)."""
    ws = Unbuffered(net.derivatives_kept(), jnp.ones(X.shape[0], X.dtype))
    total, grads = net.batch_loss_and_gradients(X, Y, ws, factors, net.layers_with(pairs))
    if not penalized:
        return total, grads
    penalized_grads = []
    for (W, _), (dW, dc) in zip(pairs, grads):
        value, gradient = penalty(W, strength)
        total, dW = total + value, dW + gradient
        penalized_grads.append((dW, dc))
    return total, penalized_grads


def objective(net, theta, X, Y, factors, strength):
    """J_B(θ) and ∇J_B(θ), flat, for rows X, Y (N × D) whose factors in J_B are given."""
    J, grads = layer_objective(net, pairs_of(net, theta), X, Y, factors, strength)
    return J, flat(grads)


def _steps(spec, rule, penalized, theta, state, X, Y, shares, order, sizes, rates, strength):
    """The minibatch steps of (a block of) an epoch: order is (batches × B) row indices into X,
    sizes the real rows of each batch, rates each step's size, shares the rows' w_n · N/Σw
    (`weight_shares`; None without sample weights, when each is 1). Returns (θ, state, J_B per
    batch, whether the final θ is finite). The steps carry the parameters and the rule's state
    per layer, [(W, c)], not as flat vectors: slicing θ into layers and gathering the gradient
    back into one vector would cost a copy of each at every step. The update rules are
    elementwise, so a step on each W and c is the step on θ."""
    net, step_rule = _network(spec), _rule(rule)
    B = order.shape[1]

    def step(carry, batch):
        pairs, state = carry
        rows, size, rate = batch
        real = (jnp.arange(B) < size).astype(theta.dtype)  # 0 for a padded row
        w = real if shares is None else shares[rows] * real
        factors = row_factors(w, 1, 1.0, size)
        Xb = X[rows] if shares is None else _without_weight_0(X[rows], w)
        J, grads = layer_objective(net, pairs, Xb, Y[rows], factors, strength, penalized)
        leaves, treedef = jax.tree.flatten(pairs)
        stepped = [step_rule.step(p, g, tuple(s[i] for s in state), rate)
                   for i, (p, g) in enumerate(zip(leaves, jax.tree.leaves(grads)))]
        pairs = jax.tree.unflatten(treedef, [p for p, _ in stepped])
        state = tuple([s[k] for _, s in stepped] for k in range(len(state)))
        return (pairs, state), J

    leaves_of = lambda a: jax.tree.leaves(pairs_of(net, a))  # noqa: E731
    carry = (pairs_of(net, theta), tuple(leaves_of(a) for a in state))
    (pairs, state), losses = jax.lax.scan(step, carry, (order, sizes, rates))
    treedef = jax.tree.structure(pairs)
    state = tuple(flat(jax.tree.unflatten(treedef, s)) for s in state)
    theta = flat(pairs)
    return theta, state, losses, jnp.isfinite(theta).all()


def _full_objective(spec, theta, X, Y, shares, strength):
    net = _network(spec)
    w = jnp.ones(X.shape[0], theta.dtype) if shares is None else shares
    X = X if shares is None else _without_weight_0(X, shares)
    return objective(net, theta, X, Y, row_factors(w, 1, 1.0, X.shape[0]), strength)


def _without_weight_0(X, w):
    """X with its rows of weight 0 set to 0: they add nothing to J_B, but where such a row's
    output overflows, 0 · ∞ would make ∇J_B NaN (the NumPy engine leaves them out of the pass,
    `Network.loss_and_gradient`; under jit the shapes stay, and the padding rows of a last
    batch, of factor 0, are cleared alike). Without sample weights no real row has weight 0."""
    return jnp.where((w != 0)[:, None], X, 0)


STEPS = jax_device.compiled(_steps, (0, 1, 2))
FULL_OBJECTIVE = jax_device.compiled(_full_objective, (0,))


class Epochs:
    """Runs the epochs of one training run on the device, for Trainer._run_stochastic (see
    `epochs`): each `epoch(rule)` takes one pass over the data in the order the batches draw,
    leaves θ in the host network, and returns (the epoch's mean J_B, the first batch's J_B). The
    θ each epoch starts from and the one it ends with stay on the device: `undo`, `snapshot` and
    `params_finite` use them rather than bring θ over again. (For [256, 2048, 2048, 1] in float32,
    each of those three costs 2 to 3 ms of the host's time per epoch on 19 MB, as much as 5% of an
    epoch on an H100.)"""

    def __init__(self, net, objective, X, Y, weights, batch_size, batches, precision,
                 free_bytes=None, full_batch=False):
        self.net, self.objective, self.batches = net, objective, batches
        self.spec, self.precision = network_spec(net), precision
        self.rule = self.state = None
        # θ in and out of the last epoch, whether that is finite, and the last snapshot
        self.before = self.theta = self.finite = self.kept = None
        self.n, self.B = X.shape[0], batch_size
        self.steps = -(-self.n // batch_size)
        self.device = jax.devices()[0]
        free = jax_device.free_bytes(self.device) if free_bytes is None else free_bytes
        itemsize = net.dtype.itemsize
        row_bytes = (X.shape[1] + Y.shape[1] + 1) * itemsize
        # θ and its gradient, the θ an epoch starts from and the best epoch's, Adam's two moments
        jax_device.check_fits(
            net, batch_size, 0, 6, free,
            "train with solver='sgd' or 'adam' and a batch_size that fits, or smaller layers"
            if full_batch else "lower batch_size or the layer sizes")
        self.block_rows = jax_device.block_rows(self.n, batch_size, row_bytes, free, "use solver="
                                                "'sgd' or 'adam' and a smaller batch_size"
                                                if full_batch else "use a smaller batch_size")
        with self.context():
            # sparse rows stay sparse on the host, made dense as they are sent (a block at a
            # time where the device cannot hold them all: nor may the host, dense)
            self.X = X.tocsr().astype(net.dtype, copy=False) if sp.issparse(X) else \
                np.asarray(X, net.dtype)
            self.Y = Y.astype(net.dtype)
            self.shares = None if weights is None else weight_shares(
                weights, objective.n_samples, objective.sum_weights, net.dtype)
            if self.resident:
                self.X, self.Y = jax.device_put(jax_device.dense(self.X)), jax.device_put(self.Y)
                if self.shares is not None:
                    self.shares = jax.device_put(self.shares)

    @property
    def resident(self):
        return self.block_rows >= self.n

    def context(self):
        return device_context(self.net.dtype, self.precision)

    def epoch(self, rule):
        """One epoch from the host's θ: (the epoch's mean J_B, the first batch's J_B). The rule's
        state stays on the device until `finish`."""
        order = self.batches.next_order()
        with self.context():
            # from a copy: JAX may read a host array after asarray returns, and net.params
            # is written below, so `before` (what undo restores) could see the new θ
            theta = self.before = jnp.asarray(self.net.params.copy())
            if self.state is None or self.rule is not rule:
                self.rule, self.state = rule, tuple(jnp.asarray(a) for a in rule.state(
                    self.net.params))
            losses, sizes = [], []
            for start in range(0, self.n, self.block_rows):
                rows = order[start:start + self.block_rows]
                theta, self.state, J, self.finite = self._block(rule, theta, self.state, rows)
                losses.append(J)
                sizes.append(np.minimum(self.B, len(rows) - self.B * np.arange(
                    -(-len(rows) // self.B))))
            self.batches.draw_ahead()  # on the host, while the device runs the epoch
            self.theta = theta
            self.net.params[...] = np.asarray(theta)
            losses = np.concatenate([np.asarray(J, dtype=np.float64) for J in losses])
        return float(losses @ np.concatenate(sizes)) / self.n, float(losses[0])

    def params_finite(self):
        return bool(jax_device.fetch(self.finite))

    def snapshot(self):
        """Keep θ as the last epoch left it, on the device, as `kept` (np.asarray brings it over)."""
        self.kept = jax_device.Fetched(self.theta)

    def undo(self):
        """Put back the θ the last epoch started from."""
        self.net.params[...] = jax_device.fetch(self.before)

    def finish(self, rule):
        """Bring the rule's state back from the device into the rule (partial_fit goes on from
        it); nothing when training dropped the rule (after divergence)."""
        if rule is not None and rule is self.rule and self.state is not None:
            rule.set_state(jax_device.fetch(self.state))

    def _block(self, rule, theta, state, rows):
        m, B = len(rows), self.B
        steps = -(-m // B)
        padded = np.empty(steps * B, dtype=np.int32)
        if self.resident:
            padded[:m] = rows
            X, Y, w = self.X, self.Y, self.shares
        else:  # gather the block on the host, send it, and index it in order
            padded[:m] = np.arange(m)
            X, Y = jax.device_put(jax_device.dense(self.X[rows])), jax.device_put(self.Y[rows])
            w = None if self.shares is None else jax.device_put(self.shares[rows])
        # The rows that pad the last batch repeat its first row: their factor 0 makes them add
        # nothing as long as they are finite, and that row is finite wherever the batch is (a
        # row from elsewhere may overflow at the batch's θ, and 0 · ∞ is NaN).
        padded[m:] = padded[B * (steps - 1)]
        sizes = np.minimum(B, m - B * np.arange(steps)).astype(np.int32)
        rates = np.asarray(rule.rates(steps), dtype=self.net.dtype)
        strength = self.objective.penalty
        steps_of = STEPS[jax_device.large(self.net, B)]
        return steps_of(self.spec, rule_spec(rule), bool(strength != 0), theta, state, X, Y, w,
                        padded.reshape(steps, B), sizes, rates, strength)


class FullObjective:
    """J and ∇J over all rows, compiled, with the host objective's interface (for L-BFGS): a
    call reads θ from the host network and returns (J, ∇J) as a float and a NumPy array."""

    def __init__(self, net, objective, X, Y, weights, precision, free_bytes=None):
        self.net, self.objective, self.precision = net, objective, precision
        self.spec = network_spec(net)
        # L-BFGS evaluates J over every row at once: the rows, their activations, θ and ∇J
        row_bytes = (X.shape[1] + Y.shape[1] + (weights is not None)) * net.dtype.itemsize
        free = jax_device.free_bytes(jax.devices()[0]) if free_bytes is None else free_bytes
        jax_device.check_fits(
            net, X.shape[0], X.shape[0] * row_bytes, 2, free,
            "train with solver='sgd' or 'adam', which send the rows a block at a time")
        with device_context(net.dtype, precision):
            self.X = jax.device_put(jax_device.dense(X).astype(net.dtype))
            self.Y = jax.device_put(Y.astype(net.dtype))
            self.shares = None if weights is None else jax.device_put(weight_shares(
                weights, objective.n_samples, objective.sum_weights, net.dtype))

    def __call__(self, X=None, Y=None, weights=None):
        with device_context(self.net.dtype, self.precision):
            full_objective = FULL_OBJECTIVE[jax_device.large(self.net, self.X.shape[0])]
            J, grad = full_objective(self.spec, jnp.asarray(self.net.params), self.X, self.Y,
                                     self.shares, self.objective.penalty)
            return float(J), np.asarray(grad)
