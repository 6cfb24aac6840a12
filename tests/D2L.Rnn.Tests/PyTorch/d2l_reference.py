"""d2l's PyTorch RNNModel (d2l 0.17, chapter 8) as the peer that the C# tests compare D2L.Rnn with.

    d2l_reference.py export MANIFEST     PyTorch -> C#: train each model, save its weights and what PyTorch computes
    d2l_reference.py evaluate MANIFEST   C# -> PyTorch: load each model's weights (strict), save what PyTorch computes

MANIFEST is a JSON file {"models": [{"name", "kind": "rnn"|"gru"|"lstm", "num_hiddens", "num_layers",
"nonlinearity": "tanh"|"relu", "bidirectional": false|true}]}; every output goes to the manifest's folder. The corpus is the Time Machine from
$D2L_DATA_DIR, preprocessed as d2l 0.17. Tensors are written with torch.save (a dict of tensors), numbers and text
as JSON.
"""
import collections
import json
import os
import random
import re
import sys

import torch
from torch import nn
from torch.nn import functional as F

# d2l chapter 8's training settings; the export trains briefly so that predictions are confident.
BATCH_SIZE, NUM_STEPS, MAX_TOKENS, LR, TRAIN_THETA = 32, 35, 10_000, 1.0, 1.0
TRAIN_EPOCHS = 30
# The one clipped SGD step the tests check: a small theta, so that clipping is active.
STEP_LR, STEP_THETA = 1.0, 0.01
# The fixed minibatch starts past the training text; predictions as in the book.
MINIBATCH_START, PREFIX, NUM_PREDS = 20_000, "time traveller", 50


# --- d2l 0.17 (d2l/torch.py), unchanged in substance ---------------------------------------------------------

def read_time_machine():
    with open(os.path.join(os.environ["D2L_DATA_DIR"], "timemachine.txt"), "r", encoding="utf-8") as f:
        lines = f.readlines()
    return [re.sub("[^A-Za-z]+", " ", line).strip().lower() for line in lines]


class Vocab:
    def __init__(self, tokens):
        counter = collections.Counter(token for line in tokens for token in line)
        self._token_freqs = sorted(counter.items(), key=lambda x: x[1], reverse=True)
        self.idx_to_token = ["<unk>"]
        self.token_to_idx = {"<unk>": 0}
        for token, _ in self._token_freqs:
            if token not in self.token_to_idx:
                self.idx_to_token.append(token)
                self.token_to_idx[token] = len(self.idx_to_token) - 1

    def __len__(self):
        return len(self.idx_to_token)

    def __getitem__(self, token):
        return self.token_to_idx.get(token, 0)


def load_corpus_time_machine(max_tokens=-1):
    tokens = [list(line) for line in read_time_machine()]
    vocab = Vocab(tokens)
    corpus = [vocab[token] for line in tokens for token in line]
    if max_tokens > 0:
        corpus = corpus[:max_tokens]
    return corpus, vocab


def seq_data_iter_sequential(corpus, batch_size, num_steps):
    offset = random.randint(0, num_steps)
    num_tokens = ((len(corpus) - offset - 1) // batch_size) * batch_size
    Xs = torch.tensor(corpus[offset: offset + num_tokens])
    Ys = torch.tensor(corpus[offset + 1: offset + 1 + num_tokens])
    Xs, Ys = Xs.reshape(batch_size, -1), Ys.reshape(batch_size, -1)
    num_batches = Xs.shape[1] // num_steps
    for i in range(0, num_steps * num_batches, num_steps):
        yield Xs[:, i: i + num_steps], Ys[:, i: i + num_steps]


class RNNModel(nn.Module):
    def __init__(self, rnn_layer, vocab_size, **kwargs):
        super(RNNModel, self).__init__(**kwargs)
        self.rnn = rnn_layer
        self.vocab_size = vocab_size
        self.num_hiddens = self.rnn.hidden_size
        if not self.rnn.bidirectional:
            self.num_directions = 1
            self.linear = nn.Linear(self.num_hiddens, self.vocab_size)
        else:
            self.num_directions = 2
            self.linear = nn.Linear(self.num_hiddens * 2, self.vocab_size)

    def forward(self, inputs, state):
        X = F.one_hot(inputs.T.long(), self.vocab_size)
        X = X.to(torch.float32)
        Y, state = self.rnn(X, state)
        output = self.linear(Y.reshape((-1, Y.shape[-1])))
        return output, state

    def begin_state(self, device, batch_size=1):
        shape = (self.num_directions * self.rnn.num_layers, batch_size, self.num_hiddens)
        if not isinstance(self.rnn, nn.LSTM):
            return torch.zeros(shape, device=device)
        return torch.zeros(shape, device=device), torch.zeros(shape, device=device)


def grad_clipping(net, theta):
    params = [p for p in net.parameters() if p.requires_grad]
    norm = torch.sqrt(sum(torch.sum((p.grad ** 2)) for p in params))
    if norm > theta:
        for param in params:
            param.grad[:] *= theta / norm
    return norm


def predict_ch8(prefix, num_preds, net, vocab, device):
    """d2l's predict_ch8, which also returns the scores of every predicted step."""
    state = net.begin_state(batch_size=1, device=device)
    outputs = [vocab[prefix[0]]]
    get_input = lambda: torch.tensor([outputs[-1]], device=device).reshape((1, 1))
    for y in prefix[1:]:  # Warm-up period
        _, state = net(get_input(), state)
        outputs.append(vocab[y])
    scores = []
    for _ in range(num_preds):  # Predict `num_preds` steps
        y, state = net(get_input(), state)
        scores.append(y.detach().reshape(-1))
        outputs.append(int(y.argmax(dim=1).reshape(1)))
    return "".join([vocab.idx_to_token[i] for i in outputs]), torch.stack(scores)


def train_epoch_ch8(net, train_iter, loss, updater, device):
    state = None
    for X, Y in train_iter:
        if state is None:
            state = net.begin_state(batch_size=X.shape[0], device=device)
        elif not isinstance(state, tuple):
            state.detach_()
        else:
            for s in state:
                s.detach_()
        y = Y.T.reshape(-1)
        y_hat, state = net(X, state)
        l = loss(y_hat, y.long()).mean()
        updater.zero_grad()
        l.backward()
        grad_clipping(net, TRAIN_THETA)
        updater.step()


# --- what the tests compare ------------------------------------------------------------------------------------

def build(spec, vocab_size):
    kind, hiddens, layers = spec["kind"], spec["num_hiddens"], spec["num_layers"]
    bidirectional = spec.get("bidirectional", False)
    if kind == "rnn":
        layer = nn.RNN(vocab_size, hiddens, layers, nonlinearity=spec["nonlinearity"], bidirectional=bidirectional)
    elif kind == "gru":
        layer = nn.GRU(vocab_size, hiddens, layers, bidirectional=bidirectional)
    elif kind == "lstm":
        layer = nn.LSTM(vocab_size, hiddens, layers, bidirectional=bidirectional)
    else:
        raise ValueError(f"unknown kind {kind!r}")
    return RNNModel(layer, vocab_size)


def fixed_minibatch(full_corpus):
    """BATCH_SIZE consecutive windows of NUM_STEPS tokens from MINIBATCH_START (text the export never trains on)."""
    rows = [full_corpus[MINIBATCH_START + b * NUM_STEPS: MINIBATCH_START + (b + 1) * NUM_STEPS + 1] for b in range(BATCH_SIZE)]
    data = torch.tensor(rows)
    return data[:, :-1].contiguous(), data[:, 1:].contiguous()


def states(state):
    h, c = state if isinstance(state, tuple) else (state, None)
    found = {"state.h": h}
    if c is not None:
        found["state.c"] = c
    return found


def save_tensors(path, tensors):
    # Contiguous copies of their own storage: what a reader of the archive can take as they are.
    torch.save({k: v.detach().contiguous().clone() for k, v in tensors.items()}, path)


def export(spec, folder, corpus, full_corpus, vocab, loss):
    torch.manual_seed(spec.get("seed", 0))
    random.seed(spec.get("seed", 0))
    net = build(spec, len(vocab))
    updater = torch.optim.SGD(net.parameters(), LR)
    for _ in range(TRAIN_EPOCHS):
        train_epoch_ch8(net, seq_data_iter_sequential(corpus, BATCH_SIZE, NUM_STEPS), loss, updater, "cpu")
    torch.save(net.state_dict(), os.path.join(folder, spec["name"] + ".pt"))

    text, predict_scores = predict_ch8(PREFIX, NUM_PREDS, net, vocab, "cpu")
    X, Y = fixed_minibatch(full_corpus)
    updater.zero_grad()
    y_hat, state = net(X, net.begin_state(batch_size=BATCH_SIZE, device="cpu"))
    l = loss(y_hat, Y.T.reshape(-1).long()).mean()
    l.backward()
    grads = {"grad." + name: p.grad.clone() for name, p in net.named_parameters()}
    norm = float(grad_clipping(net, STEP_THETA))
    assert norm > STEP_THETA, "the step must clip"
    torch.optim.SGD(net.parameters(), STEP_LR).step()
    stepped = {"stepped." + name: p for name, p in net.named_parameters()}
    save_tensors(os.path.join(folder, spec["name"] + "-pytorch.pt"),
                 {"X": X, "Y": Y, "output": y_hat, **states(state), **grads, **stepped, "predict_scores": predict_scores})
    return {"name": spec["name"], "loss": float(l), "grad_norm": norm, "text": text}


def save_other_forms(folder, specs, vocab):
    """What a student may save instead of a state dict: the whole model, a dict around the state dict, the old format."""
    net = build(specs[0], len(vocab))
    torch.save(net, os.path.join(folder, "whole-model.pt"))
    torch.save({"model": net.state_dict(), "epoch": 3}, os.path.join(folder, "nested.pt"))
    torch.save(net.state_dict(), os.path.join(folder, "legacy.pt"), _use_new_zipfile_serialization=False)


def evaluate(spec, folder, full_corpus, vocab):
    net = build(spec, len(vocab))
    net.load_state_dict(torch.load(os.path.join(folder, spec["name"] + ".pt")), strict=True)
    text, predict_scores = predict_ch8(PREFIX, NUM_PREDS, net, vocab, "cpu")
    X, _ = fixed_minibatch(full_corpus)
    with torch.no_grad():
        y_hat, state = net(X, net.begin_state(batch_size=BATCH_SIZE, device="cpu"))
    save_tensors(os.path.join(folder, spec["name"] + "-pytorch.pt"),
                 {"X": X, "output": y_hat, **states(state), "predict_scores": predict_scores})
    return {"name": spec["name"], "text": text}


def main(mode, manifest_path):
    torch.set_num_threads(1)
    folder = os.path.dirname(os.path.abspath(manifest_path))
    with open(manifest_path, encoding="utf-8") as f:
        specs = json.load(f)["models"]
    full_corpus, vocab = load_corpus_time_machine()
    corpus = full_corpus[:MAX_TOKENS]
    loss = nn.CrossEntropyLoss()
    if mode == "export":
        results = [export(spec, folder, corpus, full_corpus, vocab, loss) for spec in specs]
        save_other_forms(folder, specs, vocab)
    elif mode == "evaluate":
        results = [evaluate(spec, folder, full_corpus, vocab) for spec in specs]
    else:
        raise SystemExit(__doc__)
    summary = {
        "torch_version": torch.__version__, "vocab": vocab.idx_to_token, "prefix": PREFIX, "num_preds": NUM_PREDS,
        "step_lr": STEP_LR, "step_theta": STEP_THETA, "models": results,
    }
    with open(os.path.join(folder, mode + ".json"), "w", encoding="utf-8") as f:
        json.dump(summary, f, indent=1)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    main(sys.argv[1], sys.argv[2])
