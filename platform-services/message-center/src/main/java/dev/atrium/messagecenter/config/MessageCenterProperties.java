package dev.atrium.messagecenter.config;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The message center's own settings, under {@code atrium.message-center} (environment:
 * {@code ATRIUM_MESSAGE_CENTER_*}). Every one is documented in README.md of this module.
 *
 * @param maxRequestSize largest HTTP request body accepted; larger ones get 413
 * @param maxMessageLength largest message body, in characters
 * @param maxGroupMembers most members a group conversation may have
 * @param defaultPageSize history page size when the client names none
 * @param maxPageSize largest history page a client may ask for
 * @param principalTypeClaim the JWT claim saying whether the caller is a person ({@code user}) or an app
 * @param departmentsClaim the JWT claim listing a person's departments
 * @param channelPrefix prefix of the Redis pub/sub channel the replicas share; one per platform
 * @param allowedOrigins origin patterns browsers may open the push WebSocket from
 * @param socketIdleTimeout a push socket with no traffic in either direction for this long is closed
 * @param socketPingInterval how often the server pings each push socket (keepalive); 0 turns pings off
 * @param socketSweepInterval how often a replica checks its sockets' users for stream entries whose publish never
 *     reached it (Redis pub/sub delivers at most once) and sends them; 0 turns the sweep off
 * @param drainDelay at shutdown, how long to keep serving with readiness false before graceful shutdown starts
 */
@Validated
@ConfigurationProperties("atrium.message-center")
public record MessageCenterProperties(
    @NotNull @DefaultValue("64KB") DataSize maxRequestSize,
    @Min(1) @Max(100_000) @DefaultValue("4000") int maxMessageLength,
    @Min(2) @DefaultValue("1000") int maxGroupMembers,
    @Min(1) @DefaultValue("50") int defaultPageSize,
    @Min(1) @DefaultValue("200") int maxPageSize,
    @NotBlank @DefaultValue("principal_type") String principalTypeClaim,
    @NotBlank @DefaultValue("departments") String departmentsClaim,
    @NotBlank @DefaultValue("atrium:message-center") String channelPrefix,
    @NotEmpty @DefaultValue("*") List<String> allowedOrigins,
    @NotNull @DefaultValue("10m") Duration socketIdleTimeout,
    @NotNull @DefaultValue("30s") Duration socketPingInterval,
    @NotNull @DefaultValue("5s") Duration socketSweepInterval,
    @NotNull @DefaultValue("0s") Duration drainDelay) {
}
