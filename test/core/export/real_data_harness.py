"""Runs the PyTorch side of test/core/export/trainRealData.test.ts in one process (torch and torchvision import once).

Reads a job list as JSON on stdin and prints a JSON list of results, one per job ({"error": ...} for a job that
failed). Jobs:
  {"kind": "fabricate", "format": F, "root": DATA, "seed": S, "train": [[labels of each file]], "test": [labels]}
      writes tiny files in the published on-disk format F: "cifar10" (DATA/cifar-10-batches-py: data_batch_1..5,
      test_batch, batches.meta), "cifar100" (DATA/cifar-100-python: train, test, meta) or "imagenet16"
      (DATA/ImageNet16: train_data_batch_1..10, val_data); image pixels are drawn from S; files named in an optional
      "omit" list are left out
  {"kind": "inspect", "train_py": PATH, "root": DATA, "seed": S, "train": ..., "test": ..., "mean": M, "std": D}
      train.py's datasets and loaders on fabricated files (MD5 table trusted, see below): lengths, targets, the first
      batch's shape, dtype and range, every test image against the pixels written, every training image against the
      crops and flips of its padded original, and the model's normaliser against torchvision's Normalize(M, D)
  {"kind": "main", "train_py": PATH, "argv": [...], "trust_fabricated": bool, "block": [module...], "env": {...}}
      train.py's main(argv) as `python train.py ARGV` runs it, with stdout and stderr captured; "trust_fabricated":
      the MD5 tables (torchvision's CIFAR lists, train.py's ImageNet16 lists) and ImageNet16-120's expected sizes are
      replaced by those of the files under --data, so the fabricated files pass the checks that reject them otherwise;
      "block": modules made unimportable; "env": environment variables set for the run; "die_after_checkpoint": K
      runs it in a forked process that ends with os._exit(137) (as kill -9: no cleanup, no flush) the moment the
      checkpoint of step K is on disk
  {"kind": "load-trained", "train_py": PATH, "weights": PATH}
      a model.pt written by train.py loads into build_model() with strict=True

The MD5 replacement lives here only: train.py has no option to skip its checks.
"""
import contextlib
import hashlib
import importlib.util
import io
import json
import os
import pickle
import sys

import numpy as np
import torch
import torchvision

torch.set_num_threads(1)

FOLDERS = {"cifar10": "cifar-10-batches-py", "cifar100": "cifar-100-python", "imagenet16": "ImageNet16"}
SIDE = {"cifar10": 32, "cifar100": 32, "imagenet16": 16}
# The files of each format and the split each belongs to (torchvision 0.14 datasets/cifar.py train_list/test_list;
# xautodl datasets/DownsampledImageNet.py train_list/valid_list).
FILES = {
    "cifar10": ([f"data_batch_{i}" for i in range(1, 6)], ["test_batch"]),
    "cifar100": (["train"], ["test"]),
    "imagenet16": ([f"train_data_batch_{i}" for i in range(1, 11)], ["val_data"]),
}


def md5_of(path):
    with open(path, "rb") as f:
        return hashlib.md5(f.read()).hexdigest()


def images_of(fmt, seed, file_index, count):
    """The uint8 rows written to one file: count x (3 * side * side), red plane, then green, then blue (the CIFAR and
    downsampled-ImageNet row layout)."""
    side = SIDE[fmt]
    rng = np.random.RandomState(seed * 1000 + file_index)
    return rng.randint(0, 256, size=(count, 3 * side * side)).astype(np.uint8)


def write_pickle(path, obj):
    # Protocol 2, str keys: what the Python 2 cPickle files load as under pickle.load(f, encoding="latin1").
    with open(path, "wb") as f:
        pickle.dump(obj, f, protocol=2)


def fabricate(job, n):
    fmt, seed = job["format"], job["seed"]
    folder = os.path.join(job["root"], FOLDERS[fmt])
    os.makedirs(folder, exist_ok=True)
    train_names, test_names = FILES[fmt]
    assert len(job["train"]) == len(train_names) and len(test_names) == 1, "one label list per file"
    label_lists = job["train"] + [job["test"]]
    for i, (name, labels) in enumerate(zip(train_names + test_names, label_lists)):
        if name in job.get("omit", []):
            continue
        data = images_of(fmt, seed, i, len(labels))
        if fmt == "cifar10":
            entry = {"batch_label": name, "labels": list(labels), "data": data,
                     "filenames": [f"{name}_{k}.png" for k in range(len(labels))]}
        elif fmt == "cifar100":
            entry = {"filenames": [f"{name}_{k}.png" for k in range(len(labels))], "batch_label": name,
                     "fine_labels": list(labels), "coarse_labels": [label // 5 for label in labels], "data": data}
        else:
            entry = {"data": data, "labels": list(labels)}
            if name != "val_data":
                entry["mean"] = data.astype(np.float64).mean(axis=0)
        write_pickle(os.path.join(folder, name), entry)
    if fmt == "cifar10":
        write_pickle(os.path.join(folder, "batches.meta"),
                     {"label_names": [f"class{c}" for c in range(10)], "num_cases_per_batch": 4, "num_vis": 3072})
    elif fmt == "cifar100":
        write_pickle(os.path.join(folder, "meta"), {"fine_label_names": [f"fine{c}" for c in range(100)],
                                                    "coarse_label_names": [f"coarse{c}" for c in range(20)]})
    return {"files": sorted(os.listdir(folder))}


def load_train_py(path, n):
    """train.py as a module (its `model` import resolved beside it, not from an earlier export)."""
    sys.modules.pop("model", None)
    folder = os.path.dirname(os.path.abspath(path))
    if folder in sys.path:
        sys.path.remove(folder)
    spec = importlib.util.spec_from_file_location(f"exported_train_{n}", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@contextlib.contextmanager
def trusting_fabricated(train, root):
    """The MD5 tables name the fabricated files' own digests, and ImageNet16-120's sizes are theirs, for the run."""
    saved = []

    def replace(owner, attr, value):
        saved.append((owner, attr, getattr(owner, attr)))
        setattr(owner, attr, value)

    for cls in (torchvision.datasets.CIFAR10, torchvision.datasets.CIFAR100):
        folder = os.path.join(root, cls.base_folder)
        if os.path.isdir(folder):
            digest = lambda name: md5_of(os.path.join(folder, name))  # noqa: E731
            replace(cls, "train_list", [[name, digest(name)] for name, _ in cls.train_list])
            replace(cls, "test_list", [[name, digest(name)] for name, _ in cls.test_list])
            replace(cls, "meta", {**cls.meta, "md5": digest(cls.meta["filename"])})
    folder = os.path.join(root, "ImageNet16")
    if os.path.isdir(folder):
        digest = lambda name: md5_of(os.path.join(folder, name))  # noqa: E731
        replace(train.ImageNet16, "TRAIN", [(name, digest(name)) for name, _ in train.ImageNet16.TRAIN])
        replace(train.ImageNet16, "VALID", [(name, digest(name)) for name, _ in train.ImageNet16.VALID])
        kept = []
        for names in (train.ImageNet16.TRAIN, train.ImageNet16.VALID):
            labels = []
            for name, _ in names:
                with open(os.path.join(folder, name), "rb") as f:
                    labels.extend(pickle.load(f, encoding="latin1")["labels"])
            kept.append(sum(1 for label in labels if 1 <= label <= train.ImageNet16.CLASSES))
        replace(train, "IMAGENET16_120_SIZES", tuple(kept))
    try:
        yield
    finally:
        for owner, attr, value in reversed(saved):
            setattr(owner, attr, value)


def expected_images(fmt, seed, label_lists, keep):
    """(CHW uint8 image, label) written, in file order, kept by `keep(label)`."""
    side = SIDE[fmt]
    out = []
    for i, labels in enumerate(label_lists):
        rows = images_of(fmt, seed, i, len(labels))
        out.extend((row.reshape(3, side, side), label) for row, label in zip(rows, labels) if keep(label))
    return out


def crop_and_flip(image, padding, tensor):
    """(dy, dx, flipped) such that the training tensor is that crop of the zero-padded image (RandomCrop), flipped
    left-right when `flipped` (RandomHorizontalFlip), or None."""
    side = image.shape[1]
    pixels = np.rint(tensor.numpy() * 255).astype(np.int64)
    padded = np.pad(image.astype(np.int64), ((0, 0), (padding, padding), (padding, padding)))
    for dy in range(2 * padding + 1):
        for dx in range(2 * padding + 1):
            crop = padded[:, dy:dy + side, dx:dx + side]
            for flipped in (False, True):
                if np.array_equal(crop[:, :, ::-1] if flipped else crop, pixels):
                    return dy - padding, dx - padding, flipped
    return None


def inspect(job, n):
    train = load_train_py(job["train_py"], n)
    dataset = train.DATASET
    fmt = "imagenet16" if dataset == "imagenet16-120" else dataset
    torch.manual_seed(0)
    with trusting_fabricated(train, job["root"]):
        train_set, test_set = train.benchmark_datasets(dataset, job["root"], download=False)
    if fmt == "imagenet16":
        keep, shift = (lambda label: 1 <= label <= train.ImageNet16.CLASSES), 1
    else:
        keep, shift = (lambda label: True), 0
    train_written = expected_images(fmt, job["seed"], job["train"], keep)
    # The test file comes after the training files (its pixels are drawn with the next file index).
    test_written = expected_images(fmt, job["seed"], [[]] * len(FILES[fmt][0]) + [job["test"]], keep)

    loader = torch.utils.data.DataLoader(test_set, batch_size=4, shuffle=False)
    test_images, test_targets = [], []
    for images, labels in loader:
        test_images.append(images)
        test_targets.extend(labels.tolist())
    first = next(iter(torch.utils.data.DataLoader(train_set, batch_size=4, shuffle=True)))
    test_tensor = torch.cat(test_images)
    # ToTensor only (utils_data.py:30, 51): each test image is the bytes written, divided by 255, in file order.
    test_exact = len(test_written) == len(test_tensor) and all(
        torch.equal(t, torch.from_numpy(image.copy()).float().div(255)) for t, (image, _) in zip(test_tensor, test_written))

    padding = train.CROP_PADDING[dataset]
    crops = [crop_and_flip(image, padding, train_set[i][0]) for i, (image, _) in enumerate(train_written)]
    found = [c for c in crops if c is not None]

    net = train.build_model()
    normaliser = train.normalized_model(net)[0]
    reference = torchvision.transforms.Normalize(job["mean"], job["std"])
    return {
        "dataset": dataset,
        "trainLength": len(train_set),
        "testLength": len(test_set),
        "trainTargets": [train_set[i][1] for i in range(len(train_set))],
        "testTargets": test_targets,
        "expectedTrainTargets": [label - shift for _, label in train_written],
        "testPixelsExact": bool(test_exact),
        "batchShape": list(first[0].shape),
        "batchDtype": str(first[0].dtype),
        "labelDtype": str(first[1].dtype),
        "min": min(first[0].min().item(), test_tensor.min().item()),
        "max": max(first[0].max().item(), test_tensor.max().item()),
        "trainCropsMatched": len(found),
        "trainCropsTotal": len(crops),
        "flipsSeen": sorted({c[2] for c in found}),
        "shiftsSeen": len({(c[0], c[1]) for c in found}),
        "maxShift": max((max(abs(c[0]), abs(c[1])) for c in found), default=0),
        "normaliserVsTorchvision": (normaliser(test_tensor) - reference(test_tensor)).abs().max().item(),
    }


class Blocked:
    """A meta-path finder that makes the named modules unimportable, as on a machine without them."""

    def __init__(self, names):
        self.names = set(names)

    def find_spec(self, fullname, path=None, target=None):
        if fullname.split(".")[0] in self.names:
            raise ImportError(f"No module named '{fullname}' (blocked by the test)")
        return None


def run_main(job, n):
    train = load_train_py(job["train_py"], n)
    argv = job["argv"]
    root = train.parse_args(argv).data
    out, err = io.StringIO(), io.StringIO()
    blocked = Blocked(job.get("block", []))
    hidden = {name: sys.modules.pop(name) for name in list(sys.modules) if name.split(".")[0] in blocked.names}
    env = {key: os.environ.get(key) for key in job.get("env", {})}
    sys.meta_path.insert(0, blocked)
    os.environ.update(job.get("env", {}))
    code, message = 0, None
    if "die_after_checkpoint" in job:
        return die_after_checkpoint(train, argv, job, root, out, err)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            with trusting_fabricated(train, root) if job.get("trust_fabricated") else contextlib.nullcontext():
                code = train.main(argv)
    except SystemExit as e:
        code, message = (e.code, None) if isinstance(e.code, int) or e.code is None else (1, str(e.code))
    finally:
        sys.meta_path.remove(blocked)
        sys.modules.update(hidden)
        for key, value in env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return {"code": code, "message": message, "stdout": out.getvalue(), "stderr": err.getvalue()}


def die_after_checkpoint(train, argv, job, root, out, err):
    pid = os.fork()
    if pid == 0:
        save = train.save_atomically

        def save_then_die(state, path):
            save(state, path)
            if state["step"] == job["die_after_checkpoint"]:
                os._exit(137)

        train.save_atomically = save_then_die
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), trusting_fabricated(train, root):
                train.main(argv)
        finally:
            os._exit(0)
    _, status = os.waitpid(pid, 0)
    return {"code": os.waitstatus_to_exitcode(status), "message": None, "stdout": "", "stderr": ""}


def load_trained(job, n):
    train = load_train_py(job["train_py"], n)
    net = train.build_model()
    net.load_state_dict(torch.load(job["weights"]), strict=True)
    return {"ok": True}


KINDS = {"fabricate": fabricate, "inspect": inspect, "main": run_main, "load-trained": load_trained}

def run_job(job, n):
    """The job's result, or {"error": ...} when it fails: one failing job leaves the others' results to the tests."""
    try:
        return KINDS[job["kind"]](job, n)
    except BaseException as e:  # SystemExit from train.py included
        import traceback

        return {"error": f"{type(e).__name__}: {e}\n{traceback.format_exc()}"}


if __name__ == "__main__":
    jobs = json.load(sys.stdin)
    print(json.dumps([run_job(job, n) for n, job in enumerate(jobs)]))
