"""L-BFGS through SciPy: the whole objective J(θ) and its gradient, over all rows, handed to
scipy.optimize.minimize. The flat parameter vector is the optimiser's x as it is (no packing);
float32 networks compute in float32 and only the exchange with SciPy is in float64."""

import time

import numpy as np
import scipy.optimize

from .exceptions import DivergenceError


def run_lbfgs(trainer, X, Y, w_scaled, penalty, callback):
    """Minimise J over X, Y (weights w̃/N, or None) for the trainer's network; record the loss
    after every iteration in its history, and keep the last accepted iterate on Ctrl-C."""
    s, h, net = trainer.settings, trainer.history, trainer.net
    n = X.shape[0]
    ws = net.workspace(n)
    if w_scaled is None:
        w_scaled = np.full(n, 1.0 / n, net.dtype)
    initial = net.params.copy()
    accepted = initial.copy()
    started = [time.perf_counter()]

    def fun(x):
        net.params[...] = x
        J = trainer.objective(X, Y, w_scaled, ws, penalty)
        grad = net.grad.astype(np.float64)
        if not (np.isfinite(J) and np.isfinite(grad).all()):
            # A trial step of the line search overflowed: report it as infinitely bad so that
            # the search steps back, rather than letting NaN end the run.
            return np.inf, np.zeros_like(grad)
        return J, grad

    def on_iteration(intermediate_result):
        from .training import EpochInfo

        accepted[...] = intermediate_result.x
        h.loss_curve.append(float(intermediate_result.fun))
        h.best_loss = min(h.best_loss, h.loss_curve[-1])
        if callback is not None:
            now = time.perf_counter()
            callback(EpochInfo(len(h.loss_curve), h.loss_curve[-1], samples_seen=h.t,
                               seconds=now - started[0]))
            started[0] = now

    try:
        result = scipy.optimize.minimize(
            fun, net.params.astype(np.float64), jac=True, method="L-BFGS-B",
            callback=on_iteration,
            options={"maxiter": s.max_iter, "maxfun": s.max_fun, "gtol": s.tol})
    except KeyboardInterrupt:
        trainer.interrupted_at = len(h.loss_curve) + 1
        net.params[...] = accepted
        return
    net.params[...] = result.x
    h.n_iter = int(result.nit)
    trainer.evaluations = int(result.nfev)
    loss = float(result.fun)
    if not (np.isfinite(loss) and np.isfinite(net.params).all()):
        net.params[...] = initial if not np.isfinite(accepted).all() else accepted
        raise DivergenceError(trainer._divergence_message(loss), epoch=h.n_iter)
    if not h.loss_curve or h.loss_curve[-1] != loss:
        h.loss_curve.append(loss)
    h.best_loss = min(h.best_loss, loss)
    if result.status == 1:
        trainer.max_iter_reached = True
    trainer.stop_message = None if result.success else str(result.message)
