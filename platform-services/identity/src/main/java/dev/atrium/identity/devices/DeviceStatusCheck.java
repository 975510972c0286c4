package dev.atrium.identity.devices;

import dev.atrium.identity.security.DeviceBinding;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** Whether a token bound to a device may still be used: the device is active and its person too. */
@Component
public class DeviceStatusCheck implements DeviceBinding {

  private final DeviceStore store;

  DeviceStatusCheck(DeviceStore store) {
    this.store = store;
  }

  @Override
  public boolean active(String deviceId, String personId) {
    UUID id = DeviceService.parseId(deviceId);
    return id != null && store.active(id, personId);
  }

  @Override
  public void bind(String authorizationId, String deviceId) {
    store.bind(authorizationId, DeviceService.parseId(deviceId));
  }
}
