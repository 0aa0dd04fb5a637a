"""
End-to-end fixtures: Spark's scheduler and gateway as processes (engine.cjs, with the project's
EngineHarness) against the real Kafka and PostgreSQL of tools/stack, and Python workers started with
the `spark-worker` command as processes of their own.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

import spark

HERE = Path(__file__).parent
SPARK_WORKER = Path(sys.executable).parent / "spark-worker"


@dataclass
class Engine:
    gateway: str
    api_key: str
    namespace: str
    service_name_suffix: str
    logs: dict[str, str]


@pytest.fixture(scope="session")
def engine() -> Iterator[Engine]:
    node = shutil.which("node")
    assert node, "node is not on PATH (run through tools/python-sdk, which sources tools/env.sh)"
    process = subprocess.Popen(
        [node, str(HERE / "engine.cjs")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=sys.stderr,
        text=True,
    )
    assert process.stdout is not None and process.stdin is not None
    line = process.stdout.readline()
    if not line:
        process.wait(10)
        pytest.fail(f"engine.cjs exited with {process.returncode} before it started the services")
    where = json.loads(line)
    try:
        yield Engine(
            gateway=where["gateway"],
            api_key=where["apiKey"],
            namespace=where["namespace"],
            service_name_suffix=where["serviceNameSuffix"],
            logs=where["logs"],
        )
    finally:
        process.stdin.close()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="session")
def client(engine: Engine) -> spark.Client:
    return spark.Client(engine.gateway, engine.api_key)


@dataclass
class WorkerProcess:
    queue: str
    markers: Path
    process: subprocess.Popen[str]
    lines: list[dict[str, Any]] = field(default_factory=list)

    def _read(self) -> None:
        assert self.process.stderr is not None
        for raw in self.process.stderr:
            try:
                self.lines.append(json.loads(raw))
            except ValueError:
                self.lines.append({"msg": raw.rstrip()})

    def wait_for_log(self, message: str, timeout: float = 30.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in list(self.lines):
                if line.get("msg") == message:
                    return line
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        raise AssertionError(f'worker {self.queue}: no "{message}" log line; its log: {self.lines[-30:]}')

    def wait_for_marker(self, name: str, timeout: float = 30.0) -> Path:
        path = self.markers / name
        deadline = time.monotonic() + timeout
        while not path.exists():
            if time.monotonic() > deadline:
                raise AssertionError(f"worker {self.queue}: no marker {name}; its log: {self.lines[-30:]}")
            time.sleep(0.05)
        return path

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 30.0) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
        return self.process.wait(timeout)


class WorkerLauncher:
    """Starts `spark-worker run workers:worker` for a queue of the test's own and waits until it is ready."""

    def __init__(self, engine: Engine, markers: Path) -> None:
        self.engine = engine
        self.markers = markers
        self.started: list[WorkerProcess] = []

    def __call__(
        self,
        queue: str | None = None,
        *args: str,
        env: dict[str, str] | None = None,
        target: str = "workers:worker",
        cwd: Path = HERE,
    ) -> WorkerProcess:
        queue = queue or f"py-{uuid.uuid4().hex[:8]}"
        self.markers.mkdir(parents=True, exist_ok=True)
        process = subprocess.Popen(
            [str(SPARK_WORKER), "run", target, *args],
            cwd=cwd,
            env={
                **os.environ,
                "SPARK_KAFKA_NAMESPACE": self.engine.namespace,
                "E2E_QUEUE": queue,
                "E2E_MARKERS": str(self.markers),
                "OTEL_SERVICE_NAME": f"spark-worker-{queue}",
                **(env or {}),
            },
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        worker = WorkerProcess(queue, self.markers, process)
        threading.Thread(target=worker._read, daemon=True).start()
        self.started.append(worker)
        worker.wait_for_log("worker ready")
        return worker

    def close(self) -> None:
        for worker in self.started:
            if worker.process.poll() is None:
                worker.process.kill()
                worker.process.wait(10)


@pytest.fixture
def start_worker(engine: Engine, tmp_path: Path) -> Iterator[WorkerLauncher]:
    launcher = WorkerLauncher(engine, tmp_path / "markers")
    yield launcher
    launcher.close()


@pytest.fixture(scope="module")
def start_worker_module(engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[WorkerLauncher]:
    launcher = WorkerLauncher(engine, tmp_path_factory.mktemp("markers"))
    yield launcher
    launcher.close()


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"
