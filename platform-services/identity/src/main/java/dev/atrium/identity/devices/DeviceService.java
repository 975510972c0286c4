package dev.atrium.identity.devices;

import dev.atrium.identity.apps.ClientSecrets;
import dev.atrium.identity.audit.AuditLog;
import dev.atrium.identity.directory.DirectoryStore;
import dev.atrium.identity.security.Caller;
import dev.atrium.service.web.ApiException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A device's life: registered (pending, with a one-time activation code), activated by the device (which then
 * holds a device secret), verified by the device at start (it learns whether it is still active and whether it
 * must wipe itself), reported lost, revoked, told to wipe. Blocking a device ends the tokens bound to it.
 */
@Service
public class DeviceService {

  static final Duration ACTIVATION_TTL = Duration.ofHours(24);

  private final DeviceStore store;
  private final DirectoryStore directory;
  private final AuditLog audit;
  private final ApplicationEventPublisher events;
  private final Clock clock;
  private final ClientSecrets hashes = new ClientSecrets();

  DeviceService(DeviceStore store, DirectoryStore directory, AuditLog audit, ApplicationEventPublisher events,
      Clock clock) {
    this.store = store;
    this.directory = directory;
    this.audit = audit;
    this.events = events;
    this.clock = clock;
  }

  /** A registered device and the code that activates it, shown once. */
  public record Registration(Device device, String activationCode, Instant activationExpiresAt) {
  }

  /** What a device learns when it verifies itself. */
  public record DeviceState(String status, boolean wipe) {
  }

  @Transactional
  public Registration register(Caller caller, String personId, String name, String platform) {
    if (!caller.admin() && !caller.id().equals(personId)) {
      throw ApiException.forbidden("Only administrators register devices for other people.");
    }
    if (!directory.person(personId).map(p -> p.active()).orElse(false)) {
      throw ApiException.notFound("active person", personId);
    }
    UUID id = UUID.randomUUID();
    String code = ClientSecrets.generate().substring(0, 12);
    Instant expires = clock.instant().plus(ACTIVATION_TTL);
    store.insert(id, personId, name, platform, hashes.encode(code), expires, caller.id());
    audit.record(caller.id(), "device.register", id.toString(), AuditLog.Outcome.SUCCESS,
        Map.of("person", personId, "platform", platform));
    return new Registration(store.device(id).orElseThrow(), code, expires);
  }

  /** The device activates itself with its code and gets its secret (shown once). */
  @Transactional
  public String activate(String deviceId, String activationCode) {
    UUID id = requireId(deviceId);
    String secret = ClientSecrets.generate();
    if (!store.activate(id, hashes.encode(activationCode), hashes.encode(secret), clock.instant())) {
      audit.record("device:" + id, "device.activate", id.toString(), AuditLog.Outcome.FAILURE);
      throw new ApiException(HttpStatus.BAD_REQUEST, "activation-refused", "Activation refused",
          "The device is not waiting for activation, or the code is wrong or expired. Register it again.");
    }
    audit.record("device:" + id, "device.activate", id.toString(), AuditLog.Outcome.SUCCESS);
    return secret;
  }

  /** The device proves its secret and learns its state; a blocked device learns it too (and whether to wipe). */
  @Transactional
  public DeviceState verify(String deviceId, String secret) {
    UUID id = requireId(deviceId);
    String hash = store.secretHash(id).orElse(null);
    if (secret == null || hash == null || !hashes.matches(secret, hash)) {
      throw new ApiException(HttpStatus.UNAUTHORIZED, "device-unauthenticated", "Device not recognised",
          "Send the device secret the device got at activation in the X-Device-Secret header.");
    }
    store.seen(id, clock.instant());
    Device device = store.device(id).orElseThrow();
    return new DeviceState(device.status().name().toLowerCase(java.util.Locale.ROOT), device.wipeRequested());
  }

  public List<Device> devicesOf(Caller caller, String personId) {
    if (!caller.admin() && !caller.id().equals(personId)) {
      throw ApiException.notFound("person", personId);
    }
    return store.ofPerson(personId);
  }

  @Transactional
  public Device block(Caller caller, String deviceId, Device.Status status) {
    Device device = visible(caller, deviceId);
    if (device.status() == Device.Status.REVOKED) {
      return device;
    }
    store.setStatus(device.id(), status, caller.id(), clock.instant());
    audit.record(caller.id(), status == Device.Status.LOST ? "device.lost" : "device.revoke", deviceId,
        AuditLog.Outcome.SUCCESS, Map.of("person", device.personId()));
    events.publishEvent(new DeviceBlockedEvent(deviceId, store.authorizations(device.id())));
    return store.device(device.id()).orElseThrow();
  }

  @Transactional
  public Device requestWipe(Caller caller, String deviceId) {
    Device device = visible(caller, deviceId);
    store.requestWipe(device.id());
    audit.record(caller.id(), "device.wipe", deviceId, AuditLog.Outcome.SUCCESS, Map.of("person", device.personId()));
    return store.device(device.id()).orElseThrow();
  }

  private Device visible(Caller caller, String deviceId) {
    UUID id = requireId(deviceId);
    return store.device(id).filter(d -> caller.admin() || d.personId().equals(caller.id()))
        .orElseThrow(() -> ApiException.notFound("device", deviceId));
  }

  private static UUID requireId(String deviceId) {
    UUID id = parseId(deviceId);
    if (id == null) {
      throw ApiException.notFound("device", deviceId);
    }
    return id;
  }

  static UUID parseId(String value) {
    try {
      return value == null ? null : UUID.fromString(value);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
