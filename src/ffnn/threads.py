"""How many threads the matrix products of minibatch training use, chosen by timing.

NumPy's BLAS runs each matrix product on every core it is allowed. Between the products of a
minibatch step (the elementwise work, some microseconds each) the extra threads wait. On a quiet
machine that pays: for a (128, 128) network with batches of 200, two threads make a step about 20%
faster than one. On a machine whose cores are shared with others (a cloud virtual machine, a CI
runner) a waiting virtual CPU may be handed to someone else and be slow to come back for the next
product, and then one thread is faster, by as much again. Which case holds changes with the load,
so training measures it: `BlasThreads` times minibatch steps alternately with the thread count it
was given and with one thread, keeps the faster, and measures again every RETRIAL_SECONDS.

It never uses more threads than BLAS was set to (so `threadpoolctl.threadpool_limits` around a
fit still bounds it), and it puts the original count back when training stops. The thread count
does not change the numbers a step computes, only how fast it computes them.
"""

import statistics
import time

import threadpoolctl

TRIAL_STEPS = 8  # steps timed with each thread count in one trial
RETRIAL_SECONDS = 3.0  # how long a choice stands before it is measured again

_blas_libraries = None


def _blas():
    """The loaded BLAS libraries' controllers (found once: scanning takes about a millisecond)."""
    global _blas_libraries
    if _blas_libraries is None:
        controller = threadpoolctl.ThreadpoolController()
        _blas_libraries = [lib for lib in controller.lib_controllers if lib.user_api == "blas"]
    return _blas_libraries


class BlasThreads:
    """Times steps with each thread count and keeps the faster. Use as

        with BlasThreads() as threads:
            for batch in batches:
                threads.start_step()
                ... one step ...
                threads.end_step()
    """

    def __init__(self, clock=time.perf_counter):
        self.libraries = _blas()
        self.original = [lib.get_num_threads() for lib in self.libraries]
        most = max(self.original, default=1)
        self.counts = (most, 1)
        self.enabled = most > 1
        self.clock = clock
        self.chosen = most
        self.trials = 0
        self._durations = None  # per count, the step times of the trial under way
        self._step = 0
        self._started = 0.0
        self._next_trial = clock()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.restore()

    def restore(self):
        for lib, n in zip(self.libraries, self.original):
            lib.set_num_threads(n)

    def _use(self, n):
        for lib in self.libraries:
            lib.set_num_threads(n)

    def start_step(self):
        if not self.enabled:
            return
        if self._durations is None:
            if self.clock() < self._next_trial:
                return
            self._durations, self._step = ({n: [] for n in self.counts}), 0
        self._use(self.counts[self._step % 2])
        self._started = self.clock()

    def end_step(self):
        if self._durations is None:
            return
        self._durations[self.counts[self._step % 2]].append(self.clock() - self._started)
        self._step += 1
        if self._step == 2 * TRIAL_STEPS:
            typical = {n: statistics.median(times) for n, times in self._durations.items()}
            self.chosen = min(self.counts, key=typical.__getitem__)
            self._use(self.chosen)
            self.trials += 1
            self._durations = None
            self._next_trial = self.clock() + RETRIAL_SECONDS
