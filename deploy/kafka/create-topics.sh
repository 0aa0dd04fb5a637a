#!/bin/sh
# Creates Spark's topics in the Docker Compose Kafka (the list is tools/stack.d/topics, mounted here).
set -eu
bootstrap=${KAFKA_BOOTSTRAP:-kafka:9092}
until /opt/kafka/bin/kafka-topics.sh --bootstrap-server "$bootstrap" --list >/dev/null 2>&1; do sleep 1; done
grep -v '^[[:space:]]*#' /topics | while read -r name partitions; do
  [ -n "$name" ] || continue
  /opt/kafka/bin/kafka-topics.sh --bootstrap-server "$bootstrap" --create --if-not-exists \
    --topic "$name" --partitions "$partitions" --replication-factor 1
done
echo "topics ready"
