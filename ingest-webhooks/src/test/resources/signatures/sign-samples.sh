#!/usr/bin/env bash
# Regenerates the *.sig files here, for the MrSpeedy callback samples of carrier-samples that the tests send with a
# committed signature, one per test account, with openssl, independently of Trackline's code. The secrets are fake,
# for tests only (see Fixtures, MrSpeedyWebhookIT).
set -euo pipefail
cd "$(dirname "$0")"
samples=../../../../../carrier-samples/src/main/resources/io/trackline/samples
for sample in mrspeedy-callback-thai mrspeedy-callback-thai-compact mrspeedy-callback-unknown-fields; do
  body=$samples/$sample.json
  for pair in acme:test-secret-acme-not-real acme-previous:test-previous-secret-acme-not-real; do
    name=${pair%%:*} secret=${pair#*:}
    openssl dgst -sha256 -hmac "$secret" <"$body" | awk '{print $NF}' >"$sample.json.$name.sig"
  done
done
