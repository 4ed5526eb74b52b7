#!/usr/bin/env bash
# Builds the release tarball the Ansible roles install: target/dist/terrace-<release>.tar.gz with
#   terrace-<release>/bin/terrace   the launcher (same JVM flags as ./terrace)
#   terrace-<release>/lib/*.jar     the cli jar and every runtime dependency
#   terrace-<release>/RELEASE       the release name
# <release> is the project version and the git commit (plus a hash of uncommitted changes), so
# two different builds never share a name: a host keeps each release in its own directory and a
# service restarts only when it is pointed at another one.
# Prints the tarball's path on stdout and names it in target/dist/LATEST. --skip-build packs what the last `mvn package` left.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

build=1
for arg in "$@"; do
  case "$arg" in
    --skip-build) build=0 ;;
    *) echo "dist: unknown argument $arg (usage: scripts/dist.sh [--skip-build])" >&2; exit 2 ;;
  esac
done

version="$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' pom.xml | head -1)"
[ -n "$version" ] || { echo "dist: no <version> in pom.xml" >&2; exit 1; }
release="terrace-$version"
if git rev-parse --git-dir >/dev/null 2>&1; then
  release="$release-g$(git rev-parse --short=10 HEAD)"
  changes="$(git status --porcelain --untracked-files=no)"
  if [ -n "$changes" ]; then
    release="$release-dirty$(git diff HEAD | sha1sum | cut -c1-8)"
  fi
fi

if [ "$build" = 1 ]; then
  log="$(mktemp)"
  if ! mvn -q -B -ntp -Dstyle.color=never -DskipTests package >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    echo "dist: build failed" >&2
    exit 1
  fi
  rm -f "$log"
fi
jar="$root/cli/target/terrace-cli.jar"
[ -f "$jar" ] || { echo "dist: $jar is missing: run without --skip-build" >&2; exit 1; }

out="$root/target/dist"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
dir="$stage/$release"
mkdir -p "$dir/bin" "$dir/lib" "$out"
cp "$jar" "$root"/cli/target/lib/*.jar "$dir/lib/"
echo "$release" >"$dir/RELEASE"
cat >"$dir/bin/terrace" <<'EOF'
#!/bin/sh
# The terrace command of an installed release: java with lib/*; TERRACE_JAVA_OPTS adds JVM flags
# (heap size, say). JAVA names the java binary (default: java on PATH).
set -eu
bin="$(dirname "$(readlink -f "$0")")"
lib="$bin/../lib"
# On a 2-core host the JDK's common pool has one thread, and CompletableFuture then starts a new
# thread for every async step (the JDK HTTP client takes one per response): give it two.
# shellcheck disable=SC2086 # TERRACE_JAVA_OPTS is a list of flags
exec "${JAVA:-java}" -Djava.util.concurrent.ForkJoinPool.common.parallelism=2 ${TERRACE_JAVA_OPTS:-} \
  -cp "$lib/terrace-cli.jar:$lib/*" dev.terrace.cli.Terrace "$@"
EOF
chmod 0755 "$dir/bin/terrace"
tarball="$out/$release.tar.gz"
tar --sort=name --owner=0 --group=0 --numeric-owner -C "$stage" -czf "$tarball.tmp" "$release"
mv "$tarball.tmp" "$tarball"
# Keep this tarball and the one before it (each is tens of MB).
ls -t "$out"/terrace-*.tar.gz | tail -n +3 | xargs -r rm -f
# The roles install the release LATEST names unless told another (terrace_release_tarball).
echo "$release.tar.gz" >"$out/LATEST"
echo "$tarball"
