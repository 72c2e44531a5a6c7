#!/usr/bin/python3
"""PyTorch's CPU training throughput on the models CineLab's benchmarks train, measured in the same
sitting on the same machine, so that a bench can print CineLab's examples/s as a ratio to PyTorch's.

Each row is the model, loss, optimiser, batch size and epoch size of one CineLab bench row
(`cinelab bench s1`, `bench models`, `bench s4`), trained on synthetic tensors of the same shapes and
sparsity (throughput does not depend on the values), built once with a fixed seed before any timing.
Per row: one warm-up epoch, then E timed epochs; an epoch shuffles (where CineLab does) and slices
the prebuilt tensors batch by batch, exactly as many examples as CineLab's epoch.

Run (Debian's python3-torch 1.13.1; the pyenv `python3` on the PATH has no torch):

    /usr/bin/python3 framework/src/main/resources/org/cinelab/bench/pytorch_reference.py --rows dec,autorec --threads 1 [--epochs 3]

`cinelab bench s1|models|s4` runs it row by row after its own rows (bench.PyTorchSitting).

Prints one JSON line per row on stdout:
    {"row", "examples_per_second" (fastest epoch), "mean_examples_per_second" (examples per epoch over
     the mean epoch time), "epoch_seconds", "threads", "torch", "blas", "examples_per_epoch",
     "example_unit", "examples_per_cpu_second" (over the mean process CPU time of an epoch, which other
     processes on the machine distort less, as CineLab's "per CPU-second"), "epoch_cpu_seconds",
     "load" (1-minute load average before and after the timed epochs), "sgemm_gflops" (torch.mm of two
     1024 x 1024 float32 matrices at these threads, best of 5: whether PyTorch multiplies on an
     optimised BLAS at all; the library it reports loaded is not always the one its sgemm_ calls)}
An unknown row stops before anything runs: a message naming the valid rows on stderr, exit status 2.

Threads. `--threads N` sets torch.set_num_threads(N) (ATen's OpenMP pool: element-wise kernels,
embedding backward, the LSTM cell), torch.set_num_interop_threads(1), and OpenBLAS's thread count.
Debian's torch is built with BLAS_INFO=generic: every float32 GEMM (nn.Linear, nn.LSTM's products)
is an sgemm_ call into libblas.so.3, which the alternatives system points at libopenblas0-pthread
(OpenBLAS 0.3.21, DYNAMIC_ARCH, its own pthread pool). torch.set_num_threads does NOT reach that pool.
OpenBLAS (pthread build) sizes its pool when loaded from OPENBLAS_NUM_THREADS, else GOTO_NUM_THREADS,
else OMP_NUM_THREADS, else every CPU; so the caller's `OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=N`
gives N BLAS threads, while `OMP_NUM_THREADS=1` alone gives 1 (measured with openblas_get_num_threads).
This script does not depend on either: it calls openblas_set_num_threads(N) through ctypes on the
libopenblas the process loaded, and reports the core OpenBLAS chose and its thread count in "blas".
OPENBLAS_CORETYPE (e.g. SkylakeX, as ./cinelab sets on AVX-512 CPUs) is honoured by this OpenBLAS too;
unset, 0.3.21 picks Cooperlake on the AMD EPYC (Zen 4) dev machine, an AVX-512 kernel set as well.
With N > 1 on a small machine also export OMP_WAIT_POLICY=PASSIVE (as ./cinelab does), so idle OpenMP
threads do not spin against OpenBLAS's.

Rows and the CineLab code they mirror (epoch = what CineLab's ThroughputProbe.examplesPerEpoch counts):

  row                  CineLab                              PyTorch model here                        epoch
  dec                  dec.DecModel / DecSettings defaults; Linear 1500-500-500-2000-10-2000-500-500-     7,787 titles,
                       S1Benchmark (netflix-titles 7787,    1500, ReLU except the embedding and the       batch 128,
                       maxlen 1500, scaled; fit_on all)     output (identity); F.mse_loss; RMSprop(1e-3,  shuffled
                                                            alpha 0.9, eps 1e-7). Input ~22.6 non-zero
                                                            values at the end of each 1500-wide row.
  text-lstm len 100    text.TextClassifier (text-lstm),     Embedding(5239, 64) -> LSTM(64, batch_first)  779 titles
  text-lstm len 1500   S1Benchmark: 10% of the titles       -> last time step -> Linear(64, 20);          (10%), batch
                       (test_ratio 0.9), scale false        F.cross_entropy; SGD(0.1, momentum 0.9,       128, shuffled
                                                            nesterov). All 100/1500 steps run (pre-padded
                                                            with index 0, no mask, as CineLab).
  stacked-autoencoder  autoencoder.RatingAutoencoder        Linear 1682-20-10-20-1682, sigmoid hidden,    943 user
                       (stacked-autoencoder defaults)       identity output; masked MSE (sum of observed  vectors,
                                                            squared errors / 1682, batch mean);           batch 1,
                                                            RMSprop(0.01, alpha 0.99, eps 1e-8)           id order
  autorec              autoencoder.RatingAutoencoder        Linear 943-500-943, sigmoid hidden, identity  1,631 item
  autorec batch 256    (autorec defaults; batch_size 256)   output; masked MSE (sum over observed,        vectors,
                                                            batch mean); Adam(1e-3, eps 1e-8), L2 1e-3    batch 32 /
                                                            on weights only (decay_biases false)          256, shuffled
  ranking              recsys.RecsysModel (ranking)         Embedding(943,32), Embedding(1682,32), concat 72,000
                                                            -> 256 ReLU -> 64 ReLU -> 1; F.mse_loss;      ratings,
                                                            Adam(1e-3, eps 1e-7)                          batch 256
  dcn                  recsys.RecsysModel (dcn), CrossNetwork same embeddings; 2 full cross layers          72,000,
                                                            x_{l+1} = x0 * (x_l W + b) + x_l (64x64),     batch 256
                                                            then 192 ReLU -> 192 ReLU -> 1; MSE; Adam
  two-tower            recsys.RecsysModel (two-tower),      same embeddings; in-batch softmax over        72,000,
                       InBatchSoftmaxLoss, TowerTrainer     U M^T (cross entropy, batch mean, weight 1)   batch 1024
                                                            + rating head 64-256-128-1 ReLU under MSE
                                                            at weight 0 (computed, as CineLab does);
                                                            Adam(1e-3, eps 1e-7)
  embedding-dense      timeseries.EmbeddingDenseModel,      Embedding(610,64), Embedding(9724,64), concat 70,585
                       S4Benchmark (latest-small, time      -> 256 ReLU -> dropout 0.2 -> 128 ReLU ->     ratings,
                       split 70/10/20)                      dropout 0.2 -> 64 ReLU -> 1; MSE; Adam(1e-3,  batch 256
                                                            eps 1e-7)
  time-lstm            timeseries.TimeLstmModel (defaults)  LSTM(23 -> 228, batch_first) over windows of  66,513
                                                            10 steps (20 cluster one-hot + 3 continuous   windows,
                                                            channels) -> last step -> Linear(228, 1) ->   batch 256
                                                            SiLU (swish); MSE; Adam(1e-3, eps 1e-7)

All recsys/S4 rows shuffle the ratings each epoch; embeddings have dense gradients and Adam moves every
row of a table each step, as CineLab's TowerTrainer and DL4J do. S4's biased-mf prints no throughput row.

Differences that could not be avoided (or are deliberate):
  * nn.LSTM has two bias vectors (b_ih, b_hh); DL4J's/CineLab's LSTM has one (4H extra parameters,
    one extra add per gate). Gate order and parameter layout differ; the arithmetic does not.
  * text-lstm: the embedding has the input dimension the S1 bench gets, 5,239 (5,238 words fitted on its
    779 training titles + index 0), not num_words 10,000; LstmBenchmark (`cinelab bench lstm`) instead
    uses 10,000 words on random data and 20 (length 100) or 3 (length 1500) batches of 128 per epoch.
    Deliberately no pack_padded_sequence / padding_idx: CineLab runs all 100 or 1500 steps of the
    pre-padded rows (~24 words each) without a mask, so PyTorch does the same work.
  * time-lstm: CineLab encodes each batch's window features (one-hot clusters, standardised rating and
    gap) from its sliding-window index inside the epoch; here the [66,513, 10, 23] tensor is prebuilt,
    so PyTorch's epoch excludes that feature-building work.
  * Optimiser formulas are PyTorch's (its Nesterov SGD and RMSprop/Adam epsilon placement may differ
    from DL4J's in detail); the work per step is the same. Initial weights follow CineLab's schemes,
    not its random streams.
  * Losses are written out as CineLab computes them (masked MSE with the mask x != 0 built per batch);
    PyTorch's own reductions are used where they are the same math (mse_loss, cross_entropy).
  * The bench rows run at CineLab's fixed shapes only; dataset-dependent sizes (5,239 words, 1,631
    rated items, 66,513 windows, ...) are constants here, read from CineLab's loaders on the data in
    /work/shared/data at commit 5ff2d61.
"""

import argparse
import ctypes
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

SEED = 42

# Sizes CineLab's bench data has (from its loaders; see the docstring).
DEC_TITLES, DEC_INPUTS, DEC_NONZERO_MEAN = 7787, 1500, 22.6
TEXT_TITLES, TEXT_VOCAB, TEXT_CLASSES, TEXT_WORDS_MEAN = 779, 5239, 20, 24.3
ML100K_USERS, ML100K_ITEMS, ML100K_TRAIN, ML100K_RATED_ITEMS = 943, 1682, 72_000, 1631
LATEST_USERS, LATEST_ITEMS, LATEST_TRAIN = 610, 9724, 70_585
WINDOWS, WINDOW, CLUSTERS = 66_513, 10, 20


# ---------------------------------------------------------------------------------------------------
# Threads and BLAS


def openblas():
    """The libopenblas this process loaded (through torch -> libblas.so.3), or None."""
    try:
        with open("/proc/self/maps") as maps:
            for line in maps:
                path = line.split()[-1]
                if "libopenblas" in path:
                    return ctypes.CDLL(path)
    except OSError:
        pass
    return None


def sgemm_gflops():
    """GFLOP/s of torch.mm on 1024 x 1024 float32 matrices, best of 5 (after one untimed product)."""
    a, b = torch.randn(1024, 1024), torch.randn(1024, 1024)
    torch.mm(a, b)
    best = float("inf")
    for _ in range(5):
        t0 = time.perf_counter()
        torch.mm(a, b)
        best = min(best, time.perf_counter() - t0)
    return round(2 * 1024 ** 3 / best / 1e9, 1)


def configure_threads(n):
    torch.set_num_interop_threads(1)  # before any inter-op work, or torch refuses
    torch.set_num_threads(n)
    lib = openblas()
    if lib is None:
        return "unknown (no libopenblas loaded)"
    try:
        lib.openblas_set_num_threads(n)
        lib.openblas_get_corename.restype = ctypes.c_char_p
        lib.openblas_get_config.restype = ctypes.c_char_p
        return "%s; core %s; %d BLAS thread(s)" % (lib.openblas_get_config().decode(), lib.openblas_get_corename().decode(),
                                           lib.openblas_get_num_threads())
    except AttributeError:
        return "unknown"


# ---------------------------------------------------------------------------------------------------
# Initialisation helpers (CineLab's schemes; values do not change throughput, but keep them realistic)


def dl4j_xavier_(linear):
    """DL4J's XAVIER: N(0, 2 / (fan_in + fan_out)); zero bias."""
    nn.init.normal_(linear.weight, 0.0, math.sqrt(2.0 / (linear.in_features + linear.out_features)))
    nn.init.zeros_(linear.bias)


def uniform_fan_in_(linear):
    """U(±1/sqrt(fan_in)) weights, zero bias (DEC's and the S3 course's init)."""
    bound = 1.0 / math.sqrt(linear.in_features)
    nn.init.uniform_(linear.weight, -bound, bound)
    nn.init.zeros_(linear.bias)


# ---------------------------------------------------------------------------------------------------
# Synthetic data, the shapes and sparsity of CineLab's


def padded_rows(g, rows, width, mean_nonzero, low, high, integers):
    """Pre-padded rows: the last k entries non-zero, k around mean_nonzero (Keras pad_sequences)."""
    spread = int(mean_nonzero) - 8
    k = torch.randint(int(mean_nonzero) - spread, int(mean_nonzero) + spread + 1, (rows,), generator=g)
    if integers:
        values = torch.randint(low, high, (rows, width), generator=g)
    else:
        values = torch.rand((rows, width), generator=g) * (high - low) + low
    keep = torch.arange(width).unsqueeze(0) >= (width - k).unsqueeze(1)
    return torch.where(keep, values, torch.zeros((), dtype=values.dtype))


def ratings_table(g, users, items, n, rated_items, half_stars):
    """n distinct (user, item) pairs over all users and rated_items of the items, with ratings."""
    rng = np.random.default_rng(SEED)
    item_ids = np.sort(rng.choice(items, rated_items, replace=False))
    while True:
        cells = rng.choice(users * rated_items, n, replace=False)
        u, i = cells // rated_items, item_ids[cells % rated_items]
        if len(np.unique(u)) == users and len(np.unique(i)) == rated_items:
            break
    if half_stars:
        r = rng.integers(1, 11, n) / 2.0
    else:
        r = rng.integers(1, 6, n).astype(np.float64)
    return torch.from_numpy(u).long(), torch.from_numpy(i).long(), torch.from_numpy(r).float()


def rating_vectors(users, items, ratings, num_users, num_items, by_user):
    """CineLab's RatingVectors: one dense row per user (or item), 0 where unrated; only non-empty rows."""
    m = torch.zeros(num_users, num_items) if by_user else torch.zeros(num_items, num_users)
    r, c = (users, items) if by_user else (items, users)
    m[r, c] = ratings
    return m[(m != 0).any(dim=1)].contiguous()


# ---------------------------------------------------------------------------------------------------
# Models


class DecAutoencoder(nn.Module):
    def __init__(self, inputs=DEC_INPUTS, dims=(500, 500, 2000, 10)):
        super().__init__()
        widths = [inputs, *dims, *reversed(dims[:-1]), inputs]
        self.layers = nn.ModuleList(nn.Linear(a, b) for a, b in zip(widths[:-1], widths[1:]))
        self.identity = {len(dims) - 1, len(widths) - 2}  # the embedding and the output
        for layer in self.layers:
            uniform_fan_in_(layer)

    def forward(self, x):
        for k, layer in enumerate(self.layers):
            x = layer(x)
            if k not in self.identity:
                x = F.relu(x)
        return x


class TextLstm(nn.Module):
    def __init__(self, vocab=TEXT_VOCAB, width=64, units=64, classes=TEXT_CLASSES):
        super().__init__()
        self.embedding = nn.Embedding(vocab, width)
        self.lstm = nn.LSTM(width, units, batch_first=True)
        self.out = nn.Linear(units, classes)
        nn.init.xavier_uniform_(self.out.weight)
        nn.init.zeros_(self.out.bias)

    def forward(self, words):
        h, _ = self.lstm(self.embedding(words))
        return self.out(h[:, -1])  # LastTimeStep without a mask: the last step


class RatingAutoencoder(nn.Module):
    def __init__(self, width, hidden, init):
        super().__init__()
        widths = [width, *hidden, width]
        self.layers = nn.ModuleList(nn.Linear(a, b) for a, b in zip(widths[:-1], widths[1:]))
        for layer in self.layers:
            init(layer)

    def forward(self, x):
        for layer in self.layers[:-1]:
            x = torch.sigmoid(layer(x))
        return self.layers[-1](x)


def masked_mse(out, x, divisor):
    """CineLab's MaskedMseLoss: squared error where the label is non-zero, per-row sum / divisor, batch mean."""
    residual = (out - x) * (x != 0)
    return residual.pow(2).sum() / (divisor * x.shape[0])


def dense_stack(widths, dropout=0.0, dropout_from=1):
    """ReLU Linear layers; dropout on the inputs of layers dropout_from.. (DL4J's dropOut on a layer)."""
    layers = []
    for k, (a, b) in enumerate(zip(widths[:-1], widths[1:])):
        if dropout > 0 and k >= dropout_from:
            layers.append(nn.Dropout(dropout))
        linear = nn.Linear(a, b)
        dl4j_xavier_(linear)
        layers += [linear, nn.ReLU()]
    return nn.Sequential(*layers)


class Towers(nn.Module):
    """User and item id embeddings, concatenated (CineLab's x0)."""

    def __init__(self, users, items, d, init):
        super().__init__()
        self.user = nn.Embedding(users, d)
        self.item = nn.Embedding(items, d)
        for e in (self.user, self.item):
            init(e.weight)

    def forward(self, u, i):
        return torch.cat([self.user(u), self.item(i)], dim=1)


def keras_embedding_init(w):
    nn.init.uniform_(w, -0.05, 0.05)


def rating_output(width, mean):
    out = nn.Linear(width, 1)
    dl4j_xavier_(out)
    nn.init.constant_(out.bias, mean)
    return out


class Ranking(nn.Module):
    def __init__(self, deep=(256, 64), d=32, mean=3.53):
        super().__init__()
        self.towers = Towers(ML100K_USERS, ML100K_ITEMS, d, keras_embedding_init)
        self.deep = dense_stack([2 * d, *deep])
        self.out = rating_output(deep[-1], mean)

    def forward(self, u, i):
        return self.out(self.deep(self.towers(u, i))).squeeze(1)


class CrossNetwork(nn.Module):
    def __init__(self, width, layers):
        super().__init__()
        self.cross = nn.ModuleList(nn.Linear(width, width) for _ in range(layers))
        for layer in self.cross:
            dl4j_xavier_(layer)

    def forward(self, x0):
        x = x0
        for layer in self.cross:
            x = x0 * layer(x) + x
        return x


class Dcn(nn.Module):
    def __init__(self, deep=(192, 192), d=32, layers=2, mean=3.53):
        super().__init__()
        self.towers = Towers(ML100K_USERS, ML100K_ITEMS, d, keras_embedding_init)
        self.cross = CrossNetwork(2 * d, layers)
        self.deep = dense_stack([2 * d, *deep])
        self.out = rating_output(deep[-1], mean)

    def forward(self, u, i):
        return self.out(self.deep(self.cross(self.towers(u, i)))).squeeze(1)


class TwoTower(nn.Module):
    def __init__(self, deep=(256, 128), d=32, mean=3.53):
        super().__init__()
        self.d = d
        self.towers = Towers(ML100K_USERS, ML100K_ITEMS, d, keras_embedding_init)
        self.deep = dense_stack([2 * d, *deep])
        self.out = rating_output(deep[-1], mean)

    def forward(self, u, i):
        x0 = self.towers(u, i)
        return x0[:, :self.d], x0[:, self.d:], self.out(self.deep(x0)).squeeze(1)


class EmbeddingDense(nn.Module):
    def __init__(self, d=64, hidden=(256, 128, 64), dropout=0.2):
        super().__init__()
        self.towers = Towers(LATEST_USERS, LATEST_ITEMS, d, self.dl4j_uniform)
        self.deep = dense_stack([2 * d, *hidden], dropout=dropout, dropout_from=1)
        self.out = nn.Linear(hidden[-1], 1)
        dl4j_xavier_(self.out)

    @staticmethod
    def dl4j_uniform(w):
        bound = 1.0 / math.sqrt(w.shape[0])
        nn.init.uniform_(w, -bound, bound)

    def forward(self, u, i):
        return self.out(self.deep(self.towers(u, i))).squeeze(1)


class TimeLstm(nn.Module):
    def __init__(self, channels=CLUSTERS + 3, units=228):
        super().__init__()
        self.lstm = nn.LSTM(channels, units, batch_first=True)
        self.out = nn.Linear(units, 1)
        dl4j_xavier_(self.out)

    def forward(self, steps):
        h, _ = self.lstm(steps)
        return F.silu(self.out(h[:, -1])).squeeze(1)


# ---------------------------------------------------------------------------------------------------
# Rows: each returns (examples per epoch, epoch function)


def epoch_order(g, n, shuffle):
    return torch.randperm(n, generator=g) if shuffle else torch.arange(n)


def batches(order, batch):
    for start in range(0, len(order), batch):
        yield order[start:start + batch]


def row_dec(g):
    x = padded_rows(g, DEC_TITLES, DEC_INPUTS, DEC_NONZERO_MEAN, 0.0, 1.0, integers=False)
    model = DecAutoencoder()
    opt = torch.optim.RMSprop(model.parameters(), lr=1e-3, alpha=0.9, eps=1e-7)

    def epoch():
        total = 0.0
        for idx in batches(epoch_order(g, DEC_TITLES, True), 128):
            xb = x[idx]
            opt.zero_grad(set_to_none=True)
            loss = F.mse_loss(model(xb), xb)
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
        return total / DEC_TITLES

    return DEC_TITLES, "title", model, epoch


def row_text_lstm(length):
    def make(g):
        words = padded_rows(g, TEXT_TITLES, length, TEXT_WORDS_MEAN, 1, TEXT_VOCAB, integers=True)
        labels = torch.randint(0, TEXT_CLASSES, (TEXT_TITLES,), generator=g)
        model = TextLstm()
        opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, nesterov=True)

        def epoch():
            total = 0.0
            for idx in batches(epoch_order(g, TEXT_TITLES, True), 128):
                opt.zero_grad(set_to_none=True)
                loss = F.cross_entropy(model(words[idx]), labels[idx])
                loss.backward()
                opt.step()
                total += loss.item() * len(idx)
            return total / TEXT_TITLES

        return TEXT_TITLES, "title", model, epoch

    return make


def ml100k(g):
    return ratings_table(g, ML100K_USERS, ML100K_ITEMS, ML100K_TRAIN, ML100K_RATED_ITEMS, half_stars=False)


def row_stacked_autoencoder(g):
    u, i, r = ml100k(g)
    x = rating_vectors(u, i, r, ML100K_USERS, ML100K_ITEMS, by_user=True)  # [943, 1682]
    n = x.shape[0]
    model = RatingAutoencoder(ML100K_ITEMS, (20, 10, 20), uniform_fan_in_)
    opt = torch.optim.RMSprop(model.parameters(), lr=0.01, alpha=0.99, eps=1e-8)

    def epoch():
        total = 0.0
        for k in range(n):  # batch 1, id order (shuffle false)
            xb = x[k:k + 1]
            opt.zero_grad(set_to_none=True)
            loss = masked_mse(model(xb), xb, ML100K_ITEMS)  # loss_normalisation all_outputs
            loss.backward()
            opt.step()
            total += loss.item()
        return total / n

    return n, "user vector", model, epoch


def row_autorec(batch):
    def make(g):
        u, i, r = ml100k(g)
        x = rating_vectors(u, i, r, ML100K_USERS, ML100K_ITEMS, by_user=False)  # [1631, 943]
        n = x.shape[0]
        model = RatingAutoencoder(ML100K_USERS, (500,), lambda l: (nn.init.xavier_normal_(l.weight), nn.init.zeros_(l.bias)))
        weights = [l.weight for l in model.layers]
        biases = [l.bias for l in model.layers]
        opt = torch.optim.Adam([{"params": weights, "weight_decay": 1e-3}, {"params": biases, "weight_decay": 0.0}],
                               lr=1e-3, eps=1e-8)

        def epoch():
            total = 0.0
            for idx in batches(epoch_order(g, n, True), batch):
                xb = x[idx]
                opt.zero_grad(set_to_none=True)
                loss = masked_mse(model(xb), xb, 1.0)  # loss_normalisation sum
                loss.backward()
                opt.step()
                total += loss.item() * len(idx)
            return total / n

        return n, "item vector", model, epoch

    return make


def rating_row(model_fn, batch, data_fn, loss_fn):
    def make(g):
        u, i, r = data_fn(g)
        n = len(r)
        model = model_fn(float(r.mean()))
        opt = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)

        def epoch():
            model.train()
            total, steps = 0.0, 0
            for idx in batches(epoch_order(g, n, True), batch):
                if len(idx) < 2 and isinstance(model, TwoTower):
                    continue  # as CineLab: a softmax over one movie has nothing to learn
                opt.zero_grad(set_to_none=True)
                loss = loss_fn(model(u[idx], i[idx]), r[idx])
                loss.backward()
                opt.step()
                total += loss.item()
                steps += 1
            return total / max(1, steps)

        return n, "rating", model, epoch

    return make


def mse(pred, y):
    return F.mse_loss(pred, y)


def two_tower_loss(out, y, retrieval_weight=1.0, rating_weight=0.0):
    users, movies, rating = out
    logits = users @ movies.t()
    retrieval = F.cross_entropy(logits, torch.arange(logits.shape[0]))
    return retrieval_weight * retrieval + rating_weight * F.mse_loss(rating, y)


def latest_small(g):
    rng = np.random.default_rng(SEED)
    u = torch.from_numpy(rng.integers(0, LATEST_USERS, LATEST_TRAIN)).long()
    i = torch.from_numpy(rng.integers(0, LATEST_ITEMS, LATEST_TRAIN)).long()
    r = torch.from_numpy(rng.integers(1, 11, LATEST_TRAIN) / 2.0).float()
    return u, i, r


def row_time_lstm(g):
    n = WINDOWS
    steps = torch.zeros(n, WINDOW, CLUSTERS + 3)
    cluster = torch.randint(0, CLUSTERS, (n, WINDOW), generator=g)
    steps.scatter_(2, cluster.unsqueeze(2), 1.0)
    steps[:, :, CLUSTERS] = torch.randn(n, WINDOW, generator=g)       # standardised rating
    steps[:, :, CLUSTERS + 1] = torch.randn(n, WINDOW, generator=g)   # standardised log gap
    steps[:, :, CLUSTERS + 2] = 1.0                                   # rating known
    steps[:, -1, CLUSTERS] = 0.0                                      # the last step's rating is withheld
    steps[:, -1, CLUSTERS + 2] = 0.0
    labels = torch.randint(1, 11, (n,), generator=g).float() / 2.0
    model = TimeLstm()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)

    def epoch():
        total, count = 0.0, 0
        for idx in batches(epoch_order(g, n, True), 256):
            opt.zero_grad(set_to_none=True)
            loss = F.mse_loss(model(steps[idx]), labels[idx])
            loss.backward()
            opt.step()
            total += loss.item()
            count += 1
        return total / count

    return n, "window", model, epoch


ROWS = {
    "dec": row_dec,
    "text-lstm len 100": row_text_lstm(100),
    "text-lstm len 1500": row_text_lstm(1500),
    "stacked-autoencoder": row_stacked_autoencoder,
    "autorec": row_autorec(32),
    "autorec batch 256": row_autorec(256),
    "ranking": rating_row(lambda mean: Ranking(mean=mean), 256, ml100k, mse),
    "dcn": rating_row(lambda mean: Dcn(mean=mean), 256, ml100k, mse),
    "two-tower": rating_row(lambda mean: TwoTower(mean=mean), 1024, ml100k, two_tower_loss),
    "embedding-dense": rating_row(lambda mean: EmbeddingDense(), 256, latest_small, mse),
    "time-lstm": row_time_lstm,
}


def main():
    p = argparse.ArgumentParser(description="PyTorch CPU training throughput of CineLab's bench models (one JSON line per row)")
    p.add_argument("--rows", required=True, help="comma-separated rows: " + ", ".join(ROWS))
    p.add_argument("--threads", type=int, required=True, help="torch threads and OpenBLAS threads")
    p.add_argument("--epochs", type=int, default=3, help="timed epochs after one warm-up epoch (default 3)")
    a = p.parse_args()
    rows = [r.strip() for r in a.rows.split(",") if r.strip()]
    unknown = [r for r in rows if r not in ROWS]
    if unknown or not rows:
        print("pytorch_reference: unknown row%s %s; valid rows: %s" % ("s" if len(unknown) > 1 else "",
              ", ".join(repr(r) for r in unknown) or "(none given)", ", ".join(ROWS)), file=sys.stderr)
        sys.exit(2)
    if a.threads < 1 or a.epochs < 1:
        print("pytorch_reference: --threads and --epochs must be >= 1", file=sys.stderr)
        sys.exit(2)
    blas = configure_threads(a.threads)
    sgemm = sgemm_gflops()
    for row in rows:
        torch.manual_seed(SEED)
        g = torch.Generator().manual_seed(SEED)
        examples, unit, model, epoch = ROWS[row](g)
        model.train()
        epoch()  # warm-up
        load_before = os.getloadavg()[0]
        seconds, cpu = [], []
        for _ in range(a.epochs):
            t0, c0 = time.perf_counter(), time.process_time()
            epoch()
            seconds.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
        print(json.dumps({
            "row": row,
            "examples_per_second": round(examples / min(seconds), 1),
            "mean_examples_per_second": round(examples / (sum(seconds) / len(seconds)), 1),
            "epoch_seconds": [round(s, 4) for s in seconds],
            "threads": a.threads,
            "torch": torch.__version__,
            "blas": blas,
            "examples_per_epoch": examples,
            "example_unit": unit,
            "examples_per_cpu_second": round(examples / (sum(cpu) / len(cpu)), 1),
            "epoch_cpu_seconds": [round(c, 4) for c in cpu],
            "load": [round(load_before, 2), round(os.getloadavg()[0], 2)],
            "sgemm_gflops": sgemm,
        }), flush=True)


if __name__ == "__main__":
    main()
