/**
 * The node API: the one contract between clone-service and the node agent (docs/node-agent.md). Both sides
 * bind these records with {@link io.pureboot.clone.nodeapi.NodeApiJson#mapper()} rules: snake_case, unknown
 * properties refused. Bean Validation annotations state what clone-service accepts from a node (it answers 400
 * naming the field); compact constructors state what holds for every instance on both sides.
 */
package io.pureboot.clone.nodeapi;
