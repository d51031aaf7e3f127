"""Running work in several threads at once, switching between them as often as Python can, so
that a race between them shows in a few dozen calls."""

import sys
import threading


def run_at_once(work, n_threads):
    """Call work(k) for k = 0, …, n_threads − 1, each in its own thread, all at once."""
    threads = [threading.Thread(target=work, args=(k,)) for k in range(n_threads)]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads take turns as often as they can
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
