// Validates Kubernetes resources against the JSON schemas that the kubernetes-models packages ship (the Kubernetes
// API's own OpenAPI definitions; ServiceMonitor and PrometheusRule from prometheus-operator's CRDs): types, enums,
// required fields. Offline: the schemas are inside the installed packages. Reads a JSON array of resources on
// standard input (deploy/check.sh renders deploy/k8s and passes it); prints one line per resource, exits 1 when any
// is invalid or of a kind it has no schema for.
// The schemas allow fields they do not define, so a misspelt optional field is not caught here.
import { readFileSync } from "node:fs";

const resources = JSON.parse(readFileSync(0, "utf8"));
let bad = 0;
for (const resource of resources) {
  const { apiVersion, kind } = resource;
  const name = `${kind}/${resource.metadata?.name}`;
  const module = apiVersion.startsWith("monitoring.coreos.com/")
    ? `@kubernetes-models/prometheus-operator/${apiVersion}/${kind}`
    : `kubernetes-models/${apiVersion}/${kind}`;
  let Model;
  try {
    Model = (await import(module))[kind];
  } catch (e) {
    Model = undefined;
  }
  if (!Model) {
    console.log(`  ${name}: no schema for ${apiVersion} ${kind}`);
    bad++;
    continue;
  }
  try {
    new Model(resource).validate();
    console.log(`  ${name} (${apiVersion}): valid`);
  } catch (e) {
    console.log(`  ${name} (${apiVersion}): INVALID: ${e.message}`);
    bad++;
  }
}
console.log(`  ${resources.length} resources, ${bad} invalid`);
process.exit(bad ? 1 : 0);
