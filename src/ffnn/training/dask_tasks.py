"""What runs on a Dask worker for the engine of `dask_engine`: each function takes a partition
(X_p, Y_p, w_p) as the worker holds it and returns its sums (of J, of ∇J, of the weights), or,
for a minibatch solver's hop, θ and the update rule after the partition's minibatches.

Workers rebuild the network from its architecture (`network_spec`) and θ, once per architecture
and worker thread; nothing here talks to the scheduler."""

import copy
import threading

import numpy as np

from ..arrays import ByParameters
from ..network import Network
from .batches import partition_batches
from .objective import Objective, row_factors

_local = threading.local()


def network_spec(net):
    """What a worker needs to rebuild the network without its parameters."""
    return (tuple(net.layer_sizes), tuple(net.activations), net.loss_function, net.dtype.name)


def _network(spec, theta):
    """A network of the given architecture holding a copy of θ: one per architecture and worker
    thread, reused from task to task (its workspace too)."""
    networks = getattr(_local, "networks", None)
    if networks is None:
        networks = _local.networks = {}
    sizes, activations, loss, dtype = spec
    # keyed by the functions' parameters, not by their own equality: an activation of one's own
    # may be unhashable (a dataclass), or call two slopes equal
    key = (sizes, tuple(map(ByParameters, activations)), ByParameters(loss), dtype)
    net = networks.get(key)
    if net is None:
        net = networks[key] = Network(list(sizes), list(activations), loss, dtype=dtype,
                                      init=None)
    net.params[...] = theta
    return net


def on_partition(function, spec, theta, part, *args):
    """`function(net, X_p, Y_p, w_p, *args)` on a worker, for a network holding θ."""
    X, Y, w = part
    with np.errstate(all="ignore"):  # overflow shows in the results; training judges them
        return function(_network(spec, theta), X, Y, w, *args)


def on_partitions(function, spec, theta, parts, *args):
    """[`on_partition` for each of `parts`], held by one worker: one task instead of many."""
    return [on_partition(function, spec, theta, part, *args) for part in parts]


def partition_objective(net, X, Y, w, n_samples, sum_weights):
    """This partition's term of J's data part and of its gradient: Σ_n w_n L(ŷ_n) / Σw over its
    rows, with each row's factor exactly as a full-batch evaluation in memory computes it."""
    m = X.shape[0]
    factors = np.empty(m, net.dtype)
    row_factors(np.ones(m, net.dtype) if w is None else w, n_samples, sum_weights, n_samples,
                out=factors)
    workspaces = _local.__dict__.setdefault("workspaces", {})  # per architecture and thread
    workspace = workspaces.get(id(net))
    if workspace is None or workspace.N < min(m, net.chunk_rows()):
        workspace = workspaces[id(net)] = net.workspace(m)
    J = net.loss_and_gradient(X, Y, workspace, factors)
    return float(J), net.grad.copy()


def partition_weight_sum(net, X, Y, w):
    return float(X.shape[0] if w is None else np.sum(w))


def loss_sums(net, Y, Yhat, w):
    """(Σ_n w_n L(ŷ_n), Σ_n w_n) over a partition's rows, given its predictions Ŷ (rows): a mean
    loss's two sums."""
    total = net.loss_function.total(Y.T, Yhat.T, w)
    return float(total), float(Y.shape[0] if w is None else np.sum(w))


def partition_loss_at_zero(net, X, Y, w):
    """Σ_n w_n L at θ = 0, where the network predicts the constant f^(L)(0) (see
    `Objective.at_zero`)."""
    constant = net.activations[-1].value(np.zeros((net.D_y, 1), net.dtype))
    Yhat = np.broadcast_to(constant, (net.D_y, Y.shape[0]))
    return float(net.loss_function.total(Y.T, Yhat, w))


def hop(carry, part, spec, strength, n_samples, sum_weights, batch_size, seed):
    """One partition's minibatches in one epoch, on the worker holding it: carry is (θ, the
    update rule, Σ J_B |B| so far, the epoch's first J_B), and so is the result."""
    theta, rule, accumulated, first = carry
    X, Y, w = part
    with np.errstate(all="ignore"):
        net = _network(spec, theta)
        rule = copy.deepcopy(rule)  # the sender's copy stays as it was
        objective = Objective(net, 0.0, n_samples, sum_weights)
        objective.penalty = strength  # α/Σw as the client computed it, to the last bit
        params, scratch = net.params, objective.scratch
        for X_B, Y_B, w_B in partition_batches(X, Y, w, batch_size, seed):
            J, grad = objective(X_B, Y_B, w_B)
            if first is None:
                first = J
            accumulated += J * X_B.shape[0]
            rule.update(params, grad, scratch)
        return params.copy(), rule, accumulated, first
