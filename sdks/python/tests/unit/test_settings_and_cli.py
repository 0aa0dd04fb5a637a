from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

import pytest

import spark
from spark.cli import LoadError, load_worker
from spark.logs import JsonFormatter
from spark.settings import KafkaSettings, SettingsError, heartbeat_interval_s, task_topic
from spark.worker import Worker


def test_kafka_settings_come_from_the_services_variables() -> None:
    settings = KafkaSettings.from_env({"SPARK_KAFKA_BROKERS": " a:1, b:2 ", "SPARK_KAFKA_NAMESPACE": "e2e-x."})
    assert settings.brokers == "a:1,b:2"
    assert settings.topic(task_topic("images")) == "e2e-x.spark.tasks.external.images"
    assert settings.group("spark-worker-images") == "e2e-x.spark-worker-images"
    assert KafkaSettings.from_env({}).brokers == "127.0.0.1:19092"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SPARK_KAFKA_BROKERS": "nohost"}, '"nohost" is not host:port'),
        ({"SPARK_KAFKA_BROKERS": ","}, "is empty"),
        ({"SPARK_KAFKA_NAMESPACE": "a b"}, "may only hold"),
    ],
)
def test_bad_settings_name_what_is_wrong(env: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        KafkaSettings.from_env(env)


def test_queue_names_are_checked() -> None:
    with pytest.raises(SettingsError, match='queue "a/b"'):
        spark.Worker(queue="a/b")


def test_heartbeats_go_twice_per_heartbeat_timeout() -> None:
    assert heartbeat_interval_s(10000, None) == 5.0
    assert heartbeat_interval_s(None, None) is None
    assert heartbeat_interval_s(None, 30.0) == 30.0


def test_a_step_names_its_task_or_the_only_task_runs() -> None:
    from spark.messages import parse_dispatch

    from .test_messages import DISPATCH

    worker = Worker(queue="billing")

    @worker.task()
    def charge(value: object) -> object:
        return value

    dispatch = parse_dispatch(json.dumps({**DISPATCH, "config": {}}))
    assert worker.resolve(dispatch).name == "charge"

    @worker.task("refund")
    def refund(value: object) -> object:
        return value

    with pytest.raises(spark.NonRetryable, match=r"sets no config\.task"):
        worker.resolve(dispatch)
    unknown = parse_dispatch(json.dumps({**DISPATCH, "config": {"task": "nope"}}))
    with pytest.raises(spark.NonRetryable, match=r'no task "nope".*charge, refund'):
        worker.resolve(unknown)
    with pytest.raises(ValueError, match="registered twice"):
        worker.task("refund")(refund)


def test_the_cli_loads_module_colon_worker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "my_workers.py").write_text(
        "import spark\nworker = spark.Worker(queue='q')\ndef make():\n    return worker\nnot_a_worker = 3\n"
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "path", [p for p in sys.path if p != str(tmp_path)])
    assert load_worker("my_workers:worker").queue == "q"
    assert load_worker("my_workers:make").queue == "q"
    for target, message in [
        ("my_workers", "not module:attribute"),
        ("missing_module_xyz:worker", "cannot import"),
        ("my_workers:nothing", 'has no "nothing"'),
        ("my_workers:not_a_worker", "is a int, not a spark.Worker"),
    ]:
        with pytest.raises(LoadError, match=message):
            load_worker(target)


def test_logs_are_json_lines_with_the_extra_fields() -> None:
    record = logging.LogRecord("spark.worker", logging.INFO, __file__, 1, "task started", None, None)
    record.runId = "r-1"
    line = json.loads(JsonFormatter().format(record))
    assert (line["level"], line["msg"], line["runId"], line["logger"]) == (
        "info",
        "task started",
        "r-1",
        "spark.worker",
    )


def test_the_cli_refuses_bad_settings_and_targets_with_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from spark.cli import main

    (tmp_path / "cli_workers.py").write_text(
        "import spark\nworker = spark.Worker(queue='q')\n@worker.task()\ndef t(x):\n    return x\n"
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SPARK_KAFKA_BROKERS", "not-a-broker")
    assert main(["run", "cli_workers:worker"]) == 2
    assert '"not-a-broker" is not host:port' in capsys.readouterr().err
    assert main(["run", "cli_workers:nothing"]) == 2
    assert main(["run", "cli_workers:worker", "--concurrency", "0"]) == 2
    assert "--concurrency must be at least 1" in capsys.readouterr().err
