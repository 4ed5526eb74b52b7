#!/usr/bin/env bash
# The whole test suite, after installing what it needs (crun, runc, conmon; root on Debian).
# Tests tagged "linux" (real containers, cgroups, mounts) need root; as another user they skip
# themselves with a message.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-test-deps.sh
mvn -B -ntp test "$@"
# The whole suite (no arguments) also deploys a cluster with the Ansible roles and checks it.
if [ $# -eq 0 ]; then
  ./ansible/tests/converge.sh
fi
