package io.pureboot.clone.controller.nodeapi.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pureboot.clone.nodeapi.NodeApiJson;
import jakarta.ws.rs.ext.ContextResolver;
import jakarta.ws.rs.ext.Provider;

/**
 * Binds the node API's bodies with the contract's strict mapper (an unknown property is a 400 naming it), exactly
 * as the agent binds the answers. Only node-API records: operator bodies, and storage-service's answers read by the
 * REST client, keep the lenient application mapper, because a client of those may be a newer console or service
 * that adds a property; agent and clone-service always ship together. (A global
 * {@code quarkus.jackson.fail-on-unknown-properties} would have made every one of those strict too.)
 */
@Provider
public class NodeApiJsonResolver implements ContextResolver<ObjectMapper> {

    /** The strict mapper for node-API records; null lets Quarkus use its own mapper for every other type. */
    @Override
    public ObjectMapper getContext(Class<?> type) {
        return NodeApiJson.isNodeApiType(type) ? NodeApiJson.mapper() : null;
    }
}
