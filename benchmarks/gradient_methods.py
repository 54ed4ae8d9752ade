"""Compare the step time of mlopt's first-order optimizers with ``torch.optim``.

What is compared: ``mlopt.optimizers`` (SGD plain, SGD with momentum 0.9, SGD with Nesterov
momentum 0.9, Adagrad, RMSprop, Adam, AdamW) against the ``torch.optim`` class of the same name
(CPU, ``foreach=True``, float64 tensors, the same hyper-parameters, listed in ``OPTIMIZERS``),
on parameter vectors of n = 1e3, 1e4, 1e5, 1e6 and 1e7 elements.

How:

* Step time. mlopt: ``x = opt.step(x, g)``, which validates its inputs and returns a new array.
  torch: ``p.grad = g`` then ``opt.step()`` under ``torch.no_grad()``, which updates ``p`` and
  the state in place. The gradients are a few pre-generated random arrays, cycled, so that no
  gradient computation is timed (torch gets its own copies: its Nesterov SGD adds the momentum
  term to ``p.grad`` in place, so for it they are restored between steps, untimed). Each
  (optimizer, n) is warmed up, then the three contenders (mlopt; torch with its default thread
  count; torch with 1 thread, since NumPy's elementwise operations are single-threaded) are
  timed in turns, in a rotating order, for several repeats (7; 9 at n = 1e7). Each step is
  timed on its own, and a repeat takes steps until their times add up to 0.08 s (at least one
  step); its time per step is that sum over the number of steps. The reported time per step is
  the median over the repeats, and the ratios mlopt / torch are taken within the same run
  (the summary also gives the ratio of the fastest repeats, less sensitive to other jobs).
  The machine's load average is recorded: other jobs share the 2 cores.
* Trajectories. For every optimizer, 20 steps from the same start on a noisy quadratic at
  n = 1e3 (the gradient depends on the iterate); the largest relative difference between the
  two libraries' iterates, max_t ||x_mlopt - x_torch||_inf / ||x_torch||_inf, is recorded.
* Memory bandwidth. ``np.copyto(dst, src)`` on 1e7 float64, counted as 2 * 8 * n bytes per copy,
  timed before, between and after the step timings (median of all). A step must move at least
  the bytes below (8 bytes per element: read the parameters, the gradient and each state
  buffer; write the parameters and each state buffer), so bytes / bandwidth is a lower bound
  on its time when the arrays do not fit in cache (n = 1e6 and 1e7 here):

  ==============  ======================  =============  ==============  ==============
  optimizer       state buffers           arrays read    arrays written  bytes per step
  ==============  ======================  =============  ==============  ==============
  sgd             none                    x, g           x               3 * 8 n = 24 n
  sgd_momentum    momentum b              x, g, b        x, b            5 * 8 n = 40 n
  sgd_nesterov    momentum b              x, g, b        x, b            5 * 8 n = 40 n
  adagrad         sum of squares s        x, g, s        x, s            5 * 8 n = 40 n
  rmsprop         average of squares v    x, g, v        x, v            5 * 8 n = 40 n
  adam            moments m, v            x, g, m, v     x, m, v         7 * 8 n = 56 n
  adamw           moments m, v            x, g, m, v     x, m, v         7 * 8 n = 56 n
  ==============  ======================  =============  ==============  ==============

  The copy's 2 * 8 * n is the STREAM benchmark's convention. When the CPU writes dst through
  the cache it reads it first (write-allocate), so the copy really moves 3 * 8 * n bytes, the
  bandwidth is underestimated by up to 1.5x, and a step can run up to 1.5x faster than the
  "bound" (torch's SGD does).

What the two libraries do differently (all of it is counted in the step times):

* mlopt checks that ``params`` and ``grad`` are finite and that the new parameters are
  (three reads of n floats), returns a new array, and writes one NumPy expression per line of
  the update equation, so each operation is a separate pass over memory with a temporary
  array (NumPy reuses temporaries of large arrays in place where it can). An array of more
  than 32 MB (n > 4e6) is fresh memory from the operating system each time (glibc maps such
  blocks on allocation and unmaps them when freed), which the kernel must zero and map on first
  touch: ``MALLOC_MMAP_THRESHOLD_=4000000000 MALLOC_TRIM_THRESHOLD_=8000000000`` in the
  environment lets glibc reuse the freed memory instead.
* torch updates ``p`` and its state in place with fused multi-tensor kernels (``lerp_``,
  ``addcmul_``, ``addcdiv_``; one temporary for the square root in the adaptive methods), does
  no checks, and has a larger fixed cost per step in Python. Its kernels round differently
  (``lerp``, ``alpha=`` scaling), hence iterates that differ from mlopt's by ~1e-16 relative.

Outputs (``benchmarks/results/``): ``gradient_methods.csv`` (one row per timed repeat),
``gradient_methods_summary.csv`` (per optimizer and n: medians, ratios, multiples of the
bound, trajectory difference), ``gradient_methods_bandwidth.csv`` (the copy timings),
``gradient_methods_machine.csv`` (CPU, core count, library versions, thread counts, load
average, command, wall time) and ``gradient_methods.png``; ``--quick`` writes ``*_quick.*``
and ``--tag X`` writes ``*X.*`` instead.

Run from the repository after ``make bench`` has installed the reference libraries into the
book's ``.venv`` (about 2.5 minutes on 2 cores; ``--quick`` about 10 s: n = 1e3 and 1e4, 2
repeats)::

    .venv/bin/python benchmarks/gradient_methods.py
    .venv/bin/python benchmarks/gradient_methods.py --quick
    MALLOC_MMAP_THRESHOLD_=4000000000 MALLOC_TRIM_THRESHOLD_=8000000000 \\
        .venv/bin/python benchmarks/gradient_methods.py \\
        --sizes 1e6 1e7 --tag _malloc_reuse
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from _common import cpu_model, write_csv

import mlopt
from mlopt import optimizers as mo

RESULTS = Path(__file__).resolve().parent / "results"
SIZES = [10**3, 10**4, 10**5, 10**6, 10**7]
QUICK_SIZES = [10**3, 10**4]
N_GRADIENTS = 4  # pre-generated gradients, cycled
TRAJECTORY_N, TRAJECTORY_STEPS = 1000, 20

# name: (mlopt class, torch class name, hyper-parameters common to both, arrays moved per step)
OPTIMIZERS = {
    "sgd": (mo.SGD, "SGD", {"lr": 0.01}, 3),
    "sgd_momentum": (mo.SGD, "SGD", {"lr": 0.01, "momentum": 0.9}, 5),
    "sgd_nesterov": (mo.SGD, "SGD", {"lr": 0.01, "momentum": 0.9, "nesterov": True}, 5),
    "adagrad": (mo.Adagrad, "Adagrad", {"lr": 0.01, "eps": 1e-10}, 5),
    "rmsprop": (mo.RMSprop, "RMSprop", {"lr": 0.01, "alpha": 0.99, "eps": 1e-8}, 5),
    "adam": (mo.Adam, "Adam", {"lr": 1e-3, "betas": (0.9, 0.999), "eps": 1e-8}, 7),
    "adamw": (
        mo.AdamW,
        "AdamW",
        {"lr": 1e-3, "betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 0.01},
        7,
    ),
}


def torch_optimizer(name, param):
    import torch

    _, cls, kwargs, _ = OPTIMIZERS[name]
    return getattr(torch.optim, cls)([param], foreach=True, **kwargs)


# -- the contenders: each is a callable taking k steps -----------------------------------------


class MloptRunner:
    """Takes steps of mlopt until ``budget`` seconds (or ``max_steps``), timing each step.

    Returns the seconds spent in ``opt.step`` and the number of steps.
    """

    threads = 1  # NumPy's elementwise operations run on one thread

    def __init__(self, name, x0, grads):
        cls, _, kwargs, _ = OPTIMIZERS[name]
        self.opt, self.x, self.grads, self.i = cls(**kwargs), x0.copy(), grads, 0

    def prepare(self):
        pass

    def __call__(self, budget, max_steps):
        opt, grads, x, m, clock = self.opt, self.grads, self.x, len(self.grads), time.perf_counter
        seconds, steps = 0.0, 0
        while steps < max_steps and seconds < budget:
            g = grads[self.i % m]
            start = clock()
            x = opt.step(x, g)
            seconds += clock() - start
            self.i += 1
            steps += 1
        self.x = x
        return seconds, steps


class TorchRunner:
    """Takes steps of torch.optim until ``budget`` seconds, as :class:`MloptRunner`.

    torch's foreach SGD with Nesterov momentum adds the momentum term to ``p.grad`` in place
    (``torch/optim/sgd.py``), which in a training loop is harmless (backward() writes a fresh
    gradient) but here would make the cycled gradients grow without bound; so the runner owns
    copies of the gradients and, for that optimizer, restores them between steps, untimed.
    """

    def __init__(self, name, x0, grads, threads):
        import torch

        self.torch, self.threads = torch, threads
        self.p = torch.tensor(x0, dtype=torch.float64, requires_grad=True)
        self.opt = torch_optimizer(name, self.p)
        self.pristine = [torch.from_numpy(g) for g in grads]
        self.grads = [g.clone() for g in self.pristine]
        self.restore = OPTIMIZERS[name][2].get("nesterov", False)
        self.i = 0

    def prepare(self):
        self.torch.set_num_threads(self.threads)  # not timed: it may rebuild the thread pool

    def __call__(self, budget, max_steps):
        torch, p, opt, grads, m, clock = (
            self.torch,
            self.p,
            self.opt,
            self.grads,
            len(self.grads),
            time.perf_counter,
        )
        seconds, steps = 0.0, 0
        with torch.no_grad():
            while steps < max_steps and seconds < budget:
                j = self.i % m
                start = clock()
                p.grad = grads[j]
                opt.step()
                seconds += clock() - start
                if self.restore:
                    grads[j].copy_(self.pristine[j])
                self.i += 1
                steps += 1
        return seconds, steps

    def gradients_intact(self):
        return all(self.torch.equal(a, b) for a, b in zip(self.grads, self.pristine, strict=True))


def timed(run, budget, max_steps=100_000):
    """(seconds, steps): ``run`` steps until the summed per-step times reach ``budget``."""
    run.prepare()
    gc.disable()
    try:
        return run(budget, max_steps)
    finally:
        gc.enable()


# -- measurements ---------------------------------------------------------------------------------


def copy_bandwidth(n=10**7, repeats=7):
    """Median bandwidth of np.copyto on n float64, in bytes per second (2 * 8 * n per copy)."""
    rng = np.random.default_rng(12345)
    src, dst = rng.standard_normal(n), np.empty(n)
    np.copyto(dst, src)  # warm-up: touch every page of dst
    seconds = []
    for _ in range(repeats):
        start = time.perf_counter()
        np.copyto(dst, src)
        seconds.append(time.perf_counter() - start)
    return [{"n": n, "bytes": 16 * n, "seconds": s, "gb_per_s": 16 * n / s / 1e9} for s in seconds]


def time_steps(name, n, repeats, target, torch_threads, seed):
    """Rows of seconds per step for mlopt, torch (default threads) and torch (1 thread)."""
    rng = np.random.default_rng(seed)
    x0 = rng.standard_normal(n)
    grads = [rng.standard_normal(n) for _ in range(N_GRADIENTS)]
    runners = {
        ("mlopt", 1): MloptRunner(name, x0, grads),
        ("torch", torch_threads): TorchRunner(name, x0, grads, torch_threads),
    }
    if torch_threads != 1:
        runners[("torch", 1)] = TorchRunner(name, x0, grads, 1)
    for run in runners.values():  # warm-up: allocate the state and touch every page
        timed(run, float("inf"), max_steps=2)
    rows, keys = [], list(runners)
    for r in range(repeats):
        order = keys[r % len(keys) :] + keys[: r % len(keys)]  # rotate who goes first
        for library, threads in order:
            seconds, k = timed(runners[(library, threads)], target)
            rows.append(
                {
                    "optimizer": name,
                    "n": n,
                    "library": library,
                    "threads": threads,
                    "repeat": r,
                    "steps": k,
                    "seconds_per_step": seconds / k,
                }
            )
    for key, run in runners.items():  # the gradients must be what every step was given
        if key[0] == "torch" and not run.gradients_intact():
            raise RuntimeError(f"torch {name} modified the gradients in place")
    del runners
    gc.collect()
    return rows


def trajectory_difference(name, n=TRAJECTORY_N, steps=TRAJECTORY_STEPS, seed=0):
    """max_t ||x_mlopt - x_torch||_inf / ||x_torch||_inf over the steps on a noisy quadratic."""
    import torch

    rng = np.random.default_rng(seed)
    d, x0 = rng.uniform(0.5, 2.0, n), rng.standard_normal(n)
    noise = 0.1 * rng.standard_normal((steps, n))
    cls, _, kwargs, _ = OPTIMIZERS[name]
    opt, x = cls(**kwargs), x0.copy()
    p = torch.tensor(x0, dtype=torch.float64, requires_grad=True)
    topt = torch_optimizer(name, p)
    worst = 0.0
    with torch.no_grad():
        for t in range(steps):
            x = opt.step(x, d * x + noise[t])
            p.grad = torch.from_numpy(d * p.detach().numpy() + noise[t])
            topt.step()
            xt = p.detach().numpy()
            worst = max(worst, float(np.max(np.abs(x - xt)) / np.max(np.abs(xt))))
    return worst


def summarise(rows, bandwidth, trajectories, torch_threads):
    times = {}
    for row in rows:
        key = (row["optimizer"], row["n"], row["library"], row["threads"])
        times.setdefault(key, []).append(row["seconds_per_step"])
    medians = {key: statistics.median(values) for key, values in times.items()}
    best = {key: min(values) for key, values in times.items()}
    summary = []
    for name, n in dict.fromkeys((row["optimizer"], row["n"]) for row in rows):
        arrays = OPTIMIZERS[name][3]
        bound = 8 * arrays * n / bandwidth
        t_mlopt = medians[(name, n, "mlopt", 1)]
        t_torch = medians[(name, n, "torch", torch_threads)]
        t_torch1 = medians[(name, n, "torch", 1)]
        summary.append(
            {
                "optimizer": name,
                "n": n,
                "mlopt_s": t_mlopt,
                "torch_s": t_torch,
                "torch_threads": torch_threads,
                "torch_1thread_s": t_torch1,
                "ratio_mlopt_torch": t_mlopt / t_torch,
                "ratio_mlopt_torch_1thread": t_mlopt / t_torch1,
                # the fastest repeats, less sensitive to the other jobs on the machine
                "ratio_best_mlopt_torch_1thread": best[(name, n, "mlopt", 1)]
                / best[(name, n, "torch", 1)],
                "bytes_per_step": 8 * arrays * n,
                "bound_s": bound,
                "mlopt_x_bound": t_mlopt / bound,
                "torch_x_bound": t_torch / bound,
                "torch_1thread_x_bound": t_torch1 / bound,
                "trajectory_max_rel_diff": trajectories[name],
            }
        )
    return summary


def machine_info(torch_threads, bandwidth, wall, argv, load_start):
    import torch

    model = cpu_model()
    return [
        {"key": key, "value": value}
        for key, value in [
            ("date_utc", time.strftime("%Y-%m-%d %H:%M", time.gmtime())),
            ("platform", platform.platform()),
            ("libc", " ".join(platform.libc_ver())),
            ("processor", platform.processor() or platform.machine()),
            ("cpu_model", model),
            ("os_cpu_count", os.cpu_count()),
            ("python", platform.python_version()),
            ("numpy", np.__version__),
            ("torch", torch.__version__),
            ("mlopt", getattr(mlopt, "__version__", "")),
            ("torch_default_threads", torch_threads),
            ("copy_bandwidth_gb_per_s", f"{bandwidth / 1e9:.2f}"),
            ("wall_time_s", f"{wall:.1f}"),
            ("load_average_1min_start", f"{load_start:.2f}"),
            ("load_average_1min_end", f"{os.getloadavg()[0]:.2f}"),
            ("command", "python benchmarks/gradient_methods.py " + " ".join(argv)),
            *((key, value) for key, value in sorted(os.environ.items()) if "MALLOC" in key),
        ]
    ]


# -- reporting ------------------------------------------------------------------------------------

LIBRARIES = [  # (label, summary column, colour, line style, marker): Okabe-Ito colours
    ("mlopt (NumPy, 1 thread)", "mlopt_s", "#0072B2", "-", "o"),
    ("torch.optim (default threads)", "torch_s", "#D55E00", "--", "s"),
    ("torch.optim (1 thread)", "torch_1thread_s", "#009E73", ":", "^"),
]
RATIO_STYLES = [  # one per optimizer, for the ratio panel
    ("#0072B2", "-", "o"),
    ("#D55E00", "--", "s"),
    ("#009E73", "-.", "^"),
    ("#CC79A7", ":", "D"),
    ("#E69F00", "-", "v"),
    ("#56B4E9", "--", "P"),
    ("#000000", "-.", "X"),
]


def plot(summary, path, torch_threads):
    import matplotlib
    import matplotlib.ticker

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = list(dict.fromkeys(s["optimizer"] for s in summary))
    fig, axes = plt.subplots(2, 4, figsize=(14, 7), facecolor="white", constrained_layout=True)
    axes = axes.ravel()
    for ax, name in zip(axes, names, strict=False):
        rows = [s for s in summary if s["optimizer"] == name]
        ns = [s["n"] for s in rows]
        for label, column, colour, style, marker in LIBRARIES:
            label = label.replace("default threads", f"{torch_threads} threads")
            ax.plot(ns, [s[column] for s in rows], style, color=colour, marker=marker, label=label)
        ax.plot(ns, [s["bound_s"] for s in rows], color="0.45", lw=1, ls=(0, (1, 3)), label="bound")
        ax.set(xscale="log", yscale="log", title=name, xlabel="n (parameters)")
        ax.grid(True, which="major", color="0.85", lw=0.6)
    for ax in axes[::4]:
        ax.set_ylabel("seconds per step")
    ratio_ax = axes[len(names)]
    ratios = [s["ratio_mlopt_torch_1thread"] for s in summary]
    for name, (colour, style, marker) in zip(names, RATIO_STYLES, strict=False):
        rows = [s for s in summary if s["optimizer"] == name]
        ratio_ax.plot(
            [s["n"] for s in rows],
            [s["ratio_mlopt_torch_1thread"] for s in rows],
            style,
            color=colour,
            marker=marker,
            label=name,
        )
    ratio_ax.axhline(1, color="0.45", lw=1)
    ratio_ax.set(
        xscale="log",
        yscale="log",
        title="mlopt / torch (1 thread)",
        xlabel="n (parameters)",
        ylabel="time ratio (>1: mlopt slower)",
    )
    ratio_ax.grid(True, which="major", color="0.85", lw=0.6)
    ratio_ax.set_yticks([0.1, 0.2, 0.5, 1, 2, 5, 10, 20])
    ratio_ax.set_ylim(min(ratios) / 1.3, max(ratios) * 1.3)
    ratio_ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:g}"))
    ratio_ax.yaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
    ratio_ax.legend(fontsize=7, ncol=2)
    for ax in axes[len(names) + 1 :]:
        ax.set_visible(False)
    handles, labels = axes[0].get_legend_handles_labels()
    bound = "memory-bandwidth lower bound (meaningful for n >= 1e6, beyond the caches)"
    labels = [bound if label == "bound" else label for label in labels]
    fig.legend(handles, labels, loc="outside lower center", ncol=2, frameon=False)
    fig.suptitle("Time per optimizer step, float64 on CPU (median of repeats)")
    fig.savefig(path, dpi=150, facecolor="white")
    plt.close(fig)


def print_table(summary):
    header = (
        f"{'optimizer':<13} {'n':>9} {'mlopt s':>10} {'torch s':>10} {'torch1 s':>10} "
        f"{'ratio':>6} {'ratio1':>6} {'best1':>6} {'mlopt/bd':>8} {'torch1/bd':>9} "
        f"{'traj diff':>9}"
    )
    print(header)
    print("-" * len(header))
    for s in summary:
        print(
            f"{s['optimizer']:<13} {s['n']:>9.0e} {s['mlopt_s']:>10.3e} {s['torch_s']:>10.3e} "
            f"{s['torch_1thread_s']:>10.3e} {s['ratio_mlopt_torch']:>6.2f} "
            f"{s['ratio_mlopt_torch_1thread']:>6.2f} {s['ratio_best_mlopt_torch_1thread']:>6.2f} "
            f"{s['mlopt_x_bound']:>8.2f} "
            f"{s['torch_1thread_x_bound']:>9.2f} {s['trajectory_max_rel_diff']:>9.1e}"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="n = 1e3 and 1e4, 2 repeats")
    parser.add_argument("--only", choices=list(OPTIMIZERS), action="append")
    parser.add_argument("--sizes", type=float, nargs="+", help="values of n (default 1e3 ... 1e7)")
    parser.add_argument("--tag", default="", help="suffix of the output files' names")
    args = parser.parse_args()
    import torch

    start, load_start = time.perf_counter(), os.getloadavg()[0]
    torch_threads = torch.get_num_threads()
    names = args.only or list(OPTIMIZERS)
    sizes = [int(n) for n in args.sizes] if args.sizes else QUICK_SIZES if args.quick else SIZES
    target = 0.005 if args.quick else 0.08
    tag = args.tag or ("_quick" if args.quick else "")
    RESULTS.mkdir(exist_ok=True)

    print(f"torch {torch.__version__} ({torch_threads} threads), numpy {np.__version__}")
    trajectories = {name: trajectory_difference(name) for name in names}
    bandwidth_rows = [dict(when="start", **row) for row in copy_bandwidth()]
    rows = []
    for n in sizes:
        repeats = 2 if args.quick else (9 if n >= 10**7 else 7)
        for i, name in enumerate(names):
            rows += time_steps(name, n, repeats, target, torch_threads, seed=i)
            print(f"  n={n:.0e} {name} done ({time.perf_counter() - start:.0f} s)", flush=True)
        bandwidth_rows += [dict(when=f"after n={n:.0e}", **row) for row in copy_bandwidth()]
    torch.set_num_threads(torch_threads)
    bandwidth = statistics.median(row["bytes"] / row["seconds"] for row in bandwidth_rows)
    print(f"copy bandwidth {bandwidth / 1e9:.2f} GB/s (median of {len(bandwidth_rows)})")

    summary = summarise(rows, bandwidth, trajectories, torch_threads)
    wall = time.perf_counter() - start
    write_csv(RESULTS / f"gradient_methods{tag}.csv", rows)
    write_csv(RESULTS / f"gradient_methods_summary{tag}.csv", summary)
    write_csv(RESULTS / f"gradient_methods_bandwidth{tag}.csv", bandwidth_rows)
    write_csv(
        RESULTS / f"gradient_methods_machine{tag}.csv",
        machine_info(torch_threads, bandwidth, wall, sys.argv[1:], load_start),
    )
    plot(summary, RESULTS / f"gradient_methods{tag}.png", torch_threads)
    print()
    print_table(summary)
    print(f"\nwall time {wall:.0f} s")


if __name__ == "__main__":
    main()
