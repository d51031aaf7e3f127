"""How many threads the matrix products of minibatch training use, chosen by timing.

NumPy's BLAS runs each matrix product on every core it is allowed. Between the products of a
minibatch step (the elementwise work, some microseconds each) the extra threads wait. On a quiet
machine that pays: for a (128, 128) network with batches of 200, two threads make a step about 20%
faster than one. On a machine whose cores are shared with others (a cloud virtual machine, a CI
runner) a waiting virtual CPU may be handed to someone else and be slow to come back for the next
product, and then one thread is faster, by as much again. Which case holds changes with the load,
so training measures it: `BlasThreads` times blocks of minibatch steps with the thread count it
was given and with one thread, in turns, keeps the faster, and measures again every
RETRIAL_SECONDS. A block's first step, which pays for the switch, is not counted: the choice is
made on steady-state steps, as training will run them.

It never uses more threads than BLAS was set to (so `threadpoolctl.threadpool_limits` around a
fit still bounds it), and it puts the original count back when training stops. The thread count
does not change the numbers a step computes, only how fast it computes them.
"""

import statistics
import time

import threadpoolctl

WARMUP_STEPS = 20  # steps before the first trial: the first ones run on cold caches
TRIAL_BLOCK = 4  # consecutive steps with one thread count; the first of a block is not counted
TRIAL_BLOCKS = 4  # blocks in a trial, the counts taking turns
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
    """Times steps with each thread count and keeps the faster. Training calls start_step()
    and end_step() around each minibatch step, and restore() when it stops."""

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
        self._step = 0  # steps into the trial under way; before the first, steps to wait (< 0)
        self._started = 0.0
        self._next_trial = None  # clock time of the next trial, once the first is done

    def restore(self):
        for lib, n in zip(self.libraries, self.original):
            lib.set_num_threads(n)

    def _use(self, n):
        for lib in self.libraries:
            lib.set_num_threads(n)

    def _count(self):
        """The thread count of the current trial step: blocks of TRIAL_BLOCK steps, in turns."""
        return self.counts[(self._step // TRIAL_BLOCK) % 2]

    def start_step(self):
        if not self.enabled:
            return
        if self._durations is None:
            if self._next_trial is None:  # still warming up
                self._step += 1
                if self._step < WARMUP_STEPS:
                    return
            elif self.clock() < self._next_trial:
                return
            self._durations, self._step = {n: [] for n in self.counts}, 0
        if self._step % TRIAL_BLOCK == 0:
            self._use(self._count())
        self._started = self.clock()

    def end_step(self):
        if self._durations is None:
            return
        if self._step % TRIAL_BLOCK:
            self._durations[self._count()].append(self.clock() - self._started)
        self._step += 1
        if self._step == TRIAL_BLOCK * TRIAL_BLOCKS:
            typical = {n: statistics.median(times) for n, times in self._durations.items()}
            self.chosen = min(self.counts, key=typical.__getitem__)
            self._use(self.chosen)
            self.trials += 1
            self._durations = None
            self._next_trial = self.clock() + RETRIAL_SECONDS
