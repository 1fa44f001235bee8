#!/usr/bin/env bash
# A three-node Docker Swarm on this machine, for the Swarm tests (issue 16).
#
#   scripts/swarm-cluster.sh up   [--name NAME] [--image IMAGE]... [--image-node N]...
#                                   start it, print its env file's path; images go to every node, or only to
#                                   the nodes named by --image-node (a 490 MB image loaded where no task runs
#                                   costs a minute)
#   scripts/swarm-cluster.sh down [--name NAME]                      remove everything `up` made
#   scripts/swarm-cluster.sh env  [--name NAME]                      print the env file (sockets, addresses)
#
# Each node is a dockerd of its own (data root, exec root, pidfile, socket under /tmp/composelet-swarm-NAME/nodeN)
# inside a network namespace of its own (NAME-n1..3). The nodes are joined by veth links to a bridge that lives in
# one more namespace (NAME-br): nothing is added to the host's network namespace, docker0 and the main engine are
# never touched, and iptables rules the nodes' engines write stay inside their namespaces. Node 1 runs `swarm init`
# (the only manager), nodes 2 and 3 join as workers. Images come from the main engine (`docker save | docker load`,
# no registry here). `down` stops the engines, unmounts what they left, deletes the namespaces (and with them the
# veth links and the bridge) and the directory. Needs root.
set -euo pipefail

command=${1:-}
shift || true
name=${SWARM_CLUSTER_NAME:-cls}
images=()
image_nodes=()
while [ $# -gt 0 ]; do
  case "$1" in
    --name) name=$2; shift 2 ;;
    --image) images+=("$2"); shift 2 ;;
    --image-node)
      [[ "$2" =~ ^[123]$ ]] || { echo "swarm-cluster: --image-node must be 1, 2 or 3 (got '$2')" >&2; exit 2; }
      image_nodes+=("$2"); shift 2 ;;
    *) echo "swarm-cluster: unknown argument $1" >&2; exit 2 ;;
  esac
done
if ! [[ "$name" =~ ^[a-z][a-z0-9]{0,7}$ ]]; then
  echo "swarm-cluster: --name must be 1-8 lower-case letters or digits, starting with a letter (got '$name')" >&2
  exit 2
fi

directory=/tmp/composelet-swarm-$name
bridge_namespace=$name-br
subnet_prefix=192.168.231
nodes=(1 2 3)

node_namespace() { echo "$name-n$1"; }
node_directory() { echo "$directory/node$1"; }
node_socket() { echo "$(node_directory "$1")/docker.sock"; }
node_address() { echo "$subnet_prefix.$((10 + $1))"; }
node_docker() { local node=$1; shift; docker --host "unix://$(node_socket "$node")" "$@"; }

wait_for_engine() {
  local node=$1
  for _ in $(seq 1 150); do
    if node_docker "$node" version --format '{{.Server.Version}}' >/dev/null 2>&1; then return 0; fi
    if ! kill -0 "$(cat "$(node_directory "$node")/dockerd.launcher.pid")" 2>/dev/null; then
      echo "swarm-cluster: the dockerd of node $node exited on start:" >&2
      tail -n 20 "$(node_directory "$node")/dockerd.log" >&2
      return 1
    fi
    sleep 0.2
  done
  echo "swarm-cluster: the dockerd of node $node did not answer within 30 s ($(node_directory "$node")/dockerd.log)" >&2
  return 1
}

network_up() {
  ip netns add "$bridge_namespace"
  ip -n "$bridge_namespace" link add swarm0 type bridge
  ip -n "$bridge_namespace" link set swarm0 up
  ip -n "$bridge_namespace" link set lo up
  for node in "${nodes[@]}"; do
    local namespace
    namespace=$(node_namespace "$node")
    ip netns add "$namespace"
    ip -n "$bridge_namespace" link add "node$node" type veth peer name eth0 netns "$namespace"
    ip -n "$bridge_namespace" link set "node$node" master swarm0 up
    ip -n "$namespace" link set lo up
    ip -n "$namespace" addr add "$(node_address "$node")/24" dev eth0
    ip -n "$namespace" link set eth0 up
  done
}

engine_up() {
  local node=$1 node_dir
  node_dir=$(node_directory "$node")
  mkdir -p "$node_dir/data" "$node_dir/exec"
  # The data root as a shared mount of its own (see bench/private-engine.ts: dockerd would bind it at each start).
  mount --bind "$node_dir/data" "$node_dir/data"
  mount --make-shared "$node_dir/data"
  # A UTS namespace of its own too, so that each node has its own host name (node.hostname in placements).
  setsid nsenter --net="/run/netns/$(node_namespace "$node")" -- \
    unshare --uts -- sh -c 'hostname "$1"; shift; exec "$@"' sh "$(node_namespace "$node")" \
    dockerd \
      --host "unix://$(node_socket "$node")" \
      --data-root "$node_dir/data" \
      --exec-root "$node_dir/exec" \
      --pidfile "$node_dir/docker.pid" \
      --bridge none \
      --default-address-pool base=10.232.0.0/16,size=24 \
      >"$node_dir/dockerd.log" 2>&1 </dev/null &
  echo $! >"$node_dir/dockerd.launcher.pid"
}

swarm_up() {
  node_docker 1 swarm init \
    --advertise-addr "$(node_address 1)" \
    --listen-addr "$(node_address 1):2377" \
    --default-addr-pool 10.233.0.0/16 \
    --task-history-limit 2 >/dev/null
  local token
  token=$(node_docker 1 swarm join-token --quiet worker)
  for node in 2 3; do
    node_docker "$node" swarm join --token "$token" \
      --advertise-addr "$(node_address "$node")" \
      --listen-addr "$(node_address "$node"):2377" \
      "$(node_address 1):2377" >/dev/null
  done
  for _ in $(seq 1 150); do
    if [ "$(node_docker 1 node ls --format '{{.Status}}' | grep -c Ready)" = 3 ]; then return 0; fi
    sleep 0.2
  done
  echo "swarm-cluster: the three nodes were not Ready within 30 s" >&2
  node_docker 1 node ls >&2
  return 1
}

load_images() {
  [ ${#images[@]} -eq 0 ] && return 0
  local archive=$directory/images.tar
  docker save --output "$archive" "${images[@]}"
  local loaders=()
  local targets=("${nodes[@]}")
  [ ${#image_nodes[@]} -gt 0 ] && targets=("${image_nodes[@]}")
  for node in "${targets[@]}"; do node_docker "$node" load --input "$archive" >/dev/null & loaders+=($!); done
  for loader in "${loaders[@]}"; do wait "$loader"; done
  rm -f "$archive"
}

write_env() {
  {
    echo "SWARM_CLUSTER_NAME=$name"
    echo "SWARM_CLUSTER_DIRECTORY=$directory"
    for node in "${nodes[@]}"; do
      echo "SWARM_NODE${node}_HOST=unix://$(node_socket "$node")"
      echo "SWARM_NODE${node}_ADDRESS=$(node_address "$node")"
      echo "SWARM_NODE${node}_NAMESPACE=$(node_namespace "$node")"
      echo "SWARM_NODE${node}_ID=$(node_docker "$node" info --format '{{.Swarm.NodeID}}')"
    done
  } >"$directory/env"
}

stop_engine() {
  local node=$1 pid_file pid
  pid_file=$(node_directory "$node")/dockerd.launcher.pid
  [ -f "$pid_file" ] || return 0
  pid=$(cat "$pid_file")
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 150); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.2
  done
  kill -KILL "$pid" 2>/dev/null || true
}

down() {
  if [ -d "$directory" ]; then
    local stoppers=()
    for node in "${nodes[@]}"; do stop_engine "$node" & stoppers+=($!); done
    for stopper in "${stoppers[@]}"; do wait "$stopper"; done
    # What the engines left mounted under the directory, deepest first.
    awk -v prefix="$directory/" 'index($5, prefix) == 1 { print $5 }' /proc/self/mountinfo | sort -r | while read -r mount_point; do
      umount "$mount_point" 2>/dev/null || umount --lazy "$mount_point" 2>/dev/null || true
    done
  fi
  for node in "${nodes[@]}"; do ip netns del "$(node_namespace "$node")" 2>/dev/null || true; done
  ip netns del "$bridge_namespace" 2>/dev/null || true
  rm -rf "$directory"
}

case "$command" in
  up)
    if [ "$(id -u)" != 0 ]; then echo "swarm-cluster: needs root (network namespaces, mounts, dockerd)" >&2; exit 1; fi
    if [ -e "$directory" ] || ip netns list | grep -q "^$bridge_namespace\b"; then
      echo "swarm-cluster: a cluster named $name exists already ($directory); run: $0 down --name $name" >&2
      exit 1
    fi
    trap 'echo "swarm-cluster: up failed, tearing down" >&2; down' ERR
    mkdir -p "$directory"
    network_up
    for node in "${nodes[@]}"; do engine_up "$node"; done
    for node in "${nodes[@]}"; do wait_for_engine "$node"; done
    swarm_up
    load_images
    write_env
    trap - ERR
    echo "$directory/env"
    ;;
  down) down ;;
  env) cat "$directory/env" ;;
  *) echo "usage: $0 up|down|env [--name NAME] [--image IMAGE]... [--image-node N]..." >&2; exit 2 ;;
esac
