#!/bin/bash
# Usage: bench/time_samples_build.sh TREE LABEL: a fresh samples build and a no-op of the checkout TREE, timed
# (compare two commits: `git worktree add /tmp/before <commit>`, then run it on both with this venv).
set -e
ROOT=$(cd "$(dirname "$0")/.." && pwd)  # this checkout: its venv and sample reports
TREE=$1; LABEL=$2; W=/tmp/m-$LABEL; rm -rf $W; mkdir -p $W/reports $W/home $W/warehouse
cp $ROOT/data/reports/*.txt $W/reports/
cp $TREE/orchestration/dagster.yaml $W/home/
export PYTHONPATH=$TREE DAGSTER_HOME=$W/home PROBATION_WAREHOUSE=$W/warehouse/probation.duckdb PROBATION_REPORTS_DIR=$W/reports PROBATION_FETCH=0 DBT_SEND_ANONYMOUS_USAGE_STATS=false DO_NOT_TRACK=1
cd $TREE
$ROOT/.venv/bin/python -m orchestration.instance > /dev/null
$ROOT/.venv/bin/python -m cli.dbt_manifest > /dev/null
for run in build noop; do
  s=$(date +%s.%N); $ROOT/.venv/bin/python -m cli.run > $W/$run.log 2>&1; rc=$?; e=$(date +%s.%N)
  echo "$LABEL $run $(echo "$e - $s" | bc | cut -c1-5)s rc=$rc"
done
