using static TorchSharp.torch;

namespace D2L.Rnn;

/// <summary>
/// Makes a learning-rate schedule for the optimizer <see cref="Trainer.Train"/> made; it is stepped once after every
/// epoch. For example <c>optimizer =&gt; optim.lr_scheduler.StepLR(optimizer, 2, 0.5)</c> halves the rate every two
/// epochs.
/// </summary>
public delegate optim.lr_scheduler.LRScheduler LearningRateSchedule(optim.Optimizer optimizer);
