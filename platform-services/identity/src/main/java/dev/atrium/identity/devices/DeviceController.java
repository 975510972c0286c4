package dev.atrium.identity.devices;

import dev.atrium.identity.security.Caller;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Devices: a person's own under /api/devices, everyone's for administrators under /api/admin. */
@RestController
class DeviceController {

  private final DeviceService devices;

  DeviceController(DeviceService devices) {
    this.devices = devices;
  }

  record RegisterDevice(@NotBlank @Size(max = 100) String name, @NotBlank @Size(max = 40) String platform) {
  }

  record Activate(@NotBlank @Size(max = 100) String activationCode) {
  }

  @PostMapping("/api/devices")
  @ResponseStatus(HttpStatus.CREATED)
  DeviceService.Registration register(@AuthenticationPrincipal Caller caller,
      @Valid @RequestBody RegisterDevice request) {
    return devices.register(caller, caller.id(), request.name(), request.platform());
  }

  @PostMapping("/api/admin/people/{personId}/devices")
  @ResponseStatus(HttpStatus.CREATED)
  DeviceService.Registration registerFor(@AuthenticationPrincipal Caller caller, @PathVariable String personId,
      @Valid @RequestBody RegisterDevice request) {
    return devices.register(caller, personId, request.name(), request.platform());
  }

  @GetMapping("/api/devices")
  List<Device> mine(@AuthenticationPrincipal Caller caller) {
    return devices.devicesOf(caller, caller.id());
  }

  @GetMapping("/api/admin/people/{personId}/devices")
  List<Device> ofPerson(@AuthenticationPrincipal Caller caller, @PathVariable String personId) {
    return devices.devicesOf(caller, personId);
  }

  @PostMapping("/api/devices/{id}/activate")
  Map<String, String> activate(@PathVariable String id, @Valid @RequestBody Activate request) {
    return Map.of("deviceSecret", devices.activate(id, request.activationCode()));
  }

  @PostMapping("/api/devices/{id}/verify")
  DeviceService.DeviceState verify(@PathVariable String id,
      @RequestHeader(name = "X-Device-Secret", required = false) String secret) {
    return devices.verify(id, secret);
  }

  @PostMapping("/api/devices/{id}/lost")
  Device lost(@AuthenticationPrincipal Caller caller, @PathVariable String id) {
    return devices.block(caller, id, Device.Status.LOST);
  }

  @PostMapping("/api/devices/{id}/revoke")
  Device revoke(@AuthenticationPrincipal Caller caller, @PathVariable String id) {
    return devices.block(caller, id, Device.Status.REVOKED);
  }

  @PostMapping("/api/admin/devices/{id}/wipe")
  Device wipe(@AuthenticationPrincipal Caller caller, @PathVariable String id) {
    return devices.requestWipe(caller, id);
  }
}
