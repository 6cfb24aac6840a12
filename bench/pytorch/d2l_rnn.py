"""The peer for bench/D2L.Rnn.Bench: d2l 0.17's concise RNN training (section 8.6, train_ch8) in PyTorch, on the
same data with the same settings, one JSON line per model kind.

    python3 bench/pytorch/d2l_rnn.py --data timemachine.txt --threads 2 --epochs 5 --cells rnn,gru,lstm

Data: the whole Time Machine, d2l's preprocessing (letters only, lower case, lines joined), character tokens.
Model: one-hot input, nn.RNN (tanh) / nn.GRU / nn.LSTM with 256 hidden units (--layers of them, default 1), a dense
output layer.
Training: batch 32, 35 steps, sequential sampling (state carried and detached), mean cross-entropy, SGD lr 1,
gradient clipping to norm 1. One warm-up epoch, then --epochs measured epochs, with the faster of 1 and --threads
threads (probed first). Run it with OPENBLAS_NUM_THREADS=1, as the bench does.
Every line names the BLAS this process multiplies with ('blas': openblas, mkl, reference or other; 'blas_library':
the file), read from /proc/self/maps after a matrix product ran (blas.py). `--blas` prints only that and exits.
"""
import argparse, collections, json, math, os, random, re, time

import torch
from torch import nn
from torch.nn import functional as F

import blas


def load_corpus(path):
    with open(path) as f:
        lines = [re.sub('[^A-Za-z]+', ' ', line).strip().lower() for line in f.readlines()]
    tokens = [c for line in lines for c in line]
    counts = sorted(collections.Counter(tokens).items(), key=lambda x: x[1], reverse=True)
    idx_to_token = ['<unk>'] + [t for t, _ in counts]
    token_to_idx = {t: i for i, t in enumerate(idx_to_token)}
    return [token_to_idx[t] for t in tokens], len(idx_to_token)


def seq_data_iter_sequential(corpus, batch_size, num_steps):
    offset = random.randint(0, num_steps)
    num_tokens = ((len(corpus) - offset - 1) // batch_size) * batch_size
    xs = torch.tensor(corpus[offset: offset + num_tokens]).reshape(batch_size, -1)
    ys = torch.tensor(corpus[offset + 1: offset + 1 + num_tokens]).reshape(batch_size, -1)
    for i in range(0, xs.shape[1] // num_steps * num_steps, num_steps):
        yield xs[:, i: i + num_steps], ys[:, i: i + num_steps]


class RNNModel(nn.Module):
    def __init__(self, rnn_layer, vocab_size):
        super().__init__()
        self.rnn, self.vocab_size = rnn_layer, vocab_size
        self.linear = nn.Linear(rnn_layer.hidden_size, vocab_size)

    def forward(self, inputs, state):
        x = F.one_hot(inputs.T.long(), self.vocab_size).to(torch.float32)
        y, state = self.rnn(x, state)
        return self.linear(y.reshape(-1, y.shape[-1])), state

    def begin_state(self, batch_size):
        h = torch.zeros(self.rnn.num_layers, batch_size, self.rnn.hidden_size)
        return (h, torch.zeros_like(h)) if isinstance(self.rnn, nn.LSTM) else h


def grad_clipping(net, theta):
    params = [p for p in net.parameters() if p.requires_grad]
    norm = torch.sqrt(sum(torch.sum(p.grad ** 2) for p in params))
    if norm > theta:
        for p in params:
            p.grad[:] *= theta / norm


def loaded_blas():
    """(kind, file) of the BLAS this process does its matrix products with (blas.classify)."""
    torch.ones(64, 64) @ torch.ones(64, 64)  # a product first: by then every library it needs is mapped
    files = []
    if os.path.exists('/proc/self/maps'):
        with open('/proc/self/maps') as f:
            files = blas.mapped_files(f)
    built_for = re.search(r'BLAS_INFO=([^,\s]+)', torch.__config__.show())
    return blas.classify(files, built_for.group(1) if built_for else '')


def train_epoch(net, corpus, updater, batch_size=32, num_steps=35, max_minibatches=None):
    state, loss_sum, tokens = None, 0.0, 0
    start = time.perf_counter()
    for i, (x, y) in enumerate(seq_data_iter_sequential(corpus, batch_size, num_steps)):
        if i == max_minibatches:
            break
        if state is None:
            state = net.begin_state(batch_size)
        elif isinstance(state, tuple):
            state = tuple(s.detach() for s in state)
        else:
            state = state.detach()
        y_hat, state = net(x, state)
        loss = F.cross_entropy(y_hat, y.T.reshape(-1).long())
        updater.zero_grad()
        loss.backward()
        grad_clipping(net, 1)
        updater.step()
        loss_sum += loss.item() * y.numel()
        tokens += y.numel()
    return math.exp(loss_sum / tokens), tokens / (time.perf_counter() - start)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--data', help='timemachine.txt (required unless --blas)')
    parser.add_argument('--threads', type=int, default=1,
                        help='at most this many threads: 1 and this many are probed, the faster one is measured')
    parser.add_argument('--epochs', type=int, default=5, help='measured epochs, after one warm-up epoch')
    parser.add_argument('--cells', default='rnn,gru,lstm')
    parser.add_argument('--layers', type=int, default=1, help='stacked recurrent layers')
    parser.add_argument('--blas', action='store_true', help='print the BLAS this PyTorch uses and exit')
    args = parser.parse_args()
    if args.data is None and not args.blas:
        parser.error('--data is required')
    blas_kind, blas_library = loaded_blas()
    if args.blas:
        print(json.dumps({'what': 'pytorch.blas', 'blas': blas_kind, 'blas_library': blas_library,
                          'torch': torch.__version__}), flush=True)
        return
    corpus, vocab_size = load_corpus(args.data)
    layers = {'rnn': nn.RNN, 'gru': nn.GRU, 'lstm': nn.LSTM}

    def fresh(cell):
        """The same initial model and data offsets for the probe and the measured run."""
        torch.manual_seed(0)
        random.seed(0)
        net = RNNModel(layers[cell](vocab_size, 256, args.layers), vocab_size)
        return net, torch.optim.SGD(net.parameters(), lr=1)

    for cell in args.cells.split(','):
        net, updater = fresh(cell)
        # PyTorch's best thread count: on 2 cores its intra-op threads can be slower than one (BLAS and OpenMP
        # threads contend), so 1 and --threads are probed on 20 minibatches each and the faster one is measured.
        probes = {}
        for threads in sorted({1, args.threads}):
            torch.set_num_threads(threads)
            train_epoch(net, corpus, updater, max_minibatches=5)
            probes[threads] = train_epoch(net, corpus, updater, max_minibatches=20)[1]
        best = max(probes, key=probes.get)
        torch.set_num_threads(best)
        net, updater = fresh(cell)
        train_epoch(net, corpus, updater)  # warm-up
        rates, perplexity = [], float('nan')
        for _ in range(args.epochs):
            perplexity, rate = train_epoch(net, corpus, updater)
            rates.append(rate)
        print(json.dumps({'what': f'pytorch.train.{cell}.tokens_per_sec', 'value': sum(rates) / len(rates),
                          'unit': 'tokens/sec', 'torch': torch.__version__, 'threads': best,
                          'blas': blas_kind, 'blas_library': blas_library,
                          'probes': {str(t): round(r) for t, r in probes.items()},
                          'perplexity': perplexity, 'epochs': [round(r) for r in rates]}), flush=True)


if __name__ == '__main__':
    main()
