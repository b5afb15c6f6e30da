#!/usr/bin/env bash
# A single-node KRaft Kafka broker for the local stack and the tests, run from Maven Central's
# org.apache.kafka:kafka_2.13 jars (resolved once into .var/kafka/lib). Loopback only.
# Usage: kafka.sh start|stop|wipe
set -euo pipefail
source "$(dirname "$0")/lib.sh"

KAFKA_HOME=$PUREBOOT_VAR/kafka
BROKER_PORT=${PUREBOOT_KAFKA_PORT:-19092}
CONTROLLER_PORT=$((BROKER_PORT + 1))
TOPICS=(pureboot.clone-sessions pureboot.node-inventory pureboot.storage pureboot.resize-plans pureboot.operator-actions
  pureboot.test.clone-sessions)

kafka_java() {
  java -Xms256m -Xmx768m -Dlog4j2.configurationFile="$KAFKA_HOME/log4j2.properties" \
    -cp "$KAFKA_HOME/lib/*" "$@"
}

resolve_jars() {
  [ -f "$KAFKA_HOME/lib/.complete" ] && return 0
  log "resolving Kafka jars from Maven Central"
  "$PUREBOOT_ROOT/mvnw" -B -q -f "$(dirname "$0")/kafka/pom.xml" dependency:copy-dependencies \
    -DoutputDirectory="$KAFKA_HOME/lib" -DincludeScope=runtime 2>&1 | grep -v '^WARNING' || true
  ls "$KAFKA_HOME"/lib/kafka_2.13-*.jar >/dev/null 2>&1 || die "could not resolve the Kafka jars"
  touch "$KAFKA_HOME/lib/.complete"
}

write_config() {
  mkdir -p "$KAFKA_HOME/data"
  cat > "$KAFKA_HOME/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$BROKER_PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$BROKER_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$KAFKA_HOME/data
num.partitions=3
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
PROPS
  cat > "$KAFKA_HOME/log4j2.properties" <<'PROPS'
rootLogger.level=WARN
rootLogger.appenderRef.stdout.ref=STDOUT
appender.stdout.type=Console
appender.stdout.name=STDOUT
appender.stdout.layout.type=PatternLayout
appender.stdout.layout.pattern=[%d] %p %m (%c)%n
logger.kafka.name=kafka
logger.kafka.level=INFO
PROPS
}

format_storage() {
  [ -f "$KAFKA_HOME/data/meta.properties" ] && return 0
  local cluster_id
  cluster_id=$(kafka_java kafka.tools.StorageTool random-uuid)
  kafka_java kafka.tools.StorageTool format -t "$cluster_id" -c "$KAFKA_HOME/server.properties" >/dev/null
}

create_topics() {
  local topic
  for topic in "${TOPICS[@]}"; do
    kafka_java org.apache.kafka.tools.TopicCommand --bootstrap-server "127.0.0.1:$BROKER_PORT" \
      --create --if-not-exists --topic "$topic" --partitions 3 --replication-factor 1 >/dev/null
  done
}

broker_answers() {
  port_open 127.0.0.1 "$BROKER_PORT" || return 1
  kafka_java org.apache.kafka.tools.TopicCommand --bootstrap-server "127.0.0.1:$BROKER_PORT" --list >/dev/null 2>&1
}

case "${1:-start}" in
  start)
    find_jdk
    if port_open 127.0.0.1 "$BROKER_PORT" && ! [ -f "$PUREBOOT_VAR/kafka.pid" ]; then
      # Another checkout's broker: use it, and leave it to whoever started it.
      log "a Kafka broker already listens on 127.0.0.1:$BROKER_PORT; using it"
      exit 0
    fi
    resolve_jars
    write_config
    format_storage
    start_daemon kafka java -Xms256m -Xmx768m -Dlog4j2.configurationFile="$KAFKA_HOME/log4j2.properties" \
      -cp "$KAFKA_HOME/lib/*" kafka.Kafka "$KAFKA_HOME/server.properties"
    wait_until 90 "Kafka on 127.0.0.1:$BROKER_PORT" broker_answers \
      || die "Kafka did not start in 90 s; see $PUREBOOT_LOGS/kafka.log"
    create_topics
    ;;
  stop)
    stop_daemon kafka
    ;;
  wipe)
    stop_daemon kafka
    rm -rf "$KAFKA_HOME/data"
    ;;
  *) die "usage: kafka.sh start|stop|wipe" ;;
esac
