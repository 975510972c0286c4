package dev.atrium.messagecenter.serviceaccount;

import dev.atrium.messagecenter.push.PayloadLoader;
import dev.atrium.messagecenter.push.UserStreams;
import dev.atrium.service.security.Caller;
import dev.atrium.messagecenter.serviceaccount.ServiceAccountApi.Announcement;
import dev.atrium.messagecenter.serviceaccount.ServiceAccountApi.CreateServiceAccount;
import dev.atrium.messagecenter.serviceaccount.ServiceAccountApi.Publish;
import dev.atrium.messagecenter.serviceaccount.ServiceAccountApi.ReceivedAnnouncement;
import dev.atrium.messagecenter.serviceaccount.ServiceAccountApi.ServiceAccount;
import dev.atrium.service.web.ApiException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Service accounts: anyone creates one and owns it; people follow it; its owner publishes announcements to the
 * followers and/or whole departments. Recipients are fixed when it is published: the followers then, and the
 * department members as recorded then (see {@link DepartmentDirectory}).
 */
@Service
public class ServiceAccountService implements PayloadLoader {

  public static final String ANNOUNCEMENT_EVENT = "announcement";

  private final ServiceAccountStore store;
  private final DepartmentDirectory departments;
  private final UserStreams streams;

  ServiceAccountService(ServiceAccountStore store, DepartmentDirectory departments, UserStreams streams) {
    this.store = store;
    this.departments = departments;
    this.streams = streams;
  }

  public record Created<T>(T value, boolean created) {
  }

  @Transactional
  public ServiceAccount create(Caller caller, CreateServiceAccount request) {
    UUID id = UUID.randomUUID();
    if (!store.insert(id, request.handle(), request.name(), request.description(), caller.kind().name(),
        caller.id())) {
      throw ApiException.conflict("handle-taken", "A service account with handle '" + request.handle()
          + "' exists already; choose another handle.");
    }
    return store.find(id, caller.id()).orElseThrow();
  }

  @Transactional(readOnly = true)
  public List<ServiceAccount> list(Caller caller) {
    return store.all(caller.id());
  }

  @Transactional(readOnly = true)
  public ServiceAccount get(Caller caller, UUID id) {
    return store.find(id, caller.id()).orElseThrow(() -> ApiException.notFound("service account", id));
  }

  @Transactional
  public void follow(Caller caller, UUID id, boolean follow) {
    caller.requireUser("Following service accounts");
    get(caller, id);
    if (follow) {
      store.follow(id, caller.id());
    } else {
      store.unfollow(id, caller.id());
    }
  }

  @Transactional
  public Created<Announcement> publish(Caller caller, UUID accountId, Publish request) {
    ServiceAccount account = get(caller, accountId);
    if (!account.ownerKind().equals(caller.kind().name()) || !account.ownerId().equals(caller.id())) {
      throw ApiException.forbidden("Only the owner of service account '" + account.handle() + "' ("
          + account.ownerKind().toLowerCase(java.util.Locale.ROOT) + " " + account.ownerId() + ") publishes on it.");
    }
    if (!request.audience().followers() && request.audience().departments().isEmpty()) {
      throw ApiException.badRequest("empty-audience", "audience reaches nobody: set followers to true, or name"
          + " at least one department.");
    }
    List<String> targetDepartments = List.copyOf(new TreeSet<>(request.audience().departments()));
    UUID id = UUID.randomUUID();
    if (!store.insertAnnouncement(id, accountId, request.clientAnnouncementId(), request.title(), request.body(),
        request.audience().followers(), targetDepartments, caller.id())) {
      Announcement existing = store.announcementByClientId(accountId, request.clientAnnouncementId()).orElseThrow();
      if (!existing.title().equals(request.title()) || !existing.body().equals(request.body())) {
        throw ApiException.conflict("client-announcement-id-reused", "clientAnnouncementId "
            + request.clientAnnouncementId() + " was already used for another announcement; use a new id.");
      }
      return new Created<>(existing, false);
    }
    TreeSet<String> recipients = new TreeSet<>(departments.members(targetDepartments));
    if (request.audience().followers()) {
      recipients.addAll(store.followers(accountId));
    }
    store.deliver(id, recipients);
    streams.append(ANNOUNCEMENT_EVENT, id, recipients);
    return new Created<>(store.announcement(id), true);
  }

  @Transactional(readOnly = true)
  public List<ReceivedAnnouncement> received(Caller caller, int limit) {
    caller.requireUser("Announcement feeds");
    return store.received(caller.id(), limit);
  }

  @Transactional
  public void markRead(Caller caller, UUID announcement) {
    caller.requireUser("Announcement feeds");
    if (!store.markRead(caller.id(), announcement)) {
      throw ApiException.notFound("announcement", announcement);
    }
  }

  @Transactional(readOnly = true)
  public long unread(Caller caller) {
    return store.unread(caller.id());
  }

  @Override
  public String kind() {
    return ANNOUNCEMENT_EVENT;
  }

  @Override
  @Transactional(readOnly = true)
  public Map<UUID, Object> load(Collection<UUID> ids) {
    return store.announcements(ids).stream().collect(Collectors.toMap(Announcement::id, Function.identity()));
  }
}
