#!/usr/bin/env bash
# Generates Strimzi's CRDs (Kafka, KafkaNodePool, KafkaTopic) with Strimzi's own crd-generator from
# Maven Central's io.strimzi:api classes, as Strimzi's build does (api/pom.xml, CrdGenerator), into
# k8s/check/.cache/strimzi-<version>/. Cached: a second run with the same versions does nothing.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
version=$(sed -n 's:.*<strimzi.version>\(.*\)</strimzi.version>.*:\1:p' "$here/strimzi/pom.xml")
generator=$(sed -n 's:.*<crd-generator.version>\(.*\)</crd-generator.version>.*:\1:p' "$here/strimzi/pom.xml")
out=$here/.cache/strimzi-$version-$generator
if [ -s "$out/kafkatopic.yaml" ]; then echo "$out"; exit 0; fi
mkdir -p "$out.tmp"
"$root/mvnw" -B -q -f "$here/strimzi/pom.xml" dependency:build-classpath -Dmdep.outputFile="$out.tmp/classpath" >&2
java -cp "$(cat "$out.tmp/classpath")" io.strimzi.crdgenerator.CrdGenerator \
  --crd-api-version v1 --api-versions v1beta2,v1 --storage-version v1beta2 --yaml \
  io.strimzi.api.kafka.model.kafka.Kafka="$out.tmp/kafka.yaml" \
  io.strimzi.api.kafka.model.nodepool.KafkaNodePool="$out.tmp/kafkanodepool.yaml" \
  io.strimzi.api.kafka.model.topic.KafkaTopic="$out.tmp/kafkatopic.yaml" 2> >(grep -v '^SLF4J' >&2)
rm -f "$out.tmp/classpath"
mv "$out.tmp" "$out"
echo "$out"
