#:project ../lib/D2L.Rnn.Notebooks/D2L.Rnn.Notebooks.csproj

// Generated from notebooks/sequence.dib by tools/NotebookRunner: change the notebook, not this file, then regenerate it with
//   dotnet run --project tools/NotebookRunner -c Release -- notebooks/sequence.dib --app notebooks/sequence.cs
// Runs with the .NET 10 SDK alone: dotnet run notebooks/sequence.cs. The notebook's cells, in order: it prints
// what they print and the value a cell ends with (which the notebook displays), and writes the charts the
// notebook shows to artifacts/ (or $D2L_OUTPUT_DIR) as standalone HTML files. The notebook's text is in the
// comments; its headings are printed.

using D2L.Rnn.Notebooks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

Console.WriteLine("Sequence models: predicting a noisy sine from its past");
// This notebook follows the UC Berkeley STAT 157 lesson *Sequence Models* (Dive into Deep Learning, chapter 8; the
// notebook `slides/4_9/sequence.ipynb`) step by step, in C# with TorchSharp. Before any recurrent network, the simplest
// sequence model: an **autoregressive model** predicts the next value of a series from the few values just before it,
// here with a small multilayer perceptron. It works well one step ahead, and we will see how it goes wrong when it has
// to predict further.
//
// The model is so small that its code is in the cells below; the library next to this folder only draws the charts.
// The first cell builds it when it is missing or out of date (the first time, this takes a minute).

D2L.Rnn.Notebooks.NotebookSetup.Initialize();

Console.WriteLine("== 1. The data");
// A sine with noise, over T = 1,000 time steps: x_t = sin(0.01 t) + 0.2 ε_t, with every ε_t drawn from N(0, 1). The
// noise has variance 0.2² = 0.04 and nothing in the past predicts it, so even a perfect model of the sine is off by
// that much: the L2 loss ½ (ŷ − x)² used below cannot go much below ½ · 0.04 = 0.02.
//
// The data are random. The seed is fixed so that a rerun gives the same numbers; set `D2L_SEED` to draw another series.

manual_seed(NotebookSettings.Seed(0));
int T = 1000;                                  // a total of 1,000 points
var time = arange(0, T, dtype: float32);
var x = sin(0.01 * time) + 0.2 * randn(T);
using (NewDisposeScope())
    Console.WriteLine($"x {Shapes.Expect(x, 1000)}, noise variance {(x - sin(0.01 * time)).var().item<float>():F4} (0.2² = 0.04)");
LineChart.Show("The data: a sine with noise, x = sin(0.01 t) + 0.2 ε", "time step t", "x", LineSeries.Of("data", time, x));

Console.WriteLine("== 2. The four values before each step");
// Each example is a window of the series: the features are the τ = 4 values x_{t−4}, …, x_{t−1} (the lesson calls τ
// the `embedding`), the label is x_t. Column i of `features` is the series shifted by i. 1,000 points make 996 examples;
// the first 600 are for training, the other 396 for testing.
//
// The labels are a column, (996, 1), the shape of the network's output: Gluon's `L2Loss` reshapes the label like the
// prediction, while in TorchSharp a (16, 1) prediction minus a (16) label would broadcast to (16, 16).

int embedding = 4;                             // τ: how many past values the model sees
var features = zeros(T - embedding, embedding);
for (int i = 0; i < embedding; i++)
    features[.., i] = x[i..(T - embedding + i)];
var labels = x[embedding..].reshape(-1, 1);
int nTrain = 600;
var (trainFeatures, trainLabels) = (features[..nTrain], labels[..nTrain]);
var (testFeatures, testLabels) = (features[nTrain..], labels[nTrain..]);
Console.WriteLine($"features {Shapes.Expect(features, 996, 4)}, labels {Shapes.Expect(labels, 996, 1)}");
Console.WriteLine($"training on {trainFeatures.shape[0]} examples, testing on {testFeatures.shape[0]}");

Console.WriteLine("== 3. The model");
// The lesson's network: two hidden layers of 10 ReLU units and one output, Gluon's
// `Dense(10, activation='relu')`, `Dense(10, activation='relu')`, `Dense(1)`.
//
// *Initialisation, as in Gluon.* `net.initialize(init.Xavier())` draws every weight uniformly from ±√(3 / n), where n is
// the average of the layer's inputs and outputs (magnitude 3, factor "avg"): the bound √(6 / (inputs + outputs)), which
// is exactly what TorchSharp's `xavier_uniform_` draws from. Gluon's `Dense` starts its bias at zero, while TorchSharp's
// `Linear` draws it from ±1/√inputs: we follow Gluon and set the biases to zero.

Sequential GetNet()
{
    var net = nn.Sequential(
        ("dense0", nn.Linear(embedding, 10)), ("relu0", nn.ReLU()),
        ("dense1", nn.Linear(10, 10)), ("relu1", nn.ReLU()),
        ("dense2", nn.Linear(10, 1)));
    using (no_grad())
        foreach (var (name, p) in net.named_parameters())
            if (name.EndsWith(".weight")) nn.init.xavier_uniform_(p); // Gluon's init.Xavier()
            else nn.init.zeros_(p);                                  // Gluon's Dense: bias 0
    return net;
}

var net = GetNet();
foreach (var (name, p) in net.named_parameters())
    using (NewDisposeScope())
    {
        var drawn = p.dim() == 2 ? $"uniform in ±{Math.Sqrt(6.0 / (p.shape[0] + p.shape[1])):F3}" : "zero";
        Console.WriteLine($"{name,-14} {Shapes.Of(p),-8} {drawn}: largest |value| {p.abs().max().item<float>():F3}");
    }

// The loss is Gluon's `L2Loss`, ½ (ŷ − y)² for every example, with the label reshaped like the prediction:

Tensor L2Loss(Tensor yHat, Tensor y) => 0.5 * (yHat - y.reshape(yHat.shape)).square();

Console.WriteLine("== 4. Training");
// Adam with learning rate 0.01, minibatches of 16 examples in a new random order every epoch (Gluon's
// `DataLoader(…, shuffle=True)`), 10 epochs. 600 = 37 × 16 + 8, so the last minibatch of an epoch holds 8 examples.
// Gluon's `l.backward()` adds up the gradients of the minibatch's losses and `trainer.step(batch_size)` divides them by
// 16: the mean over a full minibatch, and half the mean over the last one. We do the same. After every epoch, the loss on
// the whole training set.

void TrainNet(Sequential net, Tensor features, Tensor labels, int epochs, double learningRate)
{
    const int batchSize = 16;
    var trainer = optim.Adam(net.parameters(), learningRate);
    var n = (int)features.shape[0];
    for (int epoch = 1; epoch <= epochs; epoch++)
    {
        using (NewDisposeScope())
        {
            var order = randperm(n);
            for (int start = 0; start < n; start += batchSize)
            {
                using var minibatch = NewDisposeScope();
                var batch = order[start..Math.Min(start + batchSize, n)];
                var l = L2Loss(net.call(features[batch]), labels[batch]);
                trainer.zero_grad();
                (l.sum() / batchSize).backward();      // Gluon: l.backward(), then trainer.step(batch_size)
                trainer.step();
            }
        }
        using (no_grad())
        using (NewDisposeScope())
            Console.WriteLine($"epoch {epoch}, loss: {L2Loss(net.call(features), labels).mean().item<float>():F6}");
    }
}

TrainNet(net, trainFeatures, trainLabels, NotebookSettings.Epochs(10), 0.01);
using (no_grad())
using (NewDisposeScope())
    Console.WriteLine($"test loss: {L2Loss(net.call(testFeatures), testLabels).mean().item<float>():F6}");

// The lesson's published run printed 0.036634 after the first epoch, 0.026995 after the tenth, and a test loss of
// 0.024697. The data are random, so the numbers differ from run to run (and from seed to seed), but they land where the
// noise says they should: a little above 0.02.
//
Console.WriteLine("== 5. One step ahead");
// The trained model predicts every x_t from the four true values before it, on the training and the test steps alike.
// The estimates follow the sine and leave out the noise.

var estimates = net.call(features).detach();   // no gradients needed from here on
LineChart.Show("One step ahead: every estimate from the 4 true values before it", "time step t", "x",
    LineSeries.Of("data", time, x), LineSeries.Of("estimate", time[embedding..], estimates));

Console.WriteLine("== 6. Predictions for more than one step");
// Beyond the training data, suppose we only knew the series up to t = 599. To predict x_600 the model reads the four
// values before it; for x_601 it has to read its own prediction of x_600 in place of the truth, and from x_604 on only
// its own predictions. `predictions[i]` is the prediction of x_{i+4}: the one-step estimates up to t = 599, then each
// from the four predictions before it.

var predictions = zeros_like(estimates);
predictions[..(nTrain - embedding)] = estimates[..(nTrain - embedding)];
using (no_grad())
    for (int i = nTrain - embedding; i < T - embedding; i++)
        using (NewDisposeScope())
            predictions[i] = net.call(predictions[(i - embedding)..i].reshape(1, -1)).reshape(1);
using (NewDisposeScope())
{
    var (last, truth) = (predictions[(T - embedding - 200)..], x[(T - 200)..]);
    var (low, high) = (last.min().item<float>(), last.max().item<float>());
    Console.WriteLine($"the last 200 multistep predictions (t = 800 to 999) span {high - low:F3}, from {low:F3} to {high:F3}; " +
                      $"the data there span {(truth.max() - truth.min()).item<float>():F3}");
}
LineChart.Show("Multistep: from t = 600 on, every prediction from the model's own predictions", "time step t", "x",
    LineSeries.Of("data", time, x), LineSeries.Of("estimate", time[embedding..], estimates),
    LineSeries.Of("multistep", time[embedding..], predictions));

// The multistep predictions leave the sine after a few steps and settle on a constant. Every prediction carries a
// small error, and each one is fed back in as if it were data: the errors pile up, and the model ends up predicting
// from its own flat guesses.
//
Console.WriteLine("== 7. k steps ahead");
// How far ahead can the model see? Start every window from 4 true values, x_t … x_{t+3}, and let the model continue
// from its own predictions: column i of `kFeatures` (i ≥ 4) is then the prediction of x_{t+i}, made i − 3 steps ahead.
// The lesson draws columns 4, 8, 16 and 32: 1, 5, 13 and 29 steps ahead.

int k = 33;                                    // look up to k - embedding steps ahead
var kFeatures = zeros(T - k, k);
for (int i = 0; i < embedding; i++)
    kFeatures[.., i] = x[i..(T - k + i)];
using (no_grad())
    for (int i = embedding; i < k; i++)
        using (NewDisposeScope())
            kFeatures[.., i] = net.call(kFeatures[.., (i - embedding)..i]).reshape(-1);
int[] shown = [4, 8, 16, 32];
foreach (var i in shown)
    using (NewDisposeScope())
        Console.WriteLine($"step {i,2} ({i - embedding + 1,2} ahead): mean squared error " +
                          $"{(kFeatures[.., i] - x[i..(T - k + i)]).square().mean().item<float>():F4}");
LineChart.Show("k steps ahead: every window starts from 4 true values", "time step t", "x",
    shown.Select(i => LineSeries.Of($"step {i} ({i - embedding + 1} ahead)", time[i..(T - k + i)], kFeatures[.., i])).ToArray());

// One step ahead, the error is about the noise's variance, 0.04: nothing better is possible. Every further step feeds
// the model more of its own guesses, and the error grows; 29 steps ahead the predictions are far smoother than the sine,
// and they lag behind it. An autoregressive model of a few past values is fine for the next step and poor for the
// distant future: the recurrent networks of the next lessons keep a state that summarises the whole past instead.
