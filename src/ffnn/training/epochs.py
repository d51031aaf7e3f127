"""What the Trainer asks of the engine that runs a minibatch solver's epochs, and the NumPy engine.

An engine runs `epoch(rule)`, one pass over the data from the network's θ that leaves the new θ in
the network and returns (the epoch's mean J_B, the first batch's J_B). Around the epochs the
Trainer needs three more things of it: whether θ is finite, a copy of θ to keep (`snapshot()`,
the best epoch's weights, which it holds as `kept`, None before the first), and `undo()`, which
puts back the θ the last epoch started from (after divergence).
An engine whose θ lives on a device answers these there, without bringing θ to the host again
(see `jax_engine.Epochs`); `HostEpochs` answers them for engines whose θ is the host network's.
"""

import numpy as np


class HostEpochs:
    """The Trainer's questions, answered from the host network's θ."""

    def __init__(self, net):
        self.net = net
        # θ as the last epoch found it, and the last snapshot: buffers allocated once, so that
        # an epoch allocates nothing the size of θ
        self.before = self.kept = None

    def remember(self):
        """Keep θ as the next epoch finds it, for `undo`."""
        self.before = copy_into(self.net.params, self.before)

    def undo(self):
        """Put back the θ the last epoch started from."""
        if self.before is None:  # an engine whose epoch does not call `remember`
            raise RuntimeError("no epoch to undo: the engine's epoch must call remember() first")
        self.net.params[...] = self.before

    def params_finite(self):
        return bool(np.isfinite(self.net.params).all())

    def snapshot(self):
        """Keep a copy of θ as the last epoch left it, as `kept` (until the next snapshot)."""
        self.kept = copy_into(self.net.params, self.kept)

    def finish(self, rule):
        """Nothing to bring back: the rule's state lives in its own arrays on the host."""


def copy_into(a, into):
    """a copied into the array `into`, or into a new one when there is none yet."""
    if into is None:
        return a.copy()
    into[...] = a
    return into


class NumpyEpochs(HostEpochs):
    """The NumPy engine's epochs: a step per minibatch, in the workspace's buffers, θ updated
    in place."""

    def __init__(self, net, objective, batches):
        super().__init__(net)
        self.objective, self.batches = objective, batches

    def epoch(self, rule):
        """One pass over the data: (the epoch's mean J_B, the first batch's J_B, which is taken
        at the weights the epoch starts from)."""
        self.remember()
        params, objective, scratch = self.net.params, self.objective, self.objective.scratch
        accumulated, first = 0.0, None
        for X_B, Y_B, w_B in self.batches:
            J, grad = objective(X_B, Y_B, w_B)
            if first is None:
                first = J
            accumulated += J * X_B.shape[0]
            rule.update(params, grad, scratch)
        return accumulated / self.batches.n, first
