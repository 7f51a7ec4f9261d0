#!/usr/bin/env bash
# Onboards a municipality into Socom Oy through the running API, step by step, with the fuusio CLI:
# launch, board decision, signed subscription, payment in two parts, then the register.
# Usage: FUUSIO_TOKEN=<admin token> infra/dev/scripted-onboarding.sh [applicantBusinessId] [name]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

company=9100060-3            # Socom Oy (demo identifier)
applicant=${1:-9400031-8}    # Loviisa (demo identifier)
name=${2:-Loviisa}
id="onboarding:${company}:${applicant}"
fuusio() { node dist/apps/cli/main.js "$@"; }

wait_for_stage() {
  for _ in $(seq 100); do
    stage=$(fuusio show "$id" --json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const v=JSON.parse(s);console.log(v.status==="running"?v.stage:v.status)})')
    [ "$stage" = "$1" ] && return 0
    sleep 0.3
  done
  echo "timed out waiting for stage $1 (at $stage)" >&2
  return 1
}

fuusio launch onboarding --json-body "{\"company\":\"$company\",\"applicant\":{\"name\":\"$name\",\"businessId\":\"$applicant\",\"kind\":\"municipality\"},\"shares\":12,\"pricePerShareCents\":10000}"
wait_for_stage board
fuusio decide "$id" --gate board --party "$company" --approve --reference 'Hallitus 7/2026 § 3' --comment 'welcome'
wait_for_stage subscription
fuusio event "$id" --type subscription.signed --idempotency-key "$id:signed"
wait_for_stage payment
fuusio event "$id" --type payment.received --payload '{"amountCents":70000,"currency":"EUR"}' --idempotency-key "$id:pay-1"
fuusio event "$id" --type payment.received --payload '{"amountCents":50000,"currency":"EUR"}' --idempotency-key "$id:pay-2"
wait_for_stage completed
fuusio show "$id"
fuusio shareholders "$company" | tail -n 6
