#!/usr/bin/env python3
"""quick_mark: per-GPU throughput and health figures, measured with PyTorch.

Usage: python3 quick_mark.py [--device cuda|cpu] [--gpus 0,2] [--duration-seconds N] [--check]

Prints exactly one JSON object on stdout (progress goes to stderr):
  {"state":"completed","results":{...}}  exit 0
  {"state":"failed","error_message":"..."}  exit 3 = a prerequisite is missing (Python < 3.9,
  no PyTorch, PyTorch without CUDA, no GPU or driver, a --gpus index the node lacks),
  1 = the measurement failed at run time, 2 = bad usage.
With --check it measures nothing and prints {"ok":true,...} (exit 0) or {"ok":false,...} (exit 3).

How each metric is measured, per GPU, one GPU after another (so GPUs never share host memory
or PCIe bandwidth during a test). Every timed loop follows a warm-up, and is sized so that it
lasts about --duration-seconds (default 10), with a floor on the iteration count:
  bf16_tflops, fp16_tflops  N x N x N dense matmul (N = 8192) in that dtype, 2*N^3 flops per
      product, timed with CUDA events around the whole loop.
  fp32_tflops               the same in fp32 with TF32 allowed (torch.backends.cuda.matmul.allow_tf32).
  fp32_cuda_core_tflops     the same with TF32 off: CUDA-core FP32.
  mixed_precision_tflops    fp32 inputs under torch.autocast(float16), casts included.
  memory_bandwidth_gbs      1 GiB device-to-device copy; bytes read + bytes written per copy.
  l2_bandwidth_gbs          a copy between two buffers that together fill half the L2 (sized
      from the device's reported L2; 4 MiB each when torch does not report it), repeated 256
      times inside one CUDA graph and the graph replayed, so launches do not bound the figure;
      bytes read + written.
  host_to_device / device_to_host_bandwidth_gbs  256 MiB copies between pinned host memory
      and the GPU, non-blocking, timed with CUDA events.
  kernel_launch_overhead_us  wall-clock mean over >= 10,000 back-to-back launches of an empty
      kernel (torch.cuda._sleep(0); a 1-element add where that is missing), then one sync:
      the host-side cost of a launch, PyTorch's binding included.
  power_consumption_watts, temperature_centigrade  sampled during the bf16 loop by a thread
      (NVML through pynvml when importable, else `nvidia-smi --query-gpu=power.draw,temperature.gpu`);
      the row keeps the peak (these keys) and the mean (*_mean).
Aggregates: sums of TFLOPS, bandwidths and power; the max temperature; the mean launch overhead.

--device cpu is a smoke mode to exercise this program without a GPU: tiny sizes, wall-clock
timing, the CPU counted as one device, "device":"cpu" in the result. Figures a CPU does not
have (host<->device copies, power, temperature, a UUID) are null, never invented; fp16 is null
where this PyTorch cannot multiply fp16 on a CPU. Such a result is not a GPU measurement.
"""

import argparse
import contextlib
import json
import os
import platform
import shutil
import subprocess
import sys
import threading
import time
import traceback

EXIT_RUNTIME, EXIT_USAGE, EXIT_PREREQUISITE = 1, 2, 3
MIN_PYTHON = (3, 9)
DEFAULT_DURATION_SECONDS = 10.0
MAX_ITERATIONS = 100_000
MIN_LAUNCHES = 10_000
MAX_LAUNCHES = 1_000_000
GIB, MIB, KIB = 1 << 30, 1 << 20, 1 << 10
L2_COPIES_PER_GRAPH = 256
DEFAULT_L2_BUFFER_BYTES = 4 * MIB

TFLOPS_KEYS = ["bf16_tflops", "fp16_tflops", "fp32_tflops", "fp32_cuda_core_tflops", "mixed_precision_tflops"]
BANDWIDTH_KEYS = ["memory_bandwidth_gbs", "l2_bandwidth_gbs", "host_to_device_bandwidth_gbs", "device_to_host_bandwidth_gbs"]
METRIC_KEYS = TFLOPS_KEYS + BANDWIDTH_KEYS + ["kernel_launch_overhead_us", "power_consumption_watts", "temperature_centigrade"]

TORCH_INSTALL_HINT = (
    "install PyTorch for {python}: with CUDA, `{python} -m pip install torch` (the Linux wheels on "
    "PyPI bundle the CUDA runtime; other CUDA versions: https://pytorch.org/get-started/locally/); "
    "Debian/Ubuntu's `apt-get install python3-torch` is CPU-only and serves --device cpu alone"
)
DRIVER_HINT = "the NVIDIA driver is missing: nvidia-smi not found on PATH; install the driver (e.g. `apt-get install nvidia-driver` or NVIDIA's cuda-drivers package) and reboot"


class RunnerError(Exception):
    exit_code = EXIT_RUNTIME


class PrerequisiteError(RunnerError):
    exit_code = EXIT_PREREQUISITE


class UsageError(RunnerError):
    exit_code = EXIT_USAGE


def log(message):
    print(f"quick_mark: {message}", file=sys.stderr, flush=True)


def emit(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


# ---------------------------------------------------------------- command line

class _Parser(argparse.ArgumentParser):
    # argparse would print to stderr and exit 2 with nothing on stdout; the contract wants JSON.
    def error(self, message):
        raise UsageError(message)


def parse_args(argv):
    p = _Parser(prog="quick_mark.py", description="Measure quick_mark figures on this node's GPUs.")
    p.add_argument("--device", choices=["cuda", "cpu"], default="cuda", help="cuda (default) or cpu (smoke mode, tiny sizes)")
    p.add_argument("--gpus", help="comma-separated GPU indices, as nvidia-smi numbers them (default: all)")
    p.add_argument("--duration-seconds", type=float, default=DEFAULT_DURATION_SECONDS, help="target length of each timed test (default 10)")
    p.add_argument("--check", action="store_true", help="check prerequisites only; measure nothing")
    args = p.parse_args(argv)
    if not args.duration_seconds > 0:
        raise UsageError("--duration-seconds must be a positive number")
    args.gpu_indices = parse_gpu_list(args.gpus)
    return args


def parse_gpu_list(text):
    if text is None:
        return None
    indices = []
    for part in text.split(","):
        part = part.strip()
        if not part.isdigit():
            raise UsageError(f"--gpus takes comma-separated GPU indices such as 0,2; got {text!r}")
        if int(part) not in indices:
            indices.append(int(part))
    return indices


# ---------------------------------------------------------------- prerequisites

def require_python():
    if sys.version_info < MIN_PYTHON:
        found = ".".join(map(str, sys.version_info[:3]))
        raise PrerequisiteError(f"Python {MIN_PYTHON[0]}.{MIN_PYTHON[1]}+ is required, {sys.executable} is {found}; install python3 >= 3.9 (Debian/Ubuntu: apt-get install python3)")


def import_torch():
    # nvidia-smi numbers GPUs in PCI bus order; CUDA's default order is "fastest first".
    # Aligning them makes --gpus and the per-GPU rows mean the GPUs the inventory lists.
    os.environ.setdefault("CUDA_DEVICE_ORDER", "PCI_BUS_ID")
    try:
        import torch
    except (ImportError, OSError) as e:  # OSError: a wheel whose CUDA libraries fail to load
        raise PrerequisiteError(f"PyTorch is not importable ({e}); " + TORCH_INSTALL_HINT.format(python=sys.executable))
    return torch


def require_cuda(torch):
    if torch.cuda.is_available() and torch.cuda.device_count() > 0:
        return
    problems = []
    if torch.version.cuda is None:
        problems.append(f"PyTorch {torch.__version__} at {os.path.dirname(torch.__file__)} is a CPU-only build; " + TORCH_INSTALL_HINT.format(python=sys.executable))
    if shutil.which("nvidia-smi") is None:
        problems.append(DRIVER_HINT)
    if not problems:
        visible = os.environ.get("CUDA_VISIBLE_DEVICES")
        scope = f" (CUDA_VISIBLE_DEVICES={visible!r})" if visible is not None else ""
        problems.append(f"PyTorch {torch.__version__} (CUDA {torch.version.cuda}) sees no GPU{scope} although nvidia-smi is present: check `nvidia-smi` lists the GPUs and that the driver supports CUDA {torch.version.cuda}")
    raise PrerequisiteError("no usable CUDA GPU: " + "; ".join(problems))


def select_devices(torch, device, requested):
    count = torch.cuda.device_count() if device == "cuda" else 1
    if requested is None:
        return list(range(count))
    missing = [i for i in requested if i >= count]
    if missing:
        what = f"{count} GPU(s), indices 0-{count - 1}" if device == "cuda" else "one device (the CPU, index 0) in --device cpu mode"
        raise PrerequisiteError(f"--gpus asks for GPU index {', '.join(map(str, missing))}, but this node has {what}")
    return requested


# ---------------------------------------------------------------- timing

class WallClock:
    """Wall-clock timing; `sync` waits for queued GPU work where there is any."""

    def __init__(self, torch, device):
        self.torch, self.device = torch, device

    def sync(self):
        if self.device == "cuda":
            self.torch.cuda.synchronize()

    def elapsed(self, step, iterations):
        self.sync()
        start = time.perf_counter()
        for _ in range(iterations):
            step()
        self.sync()
        return time.perf_counter() - start


class CudaEventClock(WallClock):
    """CUDA events recorded on the stream around the whole loop: GPU time, not host time."""

    def elapsed(self, step, iterations):
        cuda = self.torch.cuda
        start, end = cuda.Event(enable_timing=True), cuda.Event(enable_timing=True)
        start.record()
        for _ in range(iterations):
            step()
        end.record()
        end.synchronize()
        return start.elapsed_time(end) / 1000.0


def timed_loop(clock, step, seconds, min_iterations, max_iterations=MAX_ITERATIONS, warmup=3, during=None):
    """Warms up, sizes the loop from a short probe to last about `seconds`, returns (seconds, iterations).

    `during` is a context manager held around the timed loop only (the power sampler), so
    warm-up and probe do not count as load."""
    for _ in range(warmup):
        step()
    probe = 3
    per_iteration = max(clock.elapsed(step, probe) / probe, 1e-9)
    iterations = int(min(max_iterations, max(min_iterations, seconds / per_iteration)))
    with during if during is not None else contextlib.nullcontext():
        return clock.elapsed(step, iterations), iterations


# ---------------------------------------------------------------- measurements

class Plan:
    """Sizes and time per test for a device kind."""

    def __init__(self, device, duration_seconds):
        self.device = device
        if device == "cuda":
            self.matmul_n, self.copy_bytes, self.transfer_bytes = 8192, GIB, 256 * MIB
            self.seconds = duration_seconds
            self.min_iterations = 10
        else:
            # Smoke mode: exercise every code path in well under a minute on a small CPU.
            self.matmul_n, self.copy_bytes, self.transfer_bytes = 256, 16 * MIB, None
            self.seconds = min(duration_seconds, 0.2)
            self.min_iterations = 3


class Measurer:
    """Runs each test on one device and records how it was done in `method`."""

    def __init__(self, torch, plan, index):
        self.torch, self.plan, self.index = torch, plan, index
        self.dev = torch.device("cuda", index) if plan.device == "cuda" else torch.device("cpu")
        self.clock = CudaEventClock(torch, plan.device) if plan.device == "cuda" else WallClock(torch, plan.device)
        self.timing = "CUDA events" if plan.device == "cuda" else "wall clock"
        self.method = {}

    def matmul_tflops(self, key, dtype, label, tf32=None, autocast_dtype=None, during=None):
        torch, n = self.torch, self.plan.matmul_n
        input_dtype = torch.float32 if autocast_dtype is not None else dtype
        a = torch.randn(n, n, device=self.dev, dtype=input_dtype)
        b = torch.randn(n, n, device=self.dev, dtype=input_dtype)
        previous_tf32 = torch.backends.cuda.matmul.allow_tf32
        if tf32 is not None:
            torch.backends.cuda.matmul.allow_tf32 = tf32
        try:
            if autocast_dtype is not None:
                def step():
                    with torch.autocast(device_type=self.dev.type, dtype=autocast_dtype):
                        torch.matmul(a, b)
            else:
                out = torch.empty(n, n, device=self.dev, dtype=dtype)

                def step():
                    torch.matmul(a, b, out=out)
            seconds, iterations = timed_loop(self.clock, step, self.plan.seconds, self.plan.min_iterations, during=during)
        finally:
            torch.backends.cuda.matmul.allow_tf32 = previous_tf32
        self.method[key] = f"{n}x{n}x{n} {label} matmul, 2*n^3 flops each, 3 warm-up + {iterations} timed with {self.timing}"
        return 2 * n ** 3 * iterations / seconds / 1e12

    def try_matmul_tflops(self, key, dtype, label, **kwargs):
        """Where the framework cannot run a dtype on this device (fp16 on some CPU builds), the figure is null."""
        try:
            return self.matmul_tflops(key, dtype, label, **kwargs)
        except RuntimeError as e:
            if self.plan.device == "cuda" or "not implemented" not in str(e):
                raise
            self.method[key] = f"not measured: {label} matmul is not supported by PyTorch {self.torch.__version__} on CPU ({e})"
            return None

    def copy_gbs(self, key, nbytes, what):
        src = self.torch.empty(nbytes, dtype=self.torch.uint8, device=self.dev).random_(0, 255)
        dst = self.torch.empty_like(src)
        seconds, iterations = timed_loop(self.clock, lambda: dst.copy_(src), self.plan.seconds, self.plan.min_iterations)
        self.method[key] = f"{what}: {fmt_bytes(nbytes)} copy, bytes read + written, 3 warm-up + {iterations} timed with {self.timing}"
        return 2 * nbytes * iterations / seconds / 1e9

    def l2_gbs(self):
        if self.plan.device != "cuda":
            return self.copy_gbs("l2_bandwidth_gbs", 256 * KIB, "cache-resident copy (CPU smoke mode)")
        l2 = getattr(self.torch.cuda.get_device_properties(self.index), "L2_cache_size", 0) or 0
        nbytes = max(256 * KIB, l2 // 4) if l2 else DEFAULT_L2_BUFFER_BYTES
        sized = f"L2 {fmt_bytes(l2)} reported, two buffers of L2/4" if l2 else f"L2 size not reported by torch, two {fmt_bytes(nbytes)} buffers"
        src = self.torch.empty(nbytes, dtype=self.torch.uint8, device=self.dev).random_(0, 255)
        dst = self.torch.empty_like(src)
        step, copies, how = self._graph_of_copies(src, dst)
        seconds, iterations = timed_loop(self.clock, step, self.plan.seconds, self.plan.min_iterations)
        self.method["l2_bandwidth_gbs"] = f"{fmt_bytes(nbytes)} device copy ({sized}), {how}, bytes read + written, {iterations} timed with {self.timing}"
        return 2 * nbytes * copies * iterations / seconds / 1e9

    def _graph_of_copies(self, src, dst):
        cuda = self.torch.cuda
        try:
            side = cuda.Stream(self.dev)
            side.wait_stream(cuda.current_stream(self.dev))
            with cuda.stream(side):  # capture needs its kernels warmed up off the default stream
                for _ in range(3):
                    dst.copy_(src)
            cuda.current_stream(self.dev).wait_stream(side)
            graph = cuda.CUDAGraph()
            with cuda.graph(graph):
                for _ in range(L2_COPIES_PER_GRAPH):
                    dst.copy_(src)
            return graph.replay, L2_COPIES_PER_GRAPH, f"{L2_COPIES_PER_GRAPH} copies captured in one CUDA graph, replayed"
        except (RuntimeError, AttributeError) as e:
            log(f"CUDA graph capture unavailable ({e}); L2 copies are launched one by one and may be launch-bound")
            return (lambda: dst.copy_(src)), 1, "copies launched one by one (CUDA graphs unavailable: the figure may be launch-bound)"

    def transfer_gbs(self, key, to_device):
        if self.plan.transfer_bytes is None:
            self.method[key] = "not measured: no host-device link in --device cpu mode"
            return None
        torch, nbytes = self.torch, self.plan.transfer_bytes
        host = torch.empty(nbytes, dtype=torch.uint8, pin_memory=True)
        device = torch.empty(nbytes, dtype=torch.uint8, device=self.dev)
        step = (lambda: device.copy_(host, non_blocking=True)) if to_device else (lambda: host.copy_(device, non_blocking=True))
        seconds, iterations = timed_loop(self.clock, step, self.plan.seconds, self.plan.min_iterations)
        direction = "pinned host -> device" if to_device else "device -> pinned host"
        self.method[key] = f"{fmt_bytes(nbytes)} {direction} non-blocking copy, 3 warm-up + {iterations} timed with {self.timing}"
        return nbytes * iterations / seconds / 1e9

    def launch_overhead_us(self):
        torch = self.torch
        if self.plan.device == "cuda" and hasattr(torch.cuda, "_sleep"):
            step, kernel = (lambda: torch.cuda._sleep(0)), "empty kernel (torch.cuda._sleep(0))"
        else:
            x = torch.zeros(1, device=self.dev)
            step, kernel = (lambda: x.add_(1)), ("1-element add_" if self.plan.device == "cuda" else "1-element add_ (CPU op dispatch)")
        wall = WallClock(torch, self.plan.device)
        seconds, launches = timed_loop(wall, step, self.plan.seconds, MIN_LAUNCHES, MAX_LAUNCHES, warmup=1000)
        self.method["kernel_launch_overhead_us"] = f"{kernel} launched {launches} times back to back, one sync at the end; wall-clock total / launches"
        return seconds / launches * 1e6


# ---------------------------------------------------------------- power and temperature

def nvml_reader(gpu_id):
    """(watts, celsius) per call through NVML, or None where pynvml is not importable."""
    try:
        import pynvml
        pynvml.nvmlInit()
        if gpu_id.startswith("GPU-"):
            try:
                handle = pynvml.nvmlDeviceGetHandleByUUID(gpu_id)
            except TypeError:  # older pynvml takes bytes
                handle = pynvml.nvmlDeviceGetHandleByUUID(gpu_id.encode())
        else:
            handle = pynvml.nvmlDeviceGetHandleByIndex(int(gpu_id))
    except Exception as e:  # ImportError, or an NVML without this GPU: fall back to nvidia-smi
        if not isinstance(e, ImportError):
            log(f"NVML unusable ({e}); sampling with nvidia-smi")
        return None

    def read():
        watts = pynvml.nvmlDeviceGetPowerUsage(handle) / 1000.0
        celsius = pynvml.nvmlDeviceGetTemperature(handle, pynvml.NVML_TEMPERATURE_GPU)
        return float(watts), float(celsius)

    return read


def nvidia_smi_reader(gpu_id):
    if shutil.which("nvidia-smi") is None:
        return None

    def read():
        out = subprocess.run(
            ["nvidia-smi", "-i", gpu_id, "--query-gpu=power.draw,temperature.gpu", "--format=csv,noheader,nounits"],
            capture_output=True, text=True, timeout=10,
        )
        fields = [f.strip() for f in out.stdout.strip().splitlines()[0].split(",")] if out.returncode == 0 and out.stdout.strip() else []
        try:
            return float(fields[0]), float(fields[1])
        except (IndexError, ValueError):
            return None  # "[N/A]" on boards that do not report power

    return read


class Sampler(threading.Thread):
    """Polls (watts, celsius) while a load runs; keeps every sample for the peak and the mean."""

    def __init__(self, read, interval):
        super().__init__(daemon=True)
        self.read, self.interval = read, interval
        self.samples = []
        self._stop_event = threading.Event()

    def run(self):
        while not self._stop_event.is_set():
            try:
                sample = self.read()
            except Exception as e:  # a sensor that stops answering ends sampling, not the benchmark
                log(f"power/temperature sampling stopped: {type(e).__name__}: {e}")
                return
            if sample is not None:
                self.samples.append(sample)
            self._stop_event.wait(self.interval)

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self._stop_event.set()
        self.join(timeout=15)
        return False


def power_summary(samples):
    """Peak and mean of (watts, celsius) samples; all null when nothing was sampled."""
    if not samples:
        return {"power_consumption_watts": None, "power_consumption_watts_mean": None, "temperature_centigrade": None, "temperature_centigrade_mean": None}
    watts = [s[0] for s in samples]
    celsius = [s[1] for s in samples]
    return {
        "power_consumption_watts": max(watts),
        "power_consumption_watts_mean": sum(watts) / len(watts),
        "temperature_centigrade": max(celsius),
        "temperature_centigrade_mean": sum(celsius) / len(celsius),
    }


def power_sampler(gpu_id):
    """A Sampler (started by `with`) and how it reads, or (None, reason) where nothing can read the GPU's sensors."""
    read = nvml_reader(gpu_id)
    if read is not None:
        sampler, how = Sampler(read, 0.1), "NVML (pynvml) every 0.1 s"
    else:
        read = nvidia_smi_reader(gpu_id)
        if read is None:
            return None, "not measured: neither pynvml nor nvidia-smi is available"
        sampler, how = Sampler(read, 0.25), "nvidia-smi --query-gpu=power.draw,temperature.gpu every 0.25 s"
    return sampler, how


# ---------------------------------------------------------------- one device

def cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "cpu"


def gpu_identity(torch, device, index):
    if device == "cpu":
        return cpu_name(), None
    name = torch.cuda.get_device_name(index)
    uuid = getattr(torch.cuda.get_device_properties(index), "uuid", None)
    if uuid is None:
        return name, None
    uuid = str(uuid)
    return name, uuid if uuid.startswith("GPU-") else f"GPU-{uuid}"


def nvml_id(index, uuid):
    """How NVML and nvidia-smi name this torch device: its UUID, else the visible-devices entry, else the index."""
    if uuid:
        return uuid
    visible = [v.strip() for v in os.environ.get("CUDA_VISIBLE_DEVICES", "").split(",") if v.strip()]
    return visible[index] if index < len(visible) else str(index)


def measure_device(torch, plan, index):
    name, uuid = gpu_identity(torch, plan.device, index)
    log(f"device {index} ({name}): measuring")
    m = Measurer(torch, plan, index)
    if plan.device == "cuda":
        torch.cuda.set_device(index)
    row = {"gpu_index": index, "gpu_name": name, "gpu_uuid": uuid}

    sampler, sampling = power_sampler(nvml_id(index, uuid)) if plan.device == "cuda" else (None, "not measured: --device cpu")
    row["bf16_tflops"] = m.matmul_tflops("bf16_tflops", torch.bfloat16, "bf16", during=sampler)
    samples = sampler.samples if sampler is not None else []
    m.method["power_consumption_watts"] = f"{sampling} during the bf16 loop ({len(samples)} samples); peak here, the mean in *_mean" if sampler is not None else sampling
    m.method["temperature_centigrade"] = m.method["power_consumption_watts"]

    row["fp16_tflops"] = m.try_matmul_tflops("fp16_tflops", torch.float16, "fp16")
    fp32_label = "fp32 (TF32 allowed)" if plan.device == "cuda" else "fp32 (a CPU has no TF32)"
    row["fp32_tflops"] = m.matmul_tflops("fp32_tflops", torch.float32, fp32_label, tf32=True)
    row["fp32_cuda_core_tflops"] = m.matmul_tflops("fp32_cuda_core_tflops", torch.float32, "fp32 (TF32 off)", tf32=False)
    # CPU autocast in PyTorch supports bfloat16 only.
    autocast_dtype = torch.float16 if plan.device == "cuda" else torch.bfloat16
    autocast_label = "fp32 inputs under autocast(" + ("float16" if plan.device == "cuda" else "bfloat16") + ")"
    row["mixed_precision_tflops"] = m.matmul_tflops("mixed_precision_tflops", None, autocast_label, autocast_dtype=autocast_dtype)
    row["memory_bandwidth_gbs"] = m.copy_gbs("memory_bandwidth_gbs", plan.copy_bytes, "device-to-device" if plan.device == "cuda" else "RAM-to-RAM (CPU)")
    row["l2_bandwidth_gbs"] = m.l2_gbs()
    row["host_to_device_bandwidth_gbs"] = m.transfer_gbs("host_to_device_bandwidth_gbs", to_device=True)
    row["device_to_host_bandwidth_gbs"] = m.transfer_gbs("device_to_host_bandwidth_gbs", to_device=False)
    row["kernel_launch_overhead_us"] = m.launch_overhead_us()
    row.update(power_summary(samples))
    if plan.device == "cuda":
        torch.cuda.empty_cache()
    log(f"device {index}: bf16 {row['bf16_tflops']:.1f} TFLOPS, memory {row['memory_bandwidth_gbs']:.0f} GB/s")
    return rounded(row), m.method


# ---------------------------------------------------------------- the result

def round_figure(value):
    # Two decimals as the fixtures carry them; three significant digits below 1 so that a
    # smoke-mode CPU figure (0.004 TFLOPS) does not round to zero.
    return round(value, 2) if abs(value) >= 1 else float(f"{value:.3g}")


def rounded(row):
    return {k: round_figure(v) if isinstance(v, float) else v for k, v in row.items()}


def aggregate(rows):
    agg = {}
    for key in METRIC_KEYS:
        values = [r[key] for r in rows if isinstance(r.get(key), (int, float))]
        if not values:
            agg[key] = None
        elif key == "temperature_centigrade":
            agg[key] = max(values)
        elif key == "kernel_launch_overhead_us":
            agg[key] = round_figure(sum(values) / len(values))
        else:
            agg[key] = round_figure(sum(values))
    return agg


def driver_version(device):
    if device != "cuda" or shutil.which("nvidia-smi") is None:
        return None
    out = subprocess.run(["nvidia-smi", "--query-gpu=driver_version", "--format=csv,noheader"], capture_output=True, text=True, timeout=20)
    lines = out.stdout.strip().splitlines() if out.returncode == 0 else []
    return lines[0].strip() if lines else None


def environment(torch, device):
    return {
        "python": platform.python_version(),
        "torch": torch.__version__,
        "cuda": torch.version.cuda if device == "cuda" else None,
        "driver": driver_version(device),
    }


def run(torch, args):
    plan = Plan(args.device, args.duration_seconds)
    devices = select_devices(torch, args.device, args.gpu_indices)
    rows, method = [], {}
    for index in devices:
        row, row_method = measure_device(torch, plan, index)
        rows.append(row)
        method = method or row_method  # the same method on every GPU; sizes do not vary
    return {
        "device": args.device,
        "gpu_model": rows[0]["gpu_name"],
        "gpu_count": len(rows),
        "test_results": rows,
        "aggregate_results": aggregate(rows),
        "method": method,
        "environment": environment(torch, args.device),
    }


def check(torch, args):
    devices = select_devices(torch, args.device, args.gpu_indices)
    return {"ok": True, "device": args.device, "gpu_count": len(devices), "torch": torch.__version__, "cuda": torch.version.cuda if args.device == "cuda" else None}


def failure(args_check, message):
    return {"ok": False, "error_message": message} if args_check else {"state": "failed", "error_message": message}


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    check_mode = "--check" in argv
    try:
        args = parse_args(argv)
        require_python()
        torch = import_torch()
        if args.device == "cuda":
            require_cuda(torch)
        emit(check(torch, args) if args.check else {"state": "completed", "results": run(torch, args)})
        return 0
    except RunnerError as e:
        log(str(e))
        emit(failure(check_mode, str(e)))
        return e.exit_code
    except Exception as e:  # a CUDA error or out-of-memory mid-run: report it in the contract's shape
        traceback.print_exc(file=sys.stderr)
        emit(failure(check_mode, f"quick_mark failed while measuring: {type(e).__name__}: {e}"))
        return EXIT_RUNTIME


def fmt_bytes(n):
    for unit, size in (("GiB", GIB), ("MiB", MIB), ("KiB", KIB)):
        if n >= size:
            return f"{n / size:g} {unit}"
    return f"{n} B"


if __name__ == "__main__":
    sys.exit(main())
