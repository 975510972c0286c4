package dev.atrium.identity.security;

/** Whether a token bound to a device may still be used; the device registry answers. */
public interface DeviceBinding {

  /** The device is known, active, and the person's, and the person is active. */
  boolean active(String deviceId, String personId);

  /** Records that an authorization's tokens are bound to the device, so that blocking it ends them. */
  void bind(String authorizationId, String deviceId);
}
