package dev.atrium.identity.devices;

import java.util.List;

/** A device was reported lost or revoked: the authorizations (token sets) issued to it must end now. */
public record DeviceBlockedEvent(String deviceId, List<String> authorizationIds) {
}
