#!/usr/bin/env bash
# The Ansible test: lint, syntax, a real converge of site.yml on this machine, a task run through
# the converged cluster, a second converge that must change nothing, the systemd units the same
# roles render checked with systemd-analyze, and a teardown that must leave nothing behind.
#
# Everything lives under a fresh temp prefix with free loopback ports (ZooKeeper, master, agent,
# registry in one host, connection local, services under the roles' "supervise" manager since
# this machine has no systemd), so it never collides with a cluster or test running beside it.
# It ends with "ansible: N passed, N failed". Needs root, ansible, ansible-lint, Java, runc.
# TERRACE_ANSIBLE_KEEP=1 keeps the prefix for a look after a failure.
set -euo pipefail
ansible_dir="$(cd "$(dirname "$0")/.." && pwd)"
root="$(dirname "$ansible_dir")"
cd "$ansible_dir"

passed=0
failed=0
prefix="$(mktemp -d /tmp/terrace-ansible.XXXXXX)"
# Services that run as their own users (the registry) must reach their files below it.
chmod 0755 "$prefix"
logs="$prefix/logs"
mkdir -p "$logs"
export ANSIBLE_CONFIG="$ansible_dir/ansible.cfg"
export ANSIBLE_NOCOLOR=1 ANSIBLE_FORCE_COLOR=0 ANSIBLE_LOCAL_TEMP="$prefix/ansible-tmp"
export ANSIBLE_HOME="$prefix/ansible-home"

summary() { echo "ansible: $passed passed, $failed failed"; }

# Best effort, on any exit: stop what the converge started, by the pidfiles it wrote and then by
# the process ids whose command line names this prefix; undo mounts below it; remove it.
cleanup() {
  local rc=$?
  set +e
  stop_services >/dev/null 2>&1
  for pid in $(pgrep -f -- "$prefix"); do
    [ "$pid" = "$$" ] || kill -KILL "$pid" 2>/dev/null
  done
  for m in $(awk -v p="$prefix/" 'index($5, p) == 1 {print $5}' /proc/self/mountinfo | sort -r); do
    umount -l "$m"
  done
  if [ "${TERRACE_ANSIBLE_KEEP:-0}" = 1 ]; then
    echo "converge: kept $prefix" >&2
  else
    rm -rf "$prefix"
  fi
  exit "$rc"
}
trap cleanup EXIT

stop_services() {
  local conf
  for conf in "$prefix"/etc/terrace/supervise/*.conf; do
    [ -f "$conf" ] && "$prefix/opt/terrace/terrace-supervise" stop "$conf"
  done
  return 0
}

fail() {
  echo "converge: FAILED: $*" >&2
  failed=$((failed + 1))
  summary
  exit 1
}

# step NAME COMMAND...: runs COMMAND (a program bounded to 10 minutes, or a function of this
# script) with its output in logs/NAME.log.
step() {
  local name="$1"
  shift
  local t0=$SECONDS
  local bound=(timeout 600)
  ! declare -F "$1" >/dev/null || bound=()
  if "${bound[@]}" "$@" >"$logs/$name.log" 2>&1; then
    passed=$((passed + 1))
    echo "converge: ok   $name ($((SECONDS - t0)) s)"
  else
    tail -n 60 "$logs/$name.log" >&2
    fail "$name (log above)"
  fi
}

[ "$(id -u)" = 0 ] || { echo "converge: needs root (it runs containers)"; summary; exit 1; }
for tool in ansible-playbook ansible-lint java runc; do
  command -v "$tool" >/dev/null || fail "$tool is not installed (scripts/install-test-deps.sh installs it)"
done

# Lint and syntax, with the example inventory (its vault decrypts with its example password).
vault=(--vault-password-file inventories/example/vault-password.txt)
step lint ansible-lint --offline --nocolor
for playbook in site.yml upgrade.yml; do
  step "syntax-$playbook" ansible-playbook --syntax-check -i inventories/example "${vault[@]}" "$playbook"
done
step example-vault ansible -i inventories/example "${vault[@]}" node1.example.com -m ansible.builtin.debug \
  -a "msg={{ terrace_agent_registry_auths['registry.vendor.example'].password }}"
grep -q example-vendor-token "$logs/example-vault.log" || fail "example-vault: the vault secret did not decrypt"

# The release, as an operator builds it.
step dist "$root/scripts/dist.sh"
tarball="$(tail -n 1 "$logs/dist.log")"
[ -f "$tarball" ] || fail "dist: no tarball ($tarball)"

# Free loopback ports (bound and released: another process could take one in between, which
# fails the converge loudly rather than colliding silently).
read -r zk_port master_port agent_port registry_port task_ports <<<"$(python3 -c '
import socket
socks = [socket.socket() for _ in range(5)]
for s in socks: s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in socks))')"

cat >"$prefix/inventory.yml" <<EOF
all:
  vars:
    ansible_connection: local
    ansible_python_interpreter: /usr/bin/python3
    terrace_service_manager: supervise
    terrace_release_tarball: $tarball
    terrace_install_dir: $prefix/opt/terrace
    terrace_config_dir: $prefix/etc/terrace
    terrace_data_dir: $prefix/var/lib/terrace
    terrace_log_dir: $prefix/var/log/terrace
    terrace_cli_link: ""
    terrace_user: root
    terrace_group: root
    terrace_create_user: false
    # The packages are installed already (scripts/install-test-deps.sh): apt finds them present
    # without refreshing its lists from the network.
    terrace_apt_cache_valid_time: 31536000
    zookeeper_client_port: $zk_port
    zookeeper_client_address: 127.0.0.1
    zookeeper_heap: 128m
    zookeeper_limit_nofile: 16384
    terrace_master_port: $master_port
    terrace_master_ip: 127.0.0.1
    terrace_master_heap: 256m
    terrace_master_limit_nofile: 16384
    terrace_agent_port: $agent_port
    terrace_agent_ip: 127.0.0.1
    terrace_agent_heap: 256m
    terrace_agent_limit_nofile: 16384
    terrace_agent_resources: "cpus:1;mem:512;disk:1024;ports:[$task_ports-$task_ports]"
    terrace_agent_attributes: {test: converge}
    terrace_agent_mount_missing_cgroups: false
    terrace_upgrade_drain_grace_seconds: 5
    terrace_agent_cni_networks:
      converge:
        plugins:
          - {type: bridge, bridge: tcv$$, ipam: {type: host-local, subnet: 10.239.0.0/24}}
    registry_address: 127.0.0.1
    registry_port: $registry_port
    registry_limit_nofile: 16384
  hosts:
    testnode:
      ansible_host: 127.0.0.1
  children:
    zookeeper: {hosts: {testnode: }}
    masters: {hosts: {testnode: }}
    agents: {hosts: {testnode: }}
    registry: {hosts: {testnode: }}
EOF
inventory=(-i "$prefix/inventory.yml")

# No changed host may be reported by the second converge.
recap_unchanged() {
  grep -A5 '^PLAY RECAP' "$1" | grep -E 'ok=' | grep -vE 'changed=0 .*failed=0' && return 1
  grep -q '^PLAY RECAP' "$1"
}

step converge ansible-playbook "${inventory[@]}" site.yml

terrace="$prefix/opt/terrace/current/bin/terrace"
step run-task "$terrace" run --master "zk://127.0.0.1:$zk_port/terrace" --timeout-seconds 120 \
  -- sh -c 'echo converged-cluster-ok; hostname'
grep -q converged-cluster-ok "$logs/run-task.log" || fail "run-task: no output from the task"
step registry curl -fsS "http://127.0.0.1:$registry_port/v2/"
# The agent's CNI flags: the role's network and the agent's own "terrace" network in its dir.
cni="$prefix/etc/terrace/cni"
step cni-networks python3 -c 'import json, sys; [json.load(open(f)) for f in sys.argv[1:]]' \
  "$cni/converge.conflist" "$cni/terrace.conflist"

step idempotence ansible-playbook "${inventory[@]}" site.yml
recap_unchanged "$logs/idempotence.log" || { grep -B3 -E '^changed:' "$logs/idempotence.log" >&2; fail "idempotence: the second converge changed something"; }
passed=$((passed + 1))
echo "converge: ok   idempotence-recap (changed=0)"

# Bad input: an invalid member id stops the run with a clear message and changes nothing.
if timeout 600 ansible-playbook "${inventory[@]}" site.yml -e zookeeper_id=300 >"$logs/bad-input.log" 2>&1; then
  fail "bad-input: a converge with zookeeper_id=300 succeeded"
fi
grep -q 'zookeeper_id must be 1-255' "$logs/bad-input.log" || { tail -n 30 "$logs/bad-input.log" >&2; fail "bad-input: no clear message"; }
grep -A2 '^PLAY RECAP' "$logs/bad-input.log" | grep -q 'changed=0 ' || fail "bad-input: the failed run changed something"
passed=$((passed + 1))
echo "converge: ok   bad-input-refused"

# A changed flag restarts the service it belongs to, and nothing else.
pid_of() { cat "$prefix/var/log/terrace/$1.pid"; }
zk_pid="$(pid_of terrace-zookeeper)"
master_pid="$(pid_of terrace-master)"
agent_pid="$(pid_of terrace-agent)"
step one-change ansible-playbook "${inventory[@]}" site.yml -e terrace_master_offer_timeout=30
[ "$(pid_of terrace-master)" != "$master_pid" ] || fail "one-change: the master was not restarted"
[ "$(pid_of terrace-zookeeper)" = "$zk_pid" ] && [ "$(pid_of terrace-agent)" = "$agent_pid" ] \
  || fail "one-change: a service whose configuration did not change was restarted"
grep -q 'TERRACE_OFFER_TIMEOUT=30' "$prefix/etc/terrace/master.env" || fail "one-change: master.env lacks the flag"
passed=$((passed + 1))
echo "converge: ok   one-change-restarts-only-the-master"

# A rolling upgrade to another release (this one under another name) with a task running: the
# drain kills it, every service ends on the new release, the agent is reactivated.
release="$(basename "$tarball" .tar.gz)"
next="$release-next"
mkdir "$prefix/next"
tar -xzf "$tarball" -C "$prefix/next"
mv "$prefix/next/$release" "$prefix/next/$next"
echo "$next" >"$prefix/next/$next/RELEASE"
tar -czf "$prefix/$next.tar.gz" -C "$prefix/next" "$next"
"$terrace" run --master "zk://127.0.0.1:$zk_port/terrace" --timeout-seconds 120 -- sleep 600 \
  >"$logs/long-task.log" 2>&1 &
long_task=$!
running=0
for _ in $(seq 1 300); do
  grep -q TASK_RUNNING "$logs/long-task.log" && { running=1; break; }
  sleep 0.2
done
[ "$running" = 1 ] || { cat "$logs/long-task.log" >&2; fail "upgrade: the long task did not start"; }
step upgrade ansible-playbook "${inventory[@]}" upgrade.yml -e "terrace_release_tarball=$prefix/$next.tar.gz" \
  -e terrace_upgrade_agent_batch=1
long_rc=0
wait "$long_task" || long_rc=$?
grep -q TASK_KILLED "$logs/long-task.log" && [ "$long_rc" != 0 ] \
  || { cat "$logs/long-task.log" >&2; fail "upgrade: the drain did not kill the running task"; }
for conf in "$prefix"/etc/terrace/supervise/*.conf; do
  case "$conf" in *registry*) continue ;; esac
  grep -q "/releases/$next/bin/terrace" "$conf" || fail "upgrade: $conf does not run $next"
done
[ "$(pgrep -f -- "$prefix/opt/terrace/releases/$next/" | wc -l)" -ge 3 ] \
  || fail "upgrade: fewer than 3 processes run the new release: $(pgrep -af -- "$prefix/opt/terrace/releases/")"
passed=$((passed + 1))
echo "converge: ok   upgrade-drained-and-restarted"
step run-after-upgrade "$terrace" run --master "zk://127.0.0.1:$zk_port/terrace" --timeout-seconds 120 \
  -- sh -c 'echo upgraded-cluster-ok'
grep -q upgraded-cluster-ok "$logs/run-after-upgrade.log" || fail "run-after-upgrade: no output from the task"

# The systemd units the same roles install on real hosts, rendered from this inventory into the
# prefix, and checked by systemd's own parser: any warning fails.
mkdir -p "$prefix/systemd"
step systemd-units ansible-playbook "${inventory[@]}" site.yml --tags terrace_systemd_units \
  -e terrace_service_manager=systemd -e "terrace_systemd_unit_dir=$prefix/systemd" \
  -e terrace_service_restart_on_change=false
units=("$prefix"/systemd/*.service)
[ "${#units[@]}" = 4 ] || fail "systemd-units: expected 4 units, got ${units[*]}"
if command -v systemd-analyze >/dev/null; then
  step systemd-analyze systemd-analyze verify "${units[@]}"
  [ ! -s "$logs/systemd-analyze.log" ] || { cat "$logs/systemd-analyze.log" >&2; fail "systemd-analyze: warnings"; }
else
  echo "converge: skip systemd-analyze (not installed): the units were rendered, not verified"
fi

# The example inventory's 3-member ensemble, rendered for its control hosts into the prefix
# (connection local: nothing is contacted): each gets its own myid and every member in zoo.cfg.
step example-ensemble ansible-playbook -i inventories/example "${vault[@]}" site.yml --limit zookeeper \
  --tags zookeeper_config -e ansible_connection=local -e ansible_python_interpreter=/usr/bin/python3 \
  -e "terrace_config_dir=$prefix/example/{{ inventory_hostname }}/etc" \
  -e "terrace_data_dir=$prefix/example/{{ inventory_hostname }}/data" \
  -e terrace_user=root -e terrace_group=root -e terrace_service_restart_on_change=false
for i in 1 2 3; do
  host="$prefix/example/ctl$i.example.com"
  [ "$(cat "$host/data/zookeeper/myid")" = "$i" ] || fail "example-ensemble: ctl$i has myid $(cat "$host/data/zookeeper/myid")"
  [ "$(grep -cE '^server\.([123])=192\.0\.2\.1\1:2888:3888$' "$host/etc/zookeeper/zoo.cfg")" = 3 ] \
    || { cat "$host/etc/zookeeper/zoo.cfg" >&2; fail "example-ensemble: ctl$i's zoo.cfg does not list the 3 members"; }
done
passed=$((passed + 1))
echo "converge: ok   example-ensemble-config"

# Teardown: every service stops, and nothing of the cluster is left running or mounted.
step stop stop_services
sleep_until_gone() {
  local i
  for i in $(seq 1 50); do
    [ -z "$(pgrep -f -- "$prefix")" ] && return 0
    sleep 0.2
  done
  return 1
}
sleep_until_gone || fail "teardown: processes left: $(pgrep -af -- "$prefix")"
! awk -v p="$prefix/" 'index($5, p) == 1' /proc/self/mountinfo | grep -q . \
  || fail "teardown: mounts left under $prefix"
passed=$((passed + 1))
echo "converge: ok   teardown (no process, no mount left)"
summary
