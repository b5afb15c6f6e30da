package io.pureboot.clone.storage.staging.rest;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

/**
 * Declares the internal endpoints' security scheme in the OpenAPI document. Not as a {@code @SecurityScheme}
 * annotation: SmallRye would then take it for the scheme of every {@code @RolesAllowed} operation, and the operator
 * endpoints would be documented as taking the service token instead of an operator's bearer token.
 */
public final class ServiceTokenScheme implements OASFilter {

    @Override
    public void filterOpenAPI(OpenAPI openApi) {
        if (openApi.getComponents() == null) {
            openApi.setComponents(OASFactory.createComponents());
        }
        openApi.getComponents().addSecurityScheme(InternalStagingResource.SERVICE_TOKEN, OASFactory.createSecurityScheme()
                .type(SecurityScheme.Type.HTTP).scheme("bearer")
                .description("The shared service token, pureboot.storage.internal-token"));
    }
}
