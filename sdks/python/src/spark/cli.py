"""`spark-worker run module:worker` — runs a Worker with JSON logs, tracing and graceful shutdown."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from . import tracing
from .logs import configure_logging
from .settings import SettingsError
from .worker import Worker


class LoadError(Exception):
    pass


def load_worker(target: str) -> Worker:
    """`package.module:name` → the Worker it names (or that a function of that name returns)."""
    module_name, _, attribute = target.partition(":")
    if not module_name or not attribute:
        raise LoadError(f'"{target}" is not module:attribute (e.g. myapp.workers:worker)')
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    try:
        module = importlib.import_module(module_name)
    except ImportError as error:
        raise LoadError(f'cannot import "{module_name}": {error}') from error
    value = getattr(module, attribute, None)
    if value is None:
        raise LoadError(f'module "{module_name}" has no "{attribute}"')
    if not isinstance(value, Worker) and callable(value):
        value = value()
    if not isinstance(value, Worker):
        raise LoadError(f'"{target}" is a {type(value).__name__}, not a spark.Worker')
    return value


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="spark-worker", description="Runs Spark workers written in Python.")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="run a worker until SIGTERM")
    run.add_argument("target", help="module:attribute of a spark.Worker (or of a function returning one)")
    run.add_argument("--concurrency", type=int, help="tasks run at once (overrides the worker's)")
    run.add_argument("--log-level", default=os.environ.get("SPARK_LOG_LEVEL", "info"))
    run.add_argument(
        "--shutdown-timeout", type=float, help="seconds in-flight tasks get to finish on SIGTERM (default 30)"
    )
    args = parser.parse_args(argv)

    configure_logging(args.log_level)
    try:
        worker = load_worker(args.target)
    except LoadError as error:
        print(f"spark-worker: {error}", file=sys.stderr)
        return 2
    if args.concurrency is not None:
        if args.concurrency < 1:
            print("spark-worker: --concurrency must be at least 1", file=sys.stderr)
            return 2
        worker.concurrency = args.concurrency
    if args.shutdown_timeout is not None:
        worker.shutdown_timeout = args.shutdown_timeout
    try:
        _ = worker.kafka  # the settings from the environment, checked before anything connects
    except SettingsError as error:
        print(f"spark-worker: {error}", file=sys.stderr)
        return 2
    tracing.configure_exporter(os.environ.get("OTEL_SERVICE_NAME", f"spark-worker-{worker.queue}"))
    worker.install_signal_handlers()
    try:
        worker.run()
    finally:
        tracing.shutdown_exporter()
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
