"""Runs the PyTorch side of test/core/export/pytorchExport.test.ts in one process (torch imports once).

Reads a job list as JSON on stdin and prints one JSON object of results. Jobs:
  {"kind": "inspect", "model": PATH, "dataset": D}          parameter count and state_dict keys in order
  {"kind": "logits", "model": PATH, "problem": PATH}        engine weights loaded, float64 logits vs the engine's
  {"kind": "fixed-batch", "dir": PATH, "steps": S}          train.py's adversarial step on one batch, loss before/after
  {"kind": "load-trained", "dir": PATH, "weights": PATH}    a train.py model.pt loads into build_model() with strict=True
"""
import importlib.util
import json
import sys

import torch

torch.set_num_threads(1)


def load_module(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def inspect(job, n):
    m = load_module(job["model"], f"exported_model_{n}")
    net = m.build_model(dataset=job["dataset"])
    return {
        "params": sum(p.numel() for p in net.parameters()),
        "keys": list(net.state_dict().keys()),
        "arch": m.ARCH_STRING,
    }


def logits(job, n):
    m = load_module(job["model"], f"exported_model_{n}")
    problem = json.load(open(job["problem"]))
    net = m.build_model(dataset=problem["dataset"], channels=problem["channels"], cells_per_stage=problem["cellsPerStage"]).double()
    # The engine names its parameters as TinyNetwork does, except a cell's edges: engine 'edges.<k>', official 'layers.<k>'.
    weights = {p["name"].replace(".edges.", ".layers."): torch.tensor(p["values"], dtype=torch.float64).reshape(p["shape"]) for p in problem["params"]}
    missing, unexpected = net.load_state_dict(weights, strict=False)
    side = problem["inputSize"]
    x = torch.tensor(problem["inputs"], dtype=torch.float64).reshape(problem["n"], 3, side, side)
    net.train()  # BatchNorm with batch statistics, as the engine computes
    with torch.no_grad():
        out = net(x).reshape(-1)
    ours = torch.tensor(problem["ours"]["logits"], dtype=torch.float64)
    return {
        "missing": missing,
        "unexpected": unexpected,
        "maxAbsDiff": (out - ours).abs().max().item(),
        "maxAbs": ours.abs().max().item(),
        "normRelative": ((out - ours).norm() / ours.norm()).item(),
    }


def fixed_batch(job, n):
    sys.path.insert(0, job["dir"])
    train = load_module(job["dir"] + "/train.py", f"exported_train_{n}")
    torch.manual_seed(0)
    net = train.build_model()
    model = train.normalized_model(net)
    side, classes = train.INPUT_SIZE[train.DATASET], train.NUM_CLASSES[train.DATASET]
    g = torch.Generator().manual_seed(1)
    images = torch.rand(16, 3, side, side, generator=g)
    labels = torch.randint(0, classes, (16,), generator=g)

    def adversarial_loss():
        # The same PGD-7 start for both measurements: the loss differs only by the weights.
        torch.manual_seed(123)
        model.eval()
        adv = train.pgd_attack(model, images, labels, train.TRAIN_PGD_EPS, train.TRAIN_PGD_STEP_SIZE, train.TRAIN_PGD_STEPS)
        with torch.no_grad():
            return torch.nn.functional.cross_entropy(model(adv), labels).item()

    before = adversarial_loss()
    optimizer = train.make_optimizer(model)
    for group in optimizer.param_groups:
        group["lr"] = train.ONE_CYCLE_MAX_LR  # the schedule's peak rate
    step_losses = [train.adversarial_training_step(model, optimizer, images, labels)[0] for _ in range(job["steps"])]
    return {"before": before, "after": adversarial_loss(), "stepLosses": step_losses}


def load_trained(job, n):
    m = load_module(job["dir"] + "/model.py", f"trained_model_{n}")
    net = m.build_model()
    net.load_state_dict(torch.load(job["weights"]), strict=True)
    return {"ok": True, "keys": len(net.state_dict())}


KINDS = {"inspect": inspect, "logits": logits, "fixed-batch": fixed_batch, "load-trained": load_trained}

if __name__ == "__main__":
    jobs = json.load(sys.stdin)
    print(json.dumps([KINDS[job["kind"]](job, n) for n, job in enumerate(jobs)]))
