#!/usr/bin/env bash
# Run a real Apache Kafka 4.x broker (KRaft, one combined broker+controller node)
# on loopback from Maven Central jars: no Docker, no downloaded tarball.
#
#   kafka.sh fetch                      resolve the jars into the cache; prints the jar dir
#   kafka.sh start DATA_DIR [options]   start in the background; prints the bootstrap address
#   kafka.sh run DATA_DIR [options]     same set-up, then the broker in the foreground (exec)
#   kafka.sh stop DATA_DIR [--timeout S]  stop the broker that `start` left in DATA_DIR
#   kafka.sh status DATA_DIR            prints the bootstrap address if it is running
#
# start/run options:
#   --port P             broker (PLAINTEXT) port; default: the previous run's, else a free one
#   --controller-port P  controller (KRaft quorum) port; likewise
#   --set KEY=VALUE      extra server.properties line (repeatable), e.g. for fault tests
#   --timeout S          start only: seconds to wait until it serves (default 90)
#
# DATA_DIR holds server.properties, cluster.id, data/ (topic and metadata logs),
# kafka.log (broker output), format.log, kafka.pid and bootstrap. Reusing a
# DATA_DIR restarts the same cluster with its data.
#
# Environment:
#   VIDGEN_KAFKA_CACHE  jar cache (default: <repo>/.cache/kafka)
#   JAVA_HOME / JAVA    the JVM (Java 17+); default: java on PATH
#   KAFKA_HEAP_OPTS     default -Xms128m -Xmx512m
#   KAFKA_JVM_OPTS      extra JVM flags
#   MVN                 the Maven command (default: mvn)
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
POM="$SCRIPT_DIR/pom.xml"
LOG4J_CONFIG="$SCRIPT_DIR/log4j2.properties"
CACHE_ROOT="${VIDGEN_KAFKA_CACHE:-$REPO_ROOT/.cache/kafka}"
HOST=127.0.0.1
MAIN_CLASS=kafka.Kafka

if [[ -n "${JAVA:-}" ]]; then
    JAVA_BIN="$JAVA"
elif [[ -n "${JAVA_HOME:-}" ]]; then
    JAVA_BIN="$JAVA_HOME/bin/java"
else
    JAVA_BIN=java
fi
read -r -a HEAP_OPTS <<<"${KAFKA_HEAP_OPTS:--Xms128m -Xmx512m}"
read -r -a JVM_OPTS <<<"${KAFKA_JVM_OPTS:-}"

die() {
    echo "kafka.sh: $*" >&2
    exit 1
}

usage() {
    sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//' >&2
    exit "${1:-2}"
}

# ---------------------------------------------------------------- fetch

# The cache is keyed by the pom's content, so editing the pom (a new Kafka
# version) resolves a fresh set and never mixes two versions on a classpath.
cache_dir() {
    local version digest
    version="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$POM")"
    digest="$(sha256sum "$POM" | cut -c1-12)"
    echo "$CACHE_ROOT/kafka-${version:-unknown}-$digest"
}

cmd_fetch() {
    local dir tmp
    dir="$(cache_dir)"
    if [[ -f "$dir/.complete" ]]; then
        echo "$dir/libs"
        return 0
    fi
    command -v "${MVN:-mvn}" >/dev/null || die "Maven (mvn) is needed to fetch the Kafka jars"
    mkdir -p "$CACHE_ROOT"
    tmp="$(mktemp -d "$CACHE_ROOT/.fetch.XXXXXX")"
    # Maven prints to stdout; keep stdout for the one line callers read (and
    # drop the bare colour resets some Maven builds print even with -q -B).
    if ! "${MVN:-mvn}" -q -B -Dstyle.color=never -f "$POM" \
        dependency:copy-dependencies -DoutputDirectory="$tmp/libs" 2>&1 |
        sed -e 's/\x1b\[[0-9;]*m//g' -e '/^$/d' >&2; then
        rm -rf "$tmp"
        die "resolving the Kafka jars with Maven failed (see above)"
    fi
    ls "$tmp/libs"/kafka_2.13-*.jar >/dev/null 2>&1 || {
        rm -rf "$tmp"
        die "Maven finished but no kafka_2.13 jar was copied"
    }
    touch "$tmp/.complete"
    # Atomic publish: a concurrent fetch that lost the race just drops its copy.
    if ! mv -T "$tmp" "$dir" 2>/dev/null; then
        rm -rf "$tmp"
        [[ -f "$dir/.complete" ]] || die "could not publish the jar cache at $dir"
    fi
    echo "$dir/libs"
}

# ---------------------------------------------------------------- helpers

# Prints N distinct loopback ports that are free now (the OS picks them).
free_ports() {
    python3 - "$1" <<'PY'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
PY
}

port_is_free() {
    python3 - "$1" <<'PY'
import socket, sys
s = socket.socket()
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(1)
PY
}

accepts_connections() {
    (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null
}

# A Kafka cluster id: 16 random bytes, URL-safe base64 without padding (what
# `kafka-storage random-uuid` prints), never starting with '-'.
new_cluster_id() {
    local id
    while :; do
        id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
        [[ "$id" != -* ]] && break
    done
    echo "$id"
}

abs_dir() {
    mkdir -p "$1"
    (cd "$1" && pwd)
}


pid_is_our_broker() {
    local pid="$1" data_dir="$2" cmdline
    [[ -r "/proc/$pid/cmdline" ]] || return 1
    cmdline="$(tr '\0' ' ' <"/proc/$pid/cmdline")"
    [[ "$cmdline" == *"$MAIN_CLASS $data_dir/server.properties"* ]]
}

running_pid() {
    local data_dir="$1" pid
    [[ -f "$data_dir/kafka.pid" ]] || return 1
    pid="$(cat "$data_dir/kafka.pid")"
    [[ "$pid" =~ ^[0-9]+$ ]] || return 1
    kill -0 "$pid" 2>/dev/null || return 1
    pid_is_our_broker "$pid" "$data_dir" || return 1
    echo "$pid"
}

log_tail() {
    local f
    for f in "$@"; do
        [[ -s "$f" ]] || continue
        echo "----- last lines of $f -----" >&2
        tail -n 40 "$f" >&2
    done
}

# ---------------------------------------------------------------- set-up

PORT=""
CONTROLLER_PORT=""
TIMEOUT=90
EXTRA_PROPS=()
PORTS_CHOSEN_BY_US=0

parse_opts() {
    while [[ $# -gt 0 ]]; do
        case "$1" in
        --port) PORT="${2:?--port needs a value}"; shift 2 ;;
        --controller-port) CONTROLLER_PORT="${2:?--controller-port needs a value}"; shift 2 ;;
        --set) EXTRA_PROPS+=("${2:?--set needs KEY=VALUE}"); shift 2 ;;
        --timeout) TIMEOUT="${2:?--timeout needs a value}"; shift 2 ;;
        *) die "unknown option: $1" ;;
        esac
    done
}

choose_ports() {
    local data_dir="$1" prev_port="" prev_cport="" picked
    if [[ -f "$data_dir/ports" ]]; then
        read -r prev_port prev_cport <"$data_dir/ports" || true
    fi
    # Prefer the previous run's ports so clients of a restarted broker find it again.
    if [[ -z "$PORT" && -n "$prev_port" ]] && port_is_free "$prev_port"; then
        PORT="$prev_port"
    fi
    if [[ -z "$CONTROLLER_PORT" && -n "$prev_cport" && "$prev_cport" != "$PORT" ]] &&
        port_is_free "$prev_cport"; then
        CONTROLLER_PORT="$prev_cport"
    fi
    if [[ -z "$PORT" || -z "$CONTROLLER_PORT" ]]; then
        PORTS_CHOSEN_BY_US=1
        read -r -a picked <<<"$(free_ports 3)"
        if [[ -z "$PORT" ]]; then
            PORT="${picked[0]}"
        fi
        if [[ -z "$CONTROLLER_PORT" ]]; then
            CONTROLLER_PORT="${picked[1]}"
            [[ "$CONTROLLER_PORT" != "$PORT" ]] || CONTROLLER_PORT="${picked[2]}"
        fi
    fi
    [[ "$PORT" != "$CONTROLLER_PORT" ]] || die "broker and controller ports must differ"
    echo "$PORT $CONTROLLER_PORT" >"$data_dir/ports"
}

write_properties() {
    local data_dir="$1" prop
    {
        echo "# Written by deploy/kafka/kafka.sh: one KRaft node that is broker and controller."
        echo "process.roles=broker,controller"
        echo "node.id=1"
        echo "controller.quorum.voters=1@$HOST:$CONTROLLER_PORT"
        echo "listeners=PLAINTEXT://$HOST:$PORT,CONTROLLER://$HOST:$CONTROLLER_PORT"
        echo "advertised.listeners=PLAINTEXT://$HOST:$PORT"
        echo "controller.listener.names=CONTROLLER"
        echo "inter.broker.listener.name=PLAINTEXT"
        echo "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT"
        echo "log.dirs=$data_dir/data"
        echo "num.partitions=1"
        echo "default.replication.factor=1"
        echo "auto.create.topics.enable=true"
        echo "# One node: every internal topic has one replica (and few partitions)."
        echo "offsets.topic.replication.factor=1"
        echo "offsets.topic.num.partitions=1"
        echo "transaction.state.log.replication.factor=1"
        echo "transaction.state.log.min.isr=1"
        echo "transaction.state.log.num.partitions=1"
        echo "share.coordinator.state.topic.replication.factor=1"
        echo "share.coordinator.state.topic.min.isr=1"
        echo "share.coordinator.state.topic.num.partitions=1"
        echo "# Consumer groups form at once instead of after the default 3 s delay."
        echo "group.initial.rebalance.delay.ms=0"
        for prop in "${EXTRA_PROPS[@]+"${EXTRA_PROPS[@]}"}"; do
            echo "$prop"
        done
    } >"$data_dir/server.properties"
}

# Ports, properties and the one-time storage format; sets CLASSPATH_GLOB and CMD.
prepare() {
    local data_dir="$1" libs cluster_id
    libs="$(cmd_fetch)"
    CLASSPATH_GLOB="$libs/*"
    choose_ports "$data_dir"
    write_properties "$data_dir"
    if [[ ! -s "$data_dir/cluster.id" ]]; then
        new_cluster_id >"$data_dir/cluster.id"
    fi
    cluster_id="$(cat "$data_dir/cluster.id")"
    if [[ ! -f "$data_dir/data/meta.properties" ]]; then
        # A one-shot tool: the quick-start JIT and GC halve its ~2 s.
        if ! "$JAVA_BIN" -Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
            "-Dlog4j2.configurationFile=$LOG4J_CONFIG" \
            -cp "$CLASSPATH_GLOB" kafka.tools.StorageTool format \
            -t "$cluster_id" -c "$data_dir/server.properties" --ignore-formatted \
            >"$data_dir/format.log" 2>&1; then
            log_tail "$data_dir/format.log"
            die "formatting the KRaft storage in $data_dir/data failed"
        fi
    fi
    CMD=("$JAVA_BIN" "${HEAP_OPTS[@]}" "${JVM_OPTS[@]+"${JVM_OPTS[@]}"}"
        -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true
        "-Dlog4j2.configurationFile=$LOG4J_CONFIG"
        -cp "$CLASSPATH_GLOB" "$MAIN_CLASS" "$data_dir/server.properties")
    echo "$HOST:$PORT" >"$data_dir/bootstrap"
}

# ---------------------------------------------------------------- commands

cmd_run() {
    local data_dir
    [[ $# -ge 1 ]] || usage
    data_dir="$(abs_dir "$1")"
    shift
    parse_opts "$@"
    if running_pid "$data_dir" >/dev/null; then
        die "a broker started by kafka.sh is already running in $data_dir"
    fi
    prepare "$data_dir"
    echo "kafka.sh: broker on $HOST:$PORT (controller $HOST:$CONTROLLER_PORT), data in $data_dir" >&2
    exec "${CMD[@]}"
}

# Waits for the broker's port and its "started" log line; 0 ready, 1 died, 2 timed out.
wait_ready() {
    local pid="$1" log="$2" deadline=$((SECONDS + TIMEOUT))
    while ((SECONDS < deadline)); do
        if ! kill -0 "$pid" 2>/dev/null; then
            return 1
        fi
        if grep -q "Kafka Server started" "$log" 2>/dev/null && accepts_connections "$PORT"; then
            return 0
        fi
        sleep 0.2
    done
    return 2
}

cmd_start() {
    local data_dir pid status
    [[ $# -ge 1 ]] || usage
    data_dir="$(abs_dir "$1")"
    shift
    parse_opts "$@"
    if pid="$(running_pid "$data_dir")"; then
        die "a broker started by kafka.sh is already running in $data_dir (pid $pid)"
    fi
    for _ in 1 2 3; do
        prepare "$data_dir"
        # Background jobs of a script ignore SIGINT, so the broker outlives a
        # Ctrl-C in the shell that started it; `stop` ends it.
        nohup "${CMD[@]}" >"$data_dir/kafka.log" 2>&1 </dev/null &
        pid=$!
        echo "$pid" >"$data_dir/kafka.pid"
        status=0
        wait_ready "$pid" "$data_dir/kafka.log" || status=$?
        if ((status == 0)); then
            echo "$HOST:$PORT"
            return 0
        fi
        if ((status == 2)); then
            log_tail "$data_dir/kafka.log"
            kill -KILL "$pid" 2>/dev/null || true
            rm -f "$data_dir/kafka.pid"
            die "the broker did not serve on $HOST:$PORT within ${TIMEOUT}s"
        fi
        rm -f "$data_dir/kafka.pid"
        # Another process took a port between our pick and the JVM's bind: pick again.
        if ((PORTS_CHOSEN_BY_US)) && grep -q "Address already in use" "$data_dir/kafka.log"; then
            echo "kafka.sh: port taken meanwhile, retrying with new ports" >&2
            PORT="" CONTROLLER_PORT="" PORTS_CHOSEN_BY_US=0
            rm -f "$data_dir/ports"
            continue
        fi
        break
    done
    log_tail "$data_dir/kafka.log"
    die "the broker exited during start-up (log: $data_dir/kafka.log)"
}

cmd_stop() {
    local data_dir pid waited=0 timeout=30
    [[ $# -ge 1 ]] || usage
    if [[ ! -d "$1" ]]; then
        echo "kafka.sh: no broker of ours is running in $1" >&2
        return 0
    fi
    data_dir="$(cd "$1" && pwd)"
    shift
    while [[ $# -gt 0 ]]; do
        case "$1" in
        --timeout) timeout="${2:?--timeout needs a value}"; shift 2 ;;
        *) die "unknown option: $1" ;;
        esac
    done
    if ! pid="$(running_pid "$data_dir")"; then
        # No pid file, a dead pid, or a pid now used by another program: touch nothing.
        rm -f "$data_dir/kafka.pid"
        echo "kafka.sh: no broker of ours is running in $data_dir" >&2
        return 0
    fi
    kill -TERM "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null && ((waited < timeout * 10)); do
        sleep 0.1
        waited=$((waited + 1))
    done
    if kill -0 "$pid" 2>/dev/null; then
        echo "kafka.sh: broker $pid ignored SIGTERM for ${timeout}s; killing it" >&2
        kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$data_dir/kafka.pid"
}

cmd_status() {
    local data_dir
    [[ $# -ge 1 ]] || usage
    [[ -d "$1" ]] || die "no broker of ours is running in $1"
    data_dir="$(cd "$1" && pwd)"
    if running_pid "$data_dir" >/dev/null && [[ -f "$data_dir/bootstrap" ]]; then
        cat "$data_dir/bootstrap"
        return 0
    fi
    echo "kafka.sh: no broker of ours is running in $data_dir" >&2
    return 1
}

case "${1:-}" in
fetch) shift; cmd_fetch "$@" ;;
start) shift; cmd_start "$@" ;;
run) shift; cmd_run "$@" ;;
stop) shift; cmd_stop "$@" ;;
status) shift; cmd_status "$@" ;;
-h | --help | help) usage 0 ;;
*) usage ;;
esac
