import { ADVERSARIAL_METRIC_IDS } from '../benchmark/metrics';
import type { ExportSubject } from './exportSubject';
import { headerLines, isBenchmarkSize, pythonComment } from './header';
import { pyString } from './modelPy';

/** NAS-RobBench-201's code, cited by file and line in train.py: repository, commit and the files' short names. */
export const RECIPE_SOURCE = {
  repository: 'github.com/TT2408/nasrobbench201',
  commit: 'f933a51',
} as const;

function publishedDict(subject: ExportSubject): string {
  if (!subject.accuracies || !subject.evaluated) return 'None';
  const items = ADVERSARIAL_METRIC_IDS.filter((m) => subject.accuracies?.[m] !== undefined).map(
    (m) => `    ${pyString(m)}: ${subject.accuracies![m]},`,
  );
  return `{\n${items.join('\n')}\n}`;
}

/**
 * `train.py`: NAS-RobBench-201's adversarial training of the exported network as its authors' main.py runs it
 * (PyTorch Lightning there, a plain loop here with the same arithmetic), then the benchmark's evaluation; every
 * number of the recipe cites the line of the authors' code it comes from.
 */
export function renderTrainPy(subject: ExportSubject): string {
  const published = publishedDict(subject);
  const sizeNote = isBenchmarkSize(subject) ? '' : ' (at C=16, N=5; this export is smaller, see the header)';
  return String.raw`#!/usr/bin/env python3
# train.py - NAS-RobBench-201's adversarial training for the network in model.py, exported by ${subject.generator}.
#
${pythonComment(headerLines(subject))}
"""Adversarial training of model.py's network with NAS-RobBench-201's recipe, then the benchmark's evaluation.

    python train.py --data ./data            the whole recipe: 50 epochs of PGD-7 adversarial training, then clean,
                                             FGSM and PGD accuracy at 3/255 and 8/255 (and AutoAttack when the
                                             'autoattack' package is installed) on the test split
    python train.py --data ./data --resume   continue from OUT/checkpoint.pt after an interruption
    python train.py --smoke                  a couple of batches of random data through every step (no dataset, no
                                             torchvision), to check the set-up in seconds
    python train.py --eval-only OUT/model.pt evaluate saved weights

Needs PyTorch; the CIFAR and ImageNet16-120 data need torchvision (pip install torchvision), as the authors' code.
CIFAR-10/100 are downloaded by torchvision into --data; ImageNet16-120 is read from --data/ImageNet16 (NAS-Bench-201's
files train_data_batch_1..10 and val_data, the downsampled ImageNet of Chrabaszcz et al., 2017; the authors' README
links them: https://drive.google.com/drive/folders/1L0Lzq8rWpZLPfiQGd6QR8q5xLV88emU7).

Where the recipe comes from: NAS-RobBench-201's training script main.py and data code utils_data.py in
${RECIPE_SOURCE.repository} (commit ${RECIPE_SOURCE.commit}), cited below as main.py:LINE and utils_data.py:LINE, with run.sh,
the script the authors ran every architecture with. Its attacks are torchattacks' PGD and FGSM
(github.com/Harry24k/adversarial-attacks-pytorch, torchattacks/attacks/pgd.py and fgsm.py); this file computes them
with the same arithmetic, so it needs neither torchattacks nor PyTorch Lightning.
"""
import argparse
import csv
import hashlib
import json
import math
import os
import pickle
import random
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model import ARCH_STRING, CELLS_PER_STAGE, CHANNELS, DATASET, INPUT_SIZE, NUM_CLASSES, build_model  # noqa: E402

# ---------------------------------------------------------------------------------------------------------------------
# The recipe. Every number names the line it comes from.
# ---------------------------------------------------------------------------------------------------------------------
# Training attack: main.py:75 torchattacks.PGD(self.model, eps=8/255, alpha=2/255, steps=7, random_start=True),
# computed with the network in eval mode (main.py:73 self.eval()), then back to train mode for the update (main.py:77).
TRAIN_PGD_EPS = 8 / 255
TRAIN_PGD_STEP_SIZE = 2 / 255
TRAIN_PGD_STEPS = 7
BATCH_SIZE = 256          # main.py:222 (training) and main.py:224 (evaluation): batch_size=256
EPOCHS = 50               # main.py:256 --epochs default 50; run.sh:7 passes --epochs 50
SEED = 1                  # run.sh:7 passes --seed 1 (main.py:259's default is 0); main.py:214 seed_everything(seed)
NUM_WORKERS = 4           # main.py:222 num_workers=4
# Optimiser: main.py:172-177 torch.optim.SGD(parameters, lr=hparams.lr, momentum=0.9, weight_decay=5e-4), every
# parameter (BN and bias included) decayed.
SGD_MOMENTUM = 0.9
SGD_WEIGHT_DECAY = 5e-4
SGD_LR = 0.05             # main.py:228 lr=args.cyclelr, main.py:258 default 0.05; OneCycleLR overrides it (next lines)
# Schedule: main.py:182-189 OneCycleLR(optimizer, 0.1, epochs=max_epochs, steps_per_epoch=len(train_loader)), stepped
# after every batch ("interval": "step"). Its other arguments are PyTorch's defaults: 30% warm-up from 0.1/25 = 0.004,
# cosine annealing to 0.004/1e4, and momentum cycled between 0.95 and 0.85 (cycle_momentum=True), which replaces
# the optimiser's 0.9 at every step.
ONE_CYCLE_MAX_LR = 0.1
# Evaluation: main.py:57-58 attacks [None (clean), 'pgd', 'fgsm'] at eps_test [3/255, 8/255], run once after the
# last epoch (main.py:242 check_val_every_n_epoch=epochs) on the test split (main.py:223-224 valid_queue).
EVAL_EPS = (3 / 255, 8 / 255)
EVAL_PGD_STEPS = 20                # main.py:85 step = 20
EVAL_PGD_STEP_SIZE_FACTOR = 2.5    # main.py:86 PGD(eps=eps_test, alpha=2.5*eps_test/step, steps=step, random_start=True)
# main.py:88 FGSM(eps=eps_test). AutoAttack: main.py:90 AutoAttack(norm='Linf', eps=eps_test, version='standard');
# the published AutoAttack column is at eps 8/255 (the project page's table, nasrobbench201hp index.html, heads it
# "AutoAttack(e=8.0)").
AUTOATTACK_EPS = 8 / 255
# Normalisation, placed INSIDE the model before the network (main.py:42-43 nn.Sequential(Normalize(...), model)), so
# every attack perturbs [0, 1] pixels and clips to [0, 1]: utils_data.py:16-20 NORMALIZERS (values / 255).
NORMALIZERS = {
    "cifar10": ([x / 255 for x in (125.3, 123.0, 113.9)], [x / 255 for x in (63.0, 62.1, 66.7)]),          # utils_data.py:17
    "cifar100": ([x / 255 for x in (129.3, 124.1, 112.4)], [x / 255 for x in (68.2, 65.4, 70.4)]),         # utils_data.py:18
    "imagenet16-120": ([x / 255 for x in (122.68, 116.66, 104.01)], [x / 255 for x in (63.22, 61.26, 65.09)]),  # utils_data.py:19
}
# Augmentation of the training images: utils_data.py:24-28 RandomCrop(32, padding=4), RandomHorizontalFlip(),
# ToTensor() for CIFAR; utils_data.py:46-50 RandomCrop(16, padding=2), RandomHorizontalFlip(), ToTensor() for
# ImageNet16-120. Test images: ToTensor() only (utils_data.py:30 and 51).
CROP_PADDING = {"cifar10": 4, "cifar100": 4, "imagenet16-120": 2}

# NAS-RobBench-201's published accuracies of this cell on DATASET (mean over the authors' runs${sizeNote}), to compare with.
PUBLISHED = ${published}


# ---------------------------------------------------------------------------------------------------------------------
# Attacks (torchattacks' arithmetic: cross-entropy of the mean over the batch, sign of its input gradient, clipping to
# the eps-ball around the clean images and to [0, 1]).
# ---------------------------------------------------------------------------------------------------------------------
def pgd_attack(model, images, labels, eps, step_size, steps, random_start=True):
    """torchattacks/attacks/pgd.py: an optional uniform start in the eps-ball, then 'steps' signed-gradient steps."""
    images = images.detach()
    adv = images.clone()
    if random_start:
        adv = torch.clamp(adv + torch.empty_like(adv).uniform_(-eps, eps), 0, 1).detach()
    for _ in range(steps):
        adv.requires_grad_(True)
        loss = F.cross_entropy(model(adv), labels)
        grad = torch.autograd.grad(loss, adv)[0]
        adv = adv.detach() + step_size * grad.sign()
        adv = torch.clamp(images + torch.clamp(adv - images, -eps, eps), 0, 1).detach()
    return adv


def fgsm_attack(model, images, labels, eps):
    """torchattacks/attacks/fgsm.py: one signed-gradient step of size eps, clipped to [0, 1]."""
    images = images.detach().clone().requires_grad_(True)
    loss = F.cross_entropy(model(images), labels)
    grad = torch.autograd.grad(loss, images)[0]
    return torch.clamp(images + eps * grad.sign(), 0, 1).detach()


def autoattack_available():
    try:
        import autoattack  # noqa: F401  (github.com/fra31/auto-attack)
    except ImportError:
        return False
    return True


# ---------------------------------------------------------------------------------------------------------------------
# Model, optimiser, schedule
# ---------------------------------------------------------------------------------------------------------------------
class Normalize(nn.Module):
    """(x - mean) / std per channel; constants, not saved in state_dict (torchvision's Normalize as a module)."""

    def __init__(self, mean, std):
        super().__init__()
        self.register_buffer("mean", torch.tensor(mean).view(1, 3, 1, 1), persistent=False)
        self.register_buffer("std", torch.tensor(std).view(1, 3, 1, 1), persistent=False)

    def forward(self, x):
        return (x - self.mean) / self.std


def normalized_model(net, dataset=DATASET):
    """main.py:42-43: the normaliser first, then the network; attacks see [0, 1] images."""
    return nn.Sequential(Normalize(*NORMALIZERS[dataset]), net)


def make_optimizer(model):
    return torch.optim.SGD(model.parameters(), lr=SGD_LR, momentum=SGD_MOMENTUM, weight_decay=SGD_WEIGHT_DECAY)


def make_scheduler(optimizer, epochs, steps_per_epoch):
    return torch.optim.lr_scheduler.OneCycleLR(optimizer, ONE_CYCLE_MAX_LR, epochs=epochs, steps_per_epoch=steps_per_epoch)


def adversarial_training_step(model, optimizer, images, labels, scheduler=None):
    """One step of main.py:123-127/143-145: PGD-7 examples against the model in eval mode, then a training-mode
    forward on them, cross-entropy, SGD step, schedule step. Returns (loss, accuracy on the adversarial batch)."""
    model.eval()
    adv = pgd_attack(model, images, labels, TRAIN_PGD_EPS, TRAIN_PGD_STEP_SIZE, TRAIN_PGD_STEPS, random_start=True)
    model.train()
    logits = model(adv)
    loss = F.cross_entropy(logits, labels)
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    optimizer.step()
    if scheduler is not None:
        scheduler.step()
    return loss.item(), (logits.argmax(1) == labels).float().mean().item()


# ---------------------------------------------------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------------------------------------------------
# Where NAS-Bench-201's ImageNet16 files are published: the authors' README.md:25 (download './ImageNet16' from this
# folder into their data folder).
IMAGENET16_SOURCE = "https://drive.google.com/drive/folders/1L0Lzq8rWpZLPfiQGd6QR8q5xLV88emU7"
# utils_data.py:58 assert len(train_data) == 151700 and len(valid_data) == 6000: ImageNet16-120's training and test
# images once the classes beyond 120 are dropped.
IMAGENET16_120_SIZES = (151700, 6000)


def file_md5(path, chunk_size=1 << 20):
    """The file's MD5 read in chunks (utils_data.py:166-171 calculate_md5), so a 100 MB batch is never held twice."""
    digest = hashlib.md5()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(chunk_size), b""):
            digest.update(chunk)
    return digest.hexdigest()


class ImageNet16(torch.utils.data.Dataset):
    """NAS-Bench-201's ImageNet16-120: the 16x16 downsampled ImageNet pickles, classes 1..120 kept and shifted to
    0..119 (utils_data.py:72-147, after xautodl datasets/DownsampledImageNet.py), files checked by MD5 as there."""

    TRAIN = [("train_data_batch_%d" % i, md5) for i, md5 in enumerate((
        "27846dcaa50de8e21a7d1a35f30f0e91", "c7254a054e0e795c69120a5727050e3f", "4333d3df2e5ffb114b05d2ffc19b1e87",
        "1620cdf193304f4a92677b695d70d10f", "348b3c2fdbb3940c4e9e834affd3b18d", "6e765307c242a1b3d7d5ef9139b48945",
        "564926d8cbf8fc4818ba23d2faac7564", "f4755871f718ccb653440b9dd0ebac66", "bb6dd660c38c58552125b1a92f86b5d4",
        "8f03f34ac4b42271a294f91bf480f29b"), start=1)]  # utils_data.py:78-89
    VALID = [("val_data", "3410e3017fdaefba8d5073aaa65e4bd6")]  # utils_data.py:90-92
    CLASSES = 120  # utils_data.py:55-56 use_num_of_class_only=120

    def __init__(self, root, train, transform):
        from PIL import Image  # torchvision's dependency

        self.to_image = Image.fromarray
        self.transform = transform
        missing = [name for name, _ in self.TRAIN + self.VALID if not os.path.isfile(os.path.join(root, name))]
        if missing:
            raise SystemExit(f"ImageNet16-120: {', '.join(missing)} missing in {root}. Download NAS-Bench-201's ImageNet16 "
                             f"folder (train_data_batch_1..10, val_data) from {IMAGENET16_SOURCE} and put its files in {root}.")
        images, labels = [], []
        for name, md5 in self.TRAIN if train else self.VALID:
            path = os.path.join(root, name)
            digest = file_md5(path)
            if digest != md5:
                raise SystemExit(f"ImageNet16-120: {path} has MD5 {digest}, expected {md5} (utils_data.py:78-92): the file "
                                 f"is damaged or not NAS-Bench-201's. Download it again from {IMAGENET16_SOURCE}.")
            with open(path, "rb") as f:
                entry = pickle.load(f, encoding="latin1")  # utils_data.py:113
            images.append(entry["data"])
            labels.extend(entry["labels"])
        import numpy as np

        data = np.vstack(images).reshape(-1, 3, 16, 16).transpose((0, 2, 3, 1))  # utils_data.py:116-117, rows to HWC
        keep = [i for i, label in enumerate(labels) if 1 <= label <= self.CLASSES]  # utils_data.py:118-126
        self.data = data[keep]
        self.targets = [labels[i] - 1 for i in keep]  # utils_data.py:137

    def __len__(self):
        return len(self.targets)

    def __getitem__(self, index):
        return self.transform(self.to_image(self.data[index])), self.targets[index]


def benchmark_datasets(dataset, root, download):
    """(train, test) as utils_data.py:22-62 builds them."""
    try:
        import torchvision
        import torchvision.transforms as T
    except ImportError:
        raise SystemExit("train.py reads CIFAR and ImageNet16-120 with torchvision, as the authors' code: pip install torchvision "
                         "(python train.py --smoke needs neither torchvision nor data).")
    side = INPUT_SIZE[dataset]
    train_tf = T.Compose([T.RandomCrop(side, padding=CROP_PADDING[dataset]), T.RandomHorizontalFlip(), T.ToTensor()])
    test_tf = T.Compose([T.ToTensor()])
    if dataset == "imagenet16-120":
        folder = os.path.join(root, "ImageNet16")
        train, test = ImageNet16(folder, True, train_tf), ImageNet16(folder, False, test_tf)
        if (len(train), len(test)) != IMAGENET16_120_SIZES:
            raise SystemExit(f"ImageNet16-120 has {len(train)} training and {len(test)} test images in {folder}, expected "
                             f"{IMAGENET16_120_SIZES[0]} and {IMAGENET16_120_SIZES[1]} (utils_data.py:58).")
        return train, test
    cls = torchvision.datasets.CIFAR10 if dataset == "cifar10" else torchvision.datasets.CIFAR100
    name, folder = {"cifar10": "CIFAR-10", "cifar100": "CIFAR-100"}[dataset], os.path.join(root, cls.base_folder)
    try:
        return (cls(root, train=True, download=download, transform=train_tf),
                cls(root, train=False, download=download, transform=test_tf))
    except (RuntimeError, OSError) as e:  # torchvision: files missing or failing their MD5; a failed download
        if download:
            raise SystemExit(f"{name}: torchvision could not download it into {folder} ({e}). Check the network and run "
                             f"again, or download {cls.url} yourself, extract it in {root} and run with --no-download.")
        raise SystemExit(f"{name}: {folder} is missing or holds a file that is not the published one (torchvision checks "
                         f"each file's MD5: {e}). Run without --no-download to let torchvision download it, or extract "
                         f"{cls.url} in {root}.")


def smoke_datasets(dataset, batch_size, batches, seed):
    """Random [0, 1] images and labels: the same shapes as the real data, drawn from their own generator so a resumed
    smoke run sees the same tensors."""
    g = torch.Generator().manual_seed(seed)
    side, classes = INPUT_SIZE[dataset], NUM_CLASSES[dataset]

    def tensors(n):
        images = torch.rand(n, 3, side, side, generator=g)
        return torch.utils.data.TensorDataset(images, torch.randint(0, classes, (n,), generator=g))

    return tensors(batch_size * batches), tensors(batch_size)


class EpochOrder(torch.utils.data.Sampler):
    """A shuffled order per epoch (main.py:222 shuffle=True) drawn from (seed, epoch) alone, starting at a given batch,
    so a resumed run sees exactly the batches the interrupted one had still to see."""

    def __init__(self, size, seed, epoch, batch_size, start_batch=0):
        self.size, self.seed, self.epoch, self.start = size, seed, epoch, start_batch * batch_size

    def __iter__(self):
        g = torch.Generator().manual_seed(self.seed * 1_000_003 + self.epoch)
        return iter(torch.randperm(self.size, generator=g)[self.start:].tolist())

    def __len__(self):
        return self.size - self.start


# ---------------------------------------------------------------------------------------------------------------------
# Progress bar, seeds, checkpoints
# ---------------------------------------------------------------------------------------------------------------------
class ProgressBar:
    """A one-line bar on a terminal (stderr); on a pipe a line every tenth of the way."""

    def __init__(self, total, label):
        self.total, self.label, self.done = max(1, total), label, 0
        self.start = time.time()
        self.tty = sys.stderr.isatty()
        self.last_draw = 0.0
        self.last_tenth = -1

    def update(self, n=1, **info):
        self.done += n
        now = time.time()
        text = " ".join(f"{k} {v:.4f}" if isinstance(v, float) else f"{k} {v}" for k, v in info.items())
        rate = self.done / max(now - self.start, 1e-9)
        eta = (self.total - self.done) / max(rate, 1e-9)
        if self.tty and (now - self.last_draw > 0.1 or self.done >= self.total):
            filled = int(30 * self.done / self.total)
            sys.stderr.write(f"\r{self.label} [{'#' * filled}{'.' * (30 - filled)}] {self.done}/{self.total} {text} eta {eta:.0f}s ")
            sys.stderr.flush()
            self.last_draw = now
        elif not self.tty and (10 * self.done) // self.total > self.last_tenth:
            self.last_tenth = (10 * self.done) // self.total
            print(f"{self.label} {self.done}/{self.total} {text} eta {eta:.0f}s", file=sys.stderr, flush=True)

    def close(self):
        if self.tty:
            sys.stderr.write("\n")


def seed_everything(seed):
    """As pytorch_lightning.seed_everything (main.py:214): Python, NumPy when present, and torch (CPU and CUDA)."""
    random.seed(seed)
    torch.manual_seed(seed)
    try:
        import numpy as np

        np.random.seed(seed)
    except ImportError:
        pass


def rng_state():
    state = {"python": random.getstate(), "torch": torch.get_rng_state()}
    if torch.cuda.is_available():
        state["cuda"] = torch.cuda.get_rng_state_all()
    return state


def set_rng_state(state):
    random.setstate(state["python"])
    torch.set_rng_state(state["torch"])
    if "cuda" in state and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state["cuda"])


def save_atomically(obj, path):
    """A checkpoint is written beside its final name and renamed, so a kill never leaves half a file."""
    tmp = path + ".tmp"
    torch.save(obj, tmp)
    os.replace(tmp, path)


# ---------------------------------------------------------------------------------------------------------------------
# Evaluation (main.py:147-163)
# ---------------------------------------------------------------------------------------------------------------------
def evaluate(model, loader, device, use_autoattack):
    """Accuracy on clean images and under FGSM and PGD-20 at 3/255 and 8/255 (and AutoAttack at 8/255), each over the
    whole test split, the network in eval mode (main.py:82)."""
    model.eval()
    names = ["clean"] + [f"{attack}@{round(eps * 255)}" for eps in EVAL_EPS for attack in ("fgsm", "pgd")]
    adversary = None
    if use_autoattack:
        from autoattack import AutoAttack

        adversary = AutoAttack(model, norm="Linf", eps=AUTOATTACK_EPS, version="standard", verbose=False, device=str(device))
        names.append("autoattack")
    correct = {name: 0 for name in names}
    total = 0
    bar = ProgressBar(len(loader), "evaluate")
    for images, labels in loader:
        images, labels = images.to(device), labels.to(device)
        batch = {"clean": images}
        for eps in EVAL_EPS:
            e = round(eps * 255)
            batch[f"fgsm@{e}"] = fgsm_attack(model, images, labels, eps)
            step_size = EVAL_PGD_STEP_SIZE_FACTOR * eps / EVAL_PGD_STEPS
            batch[f"pgd@{e}"] = pgd_attack(model, images, labels, eps, step_size, EVAL_PGD_STEPS)
        if adversary is not None:
            batch["autoattack"] = adversary.run_standard_evaluation(images, labels, bs=images.shape[0])
        with torch.no_grad():
            for name in names:
                correct[name] += (model(batch[name]).argmax(1) == labels).sum().item()
        total += labels.shape[0]
        bar.update(1, clean=correct["clean"] / total)
    bar.close()
    return {name: correct[name] / total for name in names}


def report(results, published):
    print("accuracy      this run   NAS-RobBench-201")
    for name, value in results.items():
        theirs = published.get(name) if published else None
        print(f"  {name:<11} {100 * value:7.2f}%   {'' if theirs is None else f'{100 * theirs:7.2f}%'}")


# ---------------------------------------------------------------------------------------------------------------------
# Training loop
# ---------------------------------------------------------------------------------------------------------------------
def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--data", default="./data", help="dataset folder (CIFAR downloads here; ImageNet16-120 in DATA/ImageNet16)")
    p.add_argument("--out", default=None,
                   help="run folder for checkpoint.pt, log.csv, model.pt, results.json (default runs/<dataset>-seed<seed>)")
    p.add_argument("--epochs", type=int, default=None, help=f"default {EPOCHS} (run.sh:7); 1 with --smoke")
    p.add_argument("--batch-size", type=int, default=None, help=f"default {BATCH_SIZE} (main.py:222); 8 with --smoke")
    p.add_argument("--seed", type=int, default=SEED, help=f"default {SEED} (run.sh:7)")
    p.add_argument("--workers", type=int, default=None, help=f"data loader processes (default {NUM_WORKERS}, main.py:222; 0 with --smoke)")
    p.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    p.add_argument("--resume", action="store_true", help="continue from OUT/checkpoint.pt")
    p.add_argument("--checkpoint-every", type=int, default=200, help="steps between checkpoints (also at every epoch's end)")
    p.add_argument("--no-download", action="store_true", help="do not let torchvision download CIFAR")
    p.add_argument("--no-autoattack", action="store_true", help="skip AutoAttack even when the autoattack package is installed")
    p.add_argument("--eval-only", metavar="WEIGHTS", help="evaluate a state_dict of the network (e.g. OUT/model.pt) and stop")
    p.add_argument("--smoke", action="store_true", help="random data, a couple of batches: checks the set-up in seconds")
    p.add_argument("--smoke-batches", type=int, default=2, help="training batches per epoch with --smoke")
    args = p.parse_args(argv)
    args.epochs = args.epochs if args.epochs is not None else (1 if args.smoke else EPOCHS)
    args.batch_size = args.batch_size if args.batch_size is not None else (8 if args.smoke else BATCH_SIZE)
    args.workers = args.workers if args.workers is not None else (0 if args.smoke else NUM_WORKERS)
    args.out = args.out or os.path.join("runs", f"{DATASET}-seed{args.seed}{'-smoke' if args.smoke else ''}")
    return args


def run_identity(args):
    """What a checkpoint must agree on to be resumed by this run."""
    return {"epochs": args.epochs, "batch_size": args.batch_size, "seed": args.seed, "smoke": args.smoke, "arch": ARCH_STRING,
            "dataset": DATASET}


def main(argv=None):
    args = parse_args(argv)
    device = torch.device(args.device)
    os.makedirs(args.out, exist_ok=True)
    checkpoint_path = os.path.join(args.out, "checkpoint.pt")
    print(f"{ARCH_STRING} on {DATASET}, C={CHANNELS}, N={CELLS_PER_STAGE}; run folder {args.out}", flush=True)

    seed_everything(args.seed)
    net = build_model()
    model = normalized_model(net).to(device)
    if args.smoke:
        train_set, test_set = smoke_datasets(DATASET, args.batch_size, args.smoke_batches, args.seed)
    else:
        train_set, test_set = benchmark_datasets(DATASET, args.data, download=not args.no_download)
    test_loader = torch.utils.data.DataLoader(test_set, batch_size=args.batch_size, shuffle=False, num_workers=args.workers,
                                              pin_memory=device.type == "cuda")
    use_autoattack = not args.no_autoattack and autoattack_available()
    if not use_autoattack:
        print("AutoAttack: " + ("skipped (--no-autoattack)" if args.no_autoattack else "the autoattack package is not installed "
              "(pip install git+https://github.com/fra31/auto-attack); the other metrics are computed"), flush=True)

    if args.eval_only:
        net.load_state_dict(torch.load(args.eval_only, map_location=device), strict=True)
        report(evaluate(model, test_loader, device, use_autoattack), PUBLISHED)
        return 0

    steps_per_epoch = math.ceil(len(train_set) / args.batch_size)  # main.py:230 len(train_queue), drop_last=False
    optimizer = make_optimizer(model)
    scheduler = make_scheduler(optimizer, args.epochs, steps_per_epoch)
    step = 0
    if os.path.exists(checkpoint_path) and not args.resume:
        raise SystemExit(f"{checkpoint_path} exists: pass --resume to continue that run, or --out another folder.")
    if args.resume and os.path.exists(checkpoint_path):
        state = torch.load(checkpoint_path, map_location=device)
        mine = run_identity(args)
        if state["run"] != mine:
            raise SystemExit(f"{checkpoint_path} belongs to another run ({state['run']}); this one is {mine}.")
        net.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        scheduler.load_state_dict(state["scheduler"])
        step = state["step"]
        set_rng_state(state["rng"])
        print(f"resumed at step {step} of {args.epochs * steps_per_epoch}", flush=True)
    elif args.resume:
        print(f"no checkpoint in {args.out}: starting from step 0", flush=True)

    # One row per step; a resumed run first drops the rows the interrupted one wrote after its last checkpoint.
    log_path = os.path.join(args.out, "log.csv")
    kept = []
    if step > 0 and os.path.exists(log_path):
        with open(log_path, newline="") as f:
            kept = [row for row in list(csv.reader(f))[1:] if len(row) == 6 and row[0].isdigit() and int(row[0]) <= step]
    log_file = open(log_path, "w", newline="")
    log = csv.writer(log_file)
    log.writerow(["step", "epoch", "lr", "momentum", "loss", "adv_acc"])
    log.writerows(kept)

    def save_checkpoint():
        # The log rows up to this step reach the file first: a run killed once the checkpoint is on disk has them all,
        # and the resumed run keeps them (it keeps the rows up to the checkpoint's step, drops the later ones).
        log_file.flush()
        save_atomically({
            "run": run_identity(args),
            "step": step,
            "model": net.state_dict(),
            "optimizer": optimizer.state_dict(),
            "scheduler": scheduler.state_dict(),
            "rng": rng_state(),
        }, checkpoint_path)
        print(f"checkpoint at step {step}: {checkpoint_path}", flush=True)

    total_steps = args.epochs * steps_per_epoch
    while step < total_steps:
        epoch, start_batch = divmod(step, steps_per_epoch)
        order = EpochOrder(len(train_set), args.seed, epoch, args.batch_size, start_batch)
        # The loader's own generator (worker seeds) keeps it from drawing on the global RNG the PGD starts use.
        loader = torch.utils.data.DataLoader(train_set, batch_size=args.batch_size, sampler=order, num_workers=args.workers,
                                             pin_memory=device.type == "cuda",
                                             generator=torch.Generator().manual_seed(args.seed + epoch))
        bar = ProgressBar(steps_per_epoch - start_batch, f"epoch {epoch + 1}/{args.epochs}")
        for images, labels in loader:
            images, labels = images.to(device, non_blocking=True), labels.to(device, non_blocking=True)
            group = optimizer.param_groups[0]
            lr, momentum = group["lr"], group["momentum"]
            loss, acc = adversarial_training_step(model, optimizer, images, labels, scheduler)
            step += 1
            log.writerow([step, epoch + 1, f"{lr:.8g}", f"{momentum:.6g}", f"{loss:.8g}", f"{acc:.6g}"])
            bar.update(1, loss=loss, adv_acc=acc)
            if step % args.checkpoint_every == 0 or step % steps_per_epoch == 0:
                save_checkpoint()
        bar.close()
    log_file.close()

    torch.save(net.state_dict(), os.path.join(args.out, "model.pt"))
    print(f"trained weights (TinyNetwork keys, strict=True loadable): {os.path.join(args.out, 'model.pt')}", flush=True)
    results = evaluate(model, test_loader, device, use_autoattack)
    with open(os.path.join(args.out, "results.json"), "w") as f:
        json.dump({"arch": ARCH_STRING, "dataset": DATASET, "channels": CHANNELS, "cells_per_stage": CELLS_PER_STAGE, "seed": args.seed,
                   "epochs": args.epochs, "smoke": args.smoke, "accuracy": results, "published": PUBLISHED}, f, indent=2)
    report(results, PUBLISHED)
    return 0


if __name__ == "__main__":
    sys.exit(main())
`;
}
