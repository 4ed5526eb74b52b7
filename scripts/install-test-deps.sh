#!/usr/bin/env bash
# Installs the host packages the build and the tests use: OCI runtimes (crun, runc), the C compiler
# that builds the agent's container monitor (gcc, libc6-dev), the fallback monitor (conmon), a
# registry for image pulls (docker-registry), a static busybox that the test fixtures build their
# image from (busybox-static), a headless browser and its WebDriver for the web UI
# tests (chromium, chromium-driver), the CNI plugins and iptables for bridge networking, Ansible
# and ansible-lint for the deployment test, plus Java and Maven when missing. Debian/Ubuntu, as root.
set -euo pipefail
pkgs=()
command -v crun >/dev/null 2>&1 || pkgs+=(crun)
command -v runc >/dev/null 2>&1 || pkgs+=(runc)
command -v conmon >/dev/null 2>&1 || pkgs+=(conmon)
# The build compiles the agent's container monitor (agent/src/main/c) into a static binary.
command -v gcc >/dev/null 2>&1 || pkgs+=(gcc)
dpkg-query -W -f='${Status}' libc6-dev 2>/dev/null | grep -q 'ok installed' || pkgs+=(libc6-dev)
command -v docker-registry >/dev/null 2>&1 || pkgs+=(docker-registry)
# The image fixture copies /usr/bin/busybox into a rootfs without libraries: it must be static
# (Debian's plain "busybox" package is dynamic and conflicts with busybox-static).
dpkg-query -W -f='${Status}' busybox-static 2>/dev/null | grep -q 'ok installed' \
  || pkgs+=(busybox-static)
# WebUiTest drives the master's web UI in a real headless browser, through chromedriver.
command -v chromium >/dev/null 2>&1 || pkgs+=(chromium)
command -v chromedriver >/dev/null 2>&1 || pkgs+=(chromium-driver)
# NotebooksLinuxTest runs Debian's real Jupyter server as a notebook task.
command -v jupyter-notebook >/dev/null 2>&1 || pkgs+=(jupyter-notebook)
# The TLS tests make their own CA and certificates with the openssl CLI.
command -v openssl >/dev/null 2>&1 || pkgs+=(openssl)
# Bridge networking drives the standard CNI plugins (bridge, host-local, portmap); portmap and
# the multi-host harness need iptables.
[ -x /usr/lib/cni/bridge ] || pkgs+=(containernetworking-plugins)
command -v iptables >/dev/null 2>&1 || pkgs+=(iptables)
# The Ansible test (ansible/tests/converge.sh): the linter, the apt module's bindings, and
# systemd-analyze to verify the units the roles render.
command -v ansible-playbook >/dev/null 2>&1 || pkgs+=(ansible)
command -v ansible-lint >/dev/null 2>&1 || pkgs+=(ansible-lint)
/usr/bin/python3 -c 'import apt' 2>/dev/null || pkgs+=(python3-apt)
command -v systemd-analyze >/dev/null 2>&1 || pkgs+=(systemd)
command -v curl >/dev/null 2>&1 || pkgs+=(curl)
command -v mvn >/dev/null 2>&1 || pkgs+=(maven)
command -v javac >/dev/null 2>&1 || pkgs+=(openjdk-17-jdk-headless)
if [ ${#pkgs[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "install-test-deps: need root to install: ${pkgs[*]}" >&2
    exit 1
  fi
  echo "install-test-deps: installing ${pkgs[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${pkgs[@]}"
fi
