package dev.atrium.messagecenter.web;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import org.springframework.context.annotation.Configuration;

/** The OpenAPI description, served at /v3/api-docs. */
@Configuration
@OpenAPIDefinition(
    info = @Info(title = "Atrium message center", version = "v1",
        description = "Conversations, announcements, business to-dos and unread counts of one tenant. Errors are"
            + " RFC 9457 problem details (application/problem+json). Real-time push: WebSocket at /api/v1/stream."),
    security = @SecurityRequirement(name = "bearer"))
@SecurityScheme(name = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "JWT",
    description = "An access token from the tenant's identity service. Claim principal_type is \"user\" for"
        + " people and \"app\" for integrated apps (client credentials).")
public class OpenApiConfiguration {
}
