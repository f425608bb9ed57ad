"""Peer implementations of the same training step, for the benchmark table.

usage: peers.py numpy|torch '<workload json>' <threads>  → prints samples/s
Each step does what the engine's Trainer does: gather a minibatch of a data set reshuffled every epoch,
forward, loss and accuracy, backward, SGD update. The NumPy version preallocates every buffer and
writes matmul results in place, as the engine does.
"""
import json
import os
import sys
import time

WINDOWS = 5  # best of: other processes on a shared machine only slow runs down
WINDOW_SECONDS = 0.4
SLOW_STEP_SECONDS = 1.5  # slower steps are measured once, after the sizing step
STEPS_PER_EPOCH = 16  # the synthetic data set holds this many minibatches, as in bench/engine.ts


def numpy_rate(spec, batch):
    import numpy as np
    rng = np.random.default_rng(1)
    sizes = [spec["inputSize"]] + [l["units"] for l in spec["layers"]]
    W = [(rng.standard_normal((o, i)) * np.sqrt(2 / i)).astype(np.float32) for i, o in zip(sizes, sizes[1:])]
    b = [np.zeros(o, np.float32) for o in sizes[1:]]
    gW = [np.empty_like(w) for w in W]
    gb = [np.empty_like(x) for x in b]
    Z = [np.empty((batch, o), np.float32) for o in sizes[1:]]
    A = [np.empty((batch, o), np.float32) for o in sizes[1:]]
    D = [np.empty((batch, o), np.float32) for o in sizes[1:]]
    rows = batch * STEPS_PER_EPOCH
    X = rng.random((rows, sizes[0]), dtype=np.float32)
    labels = rng.integers(0, sizes[-1], rows)
    Y = np.eye(sizes[-1], dtype=np.float32)[labels]
    every_row = np.arange(batch)
    lr = np.float32(0.01)
    L = len(W)
    cursor = {"step": 0, "order": None}

    def step():
        s = cursor["step"] % STEPS_PER_EPOCH
        if s == 0:
            cursor["order"] = rng.permutation(rows)
        cursor["step"] += 1
        rows_now = cursor["order"][s * batch:(s + 1) * batch]
        x, y, labels_now = X[rows_now], Y[rows_now], labels[rows_now]  # fancy indexing: NumPy's fastest gather
        a = x
        for l in range(L):
            np.matmul(a, W[l].T, out=Z[l])  # z = a·Wᵀ + b
            Z[l] += b[l]
            if l < L - 1:
                np.maximum(Z[l], 0, out=A[l])
            else:
                np.subtract(Z[l], Z[l].max(axis=1, keepdims=True), out=A[l])
                np.exp(A[l], out=A[l])
                A[l] /= A[l].sum(axis=1, keepdims=True)
            a = A[l]
        loss = -np.log(A[-1][every_row, labels_now] + 1e-12).mean()
        correct = np.count_nonzero(A[-1].argmax(axis=1) == labels_now)
        np.subtract(A[-1], y, out=D[-1])
        D[-1] /= batch
        for l in range(L - 1, -1, -1):
            prev = x if l == 0 else A[l - 1]
            np.matmul(D[l].T, prev, out=gW[l])  # ∇W = δᵀ·a
            np.sum(D[l], axis=0, out=gb[l])
            if l > 0:
                np.matmul(D[l], W[l], out=D[l - 1])  # δ_prev = (δ·W) ⊙ f'(z)
                D[l - 1] *= Z[l - 1] > 0
            gW[l] *= lr
            W[l] -= gW[l]
            gb[l] *= lr
            b[l] -= gb[l]

    return measure(step, batch)


def torch_rate(spec, batch, threads):
    import torch
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    sizes = [spec["inputSize"]] + [l["units"] for l in spec["layers"]]
    layers = []
    for i, (a, o) in enumerate(zip(sizes, sizes[1:])):
        layers.append(torch.nn.Linear(a, o))
        if i < len(sizes) - 2:
            layers.append(torch.nn.ReLU())
    model = torch.nn.Sequential(*layers)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    loss_fn = torch.nn.CrossEntropyLoss()
    rows = batch * STEPS_PER_EPOCH
    X = torch.rand(rows, sizes[0])
    labels = torch.randint(0, sizes[-1], (rows,))
    x = torch.empty(batch, sizes[0])
    cursor = {"step": 0, "order": None}

    def step():
        s = cursor["step"] % STEPS_PER_EPOCH
        if s == 0:
            cursor["order"] = torch.randperm(rows)
        cursor["step"] += 1
        rows_now = cursor["order"][s * batch:(s + 1) * batch]
        torch.index_select(X, 0, rows_now, out=x)
        y = labels[rows_now]
        optimizer.zero_grad(set_to_none=False)
        output = model(x)
        loss = loss_fn(output, y)
        loss.backward()
        optimizer.step()
        correct = (output.argmax(dim=1) == y).sum().item()

    return measure(step, batch)


def measure(step, batch):
    """Best samples/s over WINDOWS windows after a warm-up one, as bench/measure.ts does for the engine."""
    t0 = time.perf_counter()
    step()
    per_step = max(1e-6, time.perf_counter() - t0)
    if per_step > SLOW_STEP_SECONDS:
        t0 = time.perf_counter()
        step()
        return batch / (time.perf_counter() - t0)
    steps = max(1, int(WINDOW_SECONDS / per_step) + 1)
    for _ in range(steps):
        step()
    best = 0.0
    for _ in range(WINDOWS):
        t0 = time.perf_counter()
        for _ in range(steps):
            step()
        best = max(best, steps * batch / (time.perf_counter() - t0))
    return best


if __name__ == "__main__":
    which, workload, threads = sys.argv[1], json.loads(sys.argv[2]), int(sys.argv[3])
    if which == "numpy":
        print(numpy_rate(workload["spec"], workload["batchSize"]))
    else:
        print(torch_rate(workload["spec"], workload["batchSize"], threads))
