"""The engine that `Settings.backend` names, checked before training: the NumPy engine (`epochs`)
or the compiled one (`jax_engine`), which is imported only when asked for."""

import sys
import threading

import numpy as np

from .setting_checks import check_choices

_IMPORTING = threading.Lock()


def jax_engine():
    """The compiled engine's module, imported now if it was not yet."""
    # Importing JAX draws from NumPy's global RandomState (JAX 0.10 does at import), which an
    # estimator with random_state=None seeds itself from: put it back, so that the first fit
    # draws what the NumPy engine's would, and the caller's next draws are theirs. One thread at
    # a time: a fit in a second thread could otherwise save the state before the first one's
    # import and put it back after the first fit has drawn its seed from it.
    with _IMPORTING:
        state = None if "jax" in sys.modules else np.random.get_state()
        try:
            from . import jax_engine
        except ImportError as error:
            raise ImportError(f"backend='jax' needs JAX ({error}); install it with "
                              "pip install 'ffnn[jax]', or train with backend='numpy'") from None
        finally:
            if state is not None:
                np.random.set_state(state)
    return jax_engine


def check_engine(settings, distributed=False):
    """Raise the ImportError of `Trainer.run` now, when the engine that `settings` ask for is
    an optional one (JAX's) that is not installed: a caller can then fail before it changes
    anything (an estimator, before it builds its network). An engine, precision or schedule it
    does not know is an InvalidParameterError, as any setting out of range: a misspelt backend
    would otherwise train with the NumPy engine, and a misspelt schedule at a constant learning
    rate. Data on a cluster (`distributed`) trains on the workers with the NumPy engine,
    whatever the backend."""
    check_choices(settings)
    if settings.backend == "jax" and not distributed:
        if settings.partitions is not None:  # the engine draws its own batches, not partitions'
            raise ValueError("partitions (the cluster engine's order of minibatches, in memory) "
                             "apply to backend='numpy' only")
        jax_engine()
