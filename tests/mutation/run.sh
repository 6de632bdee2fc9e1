#!/usr/bin/env bash
# Mutation check (not part of `dotnet test`): applies each mutant of tests/mutation/mutants.py, one at a time, to a
# copy of the repository, runs the test suite there, and reports each mutant killed (some test failed) or survived
# (every test passed: the suite cannot see that bug). The working tree is never modified.
#
#   bash tests/mutation/run.sh                 # every mutant, the relevant part of the suite, 2-4 minutes each
#   bash tests/mutation/run.sh ftz-off         # some mutants
#   SUITE_FILTER= bash tests/mutation/run.sh   # the whole suite (dotnet test), process and packaging tests included
#   SUITE_FILTER="--filter-namespace LaxScan.Tests.Numerics" bash tests/mutation/run.sh tanh-coefficient
#
# The relevant part (the default SUITE_FILTER) is every test namespace but four: Reliability, Determinism and
# Packaging, which start child processes (signals, JIT settings, dotnet pack) and compare LaxScan with itself in another
# process, so no numerical mutant can fail them, and they are the slow ones; and Io (file formats, fuzzing), which
# runs no arithmetic. (An explicit list of namespaces missed the
# nested ones: --filter-namespace matches one namespace exactly, so Kernels, Threading and Linen.Recurrent were out.)
#
# First the unmutated copy must pass (else a failure would be credited to a mutant). A mutant marked equivalent in
# mutants.py (no input can observe it) is expected to survive and does not fail the check; if it is killed, its
# reason is wrong and the check fails. The first failing test of each mutant (every one with FULL_KILL_LIST=1) is listed in the logs' killed-by.txt.
# Exit 0 when every other mutant is killed, 1 when one survives, 3 when a mutant's pattern is gone from the code
# (update mutants.py).
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
names=("$@")
relevant=""
for ns in LaxScan.Tests.Reliability LaxScan.Tests.Determinism LaxScan.Tests.Packaging LaxScan.Tests.Io; do
  relevant="$relevant --filter-not-namespace $ns"
done
# A mutant is killed by its first failing test: stop there (about 55 minutes for every mutant on a loaded 2-core
# machine instead of 2.5 hours). The logs then name that one test; FULL_KILL_LIST=1 runs every test of every mutant.
[ "${FULL_KILL_LIST:-0}" = 1 ] || relevant="$relevant --stop-on-fail on"
SUITE_FILTER="${SUITE_FILTER-$relevant}"
mapfile -t equivalent < <(python3 "$here/mutants.py" equivalent)
if [ ${#names[@]} -eq 0 ]; then
  mapfile -t names < <(python3 "$here/mutants.py" list | cut -f1)
fi
work="$(mktemp -d "${TMPDIR:-/tmp}/laxscan-mutation.XXXXXX")"
# The copy goes when the script ends; the logs stay, for the failing tests' names.
trap 'rm -rf "$work/repo" "$work/pristine"; echo "mutation: logs in $work"' EXIT
copy="$work/repo"
mkdir -p "$copy"
# Tracked and new (not ignored) files only: no build outputs, so the copy builds from scratch once.
(cd "$repo" && git ls-files -z --cached --others --exclude-standard | xargs -0 -I{} cp --parents {} "$copy")
pristine="$work/pristine"
cp -r "$copy/src" "$pristine"

run_suite() {  # $1: log file. Returns the test command's exit code.
  # The test project only (it builds LaxScan and the CLI): the benchmarks cannot kill a mutant.
  (cd "$copy" && dotnet build tests/LaxScan.Tests -c Debug >"$1.build" 2>&1) || { cat "$1.build" >"$1"; return 99; }
  # shellcheck disable=SC2086
  (cd "$copy/tests/LaxScan.Tests" && dotnet test --no-build ${SUITE_FILTER:+-- $SUITE_FILTER}) >"$1" 2>&1
}

echo "mutation: tests: ${SUITE_FILTER:-the whole suite}"
echo "mutation: baseline (no mutant) ..."
if ! run_suite "$work/baseline.log"; then
  echo "mutation: the unmutated suite fails; fix that first:" >&2
  grep -E -A8 '^failed ' "$work/baseline.log" | head -40 >&2
  exit 1
fi

killed=0
survived=()
equivalent_survived=()
equivalent_killed=()
: >"$work/killed-by.txt"
for name in "${names[@]}"; do
  rm -rf "$copy/src" && cp -r "$pristine" "$copy/src"
  python3 "$here/mutants.py" apply "$name" "$copy" || exit 3
  log="$work/$name.log"
  run_suite "$log"
  code=$?
  is_equivalent=0
  for e in "${equivalent[@]}"; do [ "$e" = "$name" ] && is_equivalent=1; done
  if [ $code -eq 99 ]; then
    echo "mutation: $name does not build; fix the mutant:" >&2
    grep -E ' error ' "$log" | head -5 >&2
    exit 3
  elif [ $code -ne 0 ]; then
    n=$(grep -c '^failed ' "$log")
    { echo "$name: $n failing tests"; grep '^failed ' "$log" | sed 's/^failed /    /; s/ ([0-9.]*[a-z]*)$//' | sort -u; } >>"$work/killed-by.txt"
    if [ $is_equivalent -eq 1 ]; then
      equivalent_killed+=("$name")
      echo "mutation: $name KILLED by $n failing tests, but it is marked equivalent: its reason in mutants.py is wrong"
    else
      killed=$((killed + 1))
      echo "mutation: $name KILLED by $n failing tests, such as:"
    fi
    grep '^failed ' "$log" | head -3 | sed 's/^/    /'
  elif [ $is_equivalent -eq 1 ]; then
    equivalent_survived+=("$name")
    echo "mutation: $name survived, as expected of an equivalent mutant"
  else
    survived+=("$name")
    echo "mutation: $name SURVIVED: every test passed"
  fi
done
must=$(( ${#names[@]} - ${#equivalent_survived[@]} - ${#equivalent_killed[@]} ))
echo "mutation: $killed/$must mutants killed${survived[*]:+; survived: ${survived[*]}}"
[ ${#equivalent_survived[@]} -eq 0 ] || echo "mutation: equivalent (expected to survive, survived): ${equivalent_survived[*]}"
[ ${#equivalent_killed[@]} -eq 0 ] || echo "mutation: marked equivalent but KILLED (fix mutants.py): ${equivalent_killed[*]}"
[ ${#survived[@]} -eq 0 ] && [ ${#equivalent_killed[@]} -eq 0 ]
